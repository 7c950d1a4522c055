import fs from 'node:fs';
import path from 'node:path';
import type { RunContext } from '../common/harness/scenario';

/** Debian's Chromium; Lighthouse finds it through CHROME_PATH (it downloads no browser). */
export const DEFAULT_CHROME_PATH = '/usr/bin/chromium';
const CHROME_FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
/** A Lighthouse run that takes longer than this is stopped and counts as failed. */
const RUN_TIMEOUT_MS = 180_000;

/** What one Lighthouse run (mobile preset, its default simulated throttling) says of a page. */
export interface LighthouseReading {
  performance: number;
  accessibility: number;
  bestPractices: number;
  seo: number;
  tbtMs: number;
  lcpMs: number;
  cls: number;
  fcpMs: number;
  /** Lighthouse's own warnings (a run it distrusts says so here). */
  warnings: string[];
}

interface LighthouseJson {
  runtimeError?: { code: string; message: string };
  runWarnings?: string[];
  categories: Record<(typeof CATEGORIES)[number], { score: number | null }>;
  audits: Record<string, { numericValue?: number }>;
}

/**
 * One run of the project's own `lighthouse` (the exact version package.json pins) on `url`, its JSON
 * written into `dir`; throws with Lighthouse's error when the run failed (NO_NAVSTART and the like).
 */
export async function runLighthouse(run: RunContext, spec: { url: string; dir: string; tag: string }): Promise<LighthouseReading> {
  const output = path.join(spec.dir, `${spec.tag}.json`);
  const bin = path.join(run.root, 'node_modules', 'lighthouse', 'cli', 'index.js');
  const args = [bin, spec.url, '--quiet', '--output=json', `--output-path=${output}`, `--only-categories=${CATEGORIES.join(',')}`, `--chrome-flags=${CHROME_FLAGS.join(' ')}`];
  const env = { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? DEFAULT_CHROME_PATH };
  const proc = run.supervisor.spawn({ name: `lighthouse ${spec.tag}`, command: process.execPath, args, cwd: run.root, env });
  const timer = setTimeout(() => void proc.stop(), RUN_TIMEOUT_MS);
  const code = await proc.exited;
  clearTimeout(timer);
  if (code !== 0 || !fs.existsSync(output)) throw new Error(`lighthouse ${spec.url} failed (exit ${code}):\n${proc.tail()}`);
  const json = JSON.parse(fs.readFileSync(output, 'utf8')) as LighthouseJson;
  if (json.runtimeError) throw new Error(`lighthouse ${spec.url}: ${json.runtimeError.code} ${json.runtimeError.message}`);
  const score = (category: (typeof CATEGORIES)[number]) => Math.round((json.categories[category].score ?? Number.NaN) * 100);
  const value = (audit: string) => json.audits[audit]?.numericValue ?? Number.NaN;
  return {
    performance: score('performance'),
    accessibility: score('accessibility'),
    bestPractices: score('best-practices'),
    seo: score('seo'),
    tbtMs: Math.round(value('total-blocking-time')),
    lcpMs: Math.round(value('largest-contentful-paint')),
    cls: Math.round(value('cumulative-layout-shift') * 1000) / 1000,
    fcpMs: Math.round(value('first-contentful-paint')),
    warnings: json.runWarnings ?? [],
  };
}
