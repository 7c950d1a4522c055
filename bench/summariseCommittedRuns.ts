/**
 * One-off (issue 12): writes bench/results/<name>.md from the raw JSON files that
 * were committed in bench/results/ before the harness wrote summaries itself.
 * Run once, before those files left git; kept in history only.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_SUMMARY_DIR } from './common/harness/scenario';
import { appendRow, commandLine, summaryHeader, summaryRow } from './common/harness/summary';
import { SCENARIOS } from './scenarios';

const dir = DEFAULT_SUMMARY_DIR;
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const seen = new Set<string>();
for (const file of files) {
  const name = file.replace(/-\d{4}-.*$/, '');
  const report = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  const entry = SCENARIOS.find((s) => (s.scenario.fileName?.(report.options) ?? s.scenario.name) === name);
  if (!entry) throw new Error(`no scenario writes ${name}`);
  const added = spawnSync('git', ['log', '--diff-filter=A', '--format=%h', '-1', '--', path.join('bench', 'results', file)], { encoding: 'utf8' }).stdout.trim();
  const summaryFile = path.join(dir, `${name}.md`);
  if (!seen.has(name)) {
    fs.rmSync(summaryFile, { force: true });
    seen.add(name);
  }
  const note =
    'The lines up to 2026-11-27 were written from the raw JSON that was committed then (bench/summariseCommittedRuns.ts, run once): ' +
    'their commit is the one that added the JSON (`git show <commit>:bench/results/<raw JSON>` shows it), and their command is rebuilt from the options the JSON records, against today\'s defaults.';
  const cells = entry.scenario.summarise(report);
  appendRow(summaryFile, summaryHeader(name, entry.scenario.script, note), summaryRow({ startedAt: report.startedAt, command: commandLine(entry.scenario, report.options), commit: added, cells, smoke: report.options.smoke === true, rawName: file }));
}
console.log(`summarised ${files.length} runs into ${[...seen].map((n) => `${n}.md`).join(', ')}`);
