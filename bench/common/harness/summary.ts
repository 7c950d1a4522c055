/**
 * Where a run's results go: the raw JSON (every round, large) into an ignored
 * folder, and one markdown line into the scenario's committed summary
 * (bench/results/<name>.md), which docs/benchmarks.md cites.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { flagsDiffering, presetBase, ROOT, scriptOf, type Report, type Scenario } from './scenario';

/** A run's line, in the scenario's own words. */
export interface SummaryCells {
  /** Medians over rounds, for each side, e.g. `p99 ours 12.1 / baseline 10.3 ms`. */
  medians: string;
  /** The ratios of ours to the baseline the scenario is judged by. */
  ratios: string;
  /** The target, e.g. `p99 ≤ 1.2×`. */
  target: string;
  /** Met, missed, or null when the run gives no verdict (one side only). */
  meetsTarget: boolean | null;
  /** Set when the run's numbers are suspect (lost deliveries, foreign load…): shown beside the verdict. */
  caveat?: string;
}

export const SUMMARY_COLUMNS = ['run (UTC)', 'command', 'commit', 'medians', 'ours / baseline', 'target', 'verdict', 'raw JSON'];

/** The command that reproduces a run, from its recorded options: presets and every flag off its preset's default. */
export function commandLine<O>(scenario: Scenario<O, unknown>, options: O & { quick?: boolean; smoke?: boolean }): string {
  const preset = { quick: options.quick === true, smoke: options.smoke === true };
  const flags = [...(preset.smoke ? ['--smoke'] : preset.quick ? ['--quick'] : []), ...flagsDiffering(scenario, options, presetBase(scenario, preset))];
  return `npm run ${scriptOf(scenario)}${flags.length > 0 ? ` -- ${flags.join(' ')}` : ''}`;
}

/**
 * The checked-out commit, `+dirty` when tracked code differs from it. Markdown is left out: the summaries
 * themselves change with every run (`npm run bench` would otherwise mark every scenario after the first dirty).
 */
export function currentCommit(): string {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD');
  if (head.status !== 0) return 'unknown';
  const dirty = git('status', '--porcelain', '--untracked-files=no', '--', '.', ':(exclude)*.md').stdout.trim() !== '';
  return `${head.stdout.trim()}${dirty ? '+dirty' : ''}`;
}

/** One figure of ours and of the baseline, `ours / baseline` (`–` for a side that did not run). */
export function oursSlashBaseline<S extends { target: string }>(summary: readonly S[], pick: (s: S) => number, format: (v: number) => string): string {
  return ['ours', 'baseline'].map((target) => summary.find((s) => s.target === target)).map((s) => (s ? format(pick(s)) : '–')).join(' / ');
}

/** A ratio for a summary cell: `1.05×`, or `–` where an older report lacks it. */
export const times = (ratio: number | null | undefined) => (ratio === null || ratio === undefined || !Number.isFinite(ratio) ? '–' : `${ratio}×`);

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function verdict(cells: SummaryCells, smoke: boolean): string {
  if (smoke) return 'none (smoke)';
  const said = cells.meetsTarget === null ? '–' : cells.meetsTarget ? 'met' : '**missed**';
  return cells.caveat ? `${said} (⚠ ${cells.caveat})` : said;
}

export function summaryRow(args: { startedAt: string; command: string; commit: string; cells: SummaryCells; smoke: boolean; rawName: string }): string {
  const when = args.startedAt.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, '');
  const c = args.cells;
  return `| ${[when, `\`${args.command}\``, args.commit, c.medians, c.ratios, c.target, verdict(c, args.smoke), args.rawName].map(cell).join(' | ')} |`;
}

/** The file's head, written once when the summary is created. */
export function summaryHeader(name: string, script: string, note = ''): string {
  return [
    `# ${name}: one line per run`,
    '',
    `Written by the benchmark harness (bench/common/harness/summary.ts) at the end of every \`npm run ${script}\`, newest last.`,
    'Medians are over rounds; ratios are ours ÷ baseline. The raw JSON (every round) stays in bench/results/raw/ on the machine that ran it, not in git.',
    ...(note ? ['', note] : []),
    '',
    `| ${SUMMARY_COLUMNS.join(' | ')} |`,
    `| ${SUMMARY_COLUMNS.map(() => '---').join(' | ')} |`,
    '',
  ].join('\n');
}

export function appendRow(file: string, header: string, row: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, header);
  fs.appendFileSync(file, `${row}\n`);
}

export const stamp = (startedAt: string) => startedAt.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');

/** Writes `<resultsDir>/<name>-<timestamp>.json` and appends the run's line to `<summaryDir>/<name>.md`. */
export function appendSummary<O, B>(args: { scenario: Scenario<O, B>; report: Report<O, B>; name: string; resultsDir: string; summaryDir: string; cells: SummaryCells }): { rawFile: string; summaryFile: string } {
  fs.mkdirSync(args.resultsDir, { recursive: true });
  const rawName = `${args.name}-${stamp(args.report.startedAt)}.json`;
  const rawFile = path.join(args.resultsDir, rawName);
  fs.writeFileSync(rawFile, `${JSON.stringify(args.report, null, 2)}\n`);
  const summaryFile = path.join(args.summaryDir, `${args.name}.md`);
  const row = summaryRow({ startedAt: args.report.startedAt, command: commandLine(args.scenario, args.report.options), commit: currentCommit(), cells: args.cells, smoke: args.report.options.smoke, rawName });
  appendRow(summaryFile, summaryHeader(args.name, scriptOf(args.scenario)), row);
  return { rawFile, summaryFile };
}
