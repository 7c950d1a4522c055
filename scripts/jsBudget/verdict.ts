import { KB, type PageBudget } from './budgets';
import type { PageScripts } from './measure';

export interface PageVerdict {
  name: string;
  gzipBytes: number;
  rawBytes: number;
  budgetBytes: number;
  withinBudget: boolean;
  /** What to print: the verdict line, then the biggest chunks. */
  lines: string[];
}

const kb = (bytes: number): string => `${(bytes / KB).toFixed(1)} KB`;

/** The path of a script's address, shorter to read (`/_next/static/chunks/0qb8….js`). */
function shortName(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/** Sums a page's scripts and judges them against its budget; an over-budget page names its biggest chunks. */
export function judgePage(budget: PageBudget, measured: PageScripts, options: { biggest?: number } = {}): PageVerdict {
  const gzipBytes = measured.scripts.reduce((sum, s) => sum + s.gzipBytes, 0);
  const rawBytes = measured.scripts.reduce((sum, s) => sum + s.rawBytes, 0);
  const withinBudget = gzipBytes <= budget.gzipBytes;
  const head = withinBudget
    ? `✓ ${budget.name}: ${kb(gzipBytes)} gzipped of script (${kb(rawBytes)} raw, ${measured.scripts.length} files), within its budget of ${kb(budget.gzipBytes)}`
    : `✗ ${budget.name} (${measured.url}): ${kb(gzipBytes)} gzipped of script (${kb(rawBytes)} raw, ${measured.scripts.length} files) is over its budget of ${kb(budget.gzipBytes)} by ${kb(gzipBytes - budget.gzipBytes)}`;
  const biggest = [...measured.scripts].sort((a, b) => b.gzipBytes - a.gzipBytes).slice(0, options.biggest ?? (withinBudget ? 3 : 8));
  const lines = [head, biggest.length === 0 ? '  no script at all' : '  biggest files:'];
  for (const s of biggest) lines.push(`    ${kb(s.gzipBytes).padStart(9)} gz  ${kb(s.rawBytes).padStart(9)} raw  ${shortName(s.url)}`);
  lines.push(`  inline page payload (not counted): ${kb(measured.inlineBytes)} raw`);
  return { name: budget.name, gzipBytes, rawBytes, budgetBytes: budget.gzipBytes, withinBudget, lines };
}
