/**
 * `npm run bench:startup` (issue 12, part 7): how long a start command takes to
 * answer `/`, and how much memory its whole process tree holds once idle.
 * Ours is `npm start` (the server compiled once, plain node); the baseline is
 * the start it replaced, `npm start` when its script was `tsx server/main.ts`
 * (npm, a shell, the tsx launcher, node on the sources). Rounds
 * alternate ours and the baseline, one start each, every side with a DATA_DIR
 * of its own that a first, uncounted start seeds (and builds what is missing),
 * so the counted starts are routine restarts.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { numeric, text, type Values } from '../common/harness/flags';
import { alternateRounds, oursFirst } from '../common/harness/rounds';
import { defineScenario, runIfMain, type Report, type RunContext } from '../common/harness/scenario';
import * as standard from '../common/harness/standardFlags';
import { oursSlashBaseline, times, type SummaryCells } from '../common/harness/summary';
import { median, round } from '../common/stats';
import type { TargetName } from '../common/targets/target';
import { oneStart, stopGroup, type StartResult } from './oneStart';
import type { TreeProcess } from './processTree';

const FLAGS = {
  rounds: standard.rounds('counted starts per side, alternating ours, baseline'),
  targets: standard.targets(),
  settleSeconds: numeric('seconds without a request before the memory is read', { min: 0, name: 'settle' }),
  command: text('ours: the start command, split on spaces (e.g. `node scripts/start.js`, without npm in front)', 'CMD'),
  // Accepted like every bench's: the starts are not pinned (they are measured as a user runs them).
  pin: standard.pin(),
};
type StartupOptions = Values<typeof FLAGS>;

/**
 * `npm start` before issue 12, part 7, without editing package.json: npm runs the old script from a folder
 * of its own whose package.json holds only that script (`npm exec` would put a heavier npm in the tree).
 */
const BASELINE_SCRIPT = 'tsx server/main.ts';
function baselinePackage(root: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-startup-npm-'));
  const script = `cd ${JSON.stringify(root)} && node_modules/.bin/${BASELINE_SCRIPT}`;
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'threadline-old-start', private: true, scripts: { start: script } }));
  return dir;
}

interface StartRound extends StartResult {
  target: TargetName;
  round: number;
}

interface SideSummary {
  target: TargetName;
  command: string;
  starts: number;
  listeningS: number;
  firstPageS: number;
  rssMiB: number;
  pssMiB: number;
  /** The last start's processes, idle (RSS / PSS per process). */
  lastProcesses: TreeProcess[];
}

interface StartupBody {
  rounds: StartRound[];
  summary: SideSummary[];
  /** ours ÷ baseline, when both ran. */
  ratios: { rss: number; pss: number; firstPage: number } | null;
}

type StartupReport = Report<StartupOptions, StartupBody>;

const commandOf = (target: TargetName, options: StartupOptions) => (target === 'ours' ? options.command.split(' ').filter(Boolean) : ['npm', 'start']);
const shownCommand = (target: TargetName, options: StartupOptions) => (target === 'ours' ? options.command : `npm start with "start": "${BASELINE_SCRIPT}"`);

async function runStartup(options: StartupOptions, { root, log, registerCleanup }: RunContext): Promise<StartupBody> {
  let current: ChildProcess | undefined;
  // On Ctrl-C the session runs this: the start in progress must not outlive the bench.
  registerCleanup(async () => void (current && stopGroup(current)));
  const sides = oursFirst(options.targets.map((name) => ({ name, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), `threadline-startup-${name}-`)) })));
  const oldStart = baselinePackage(root);
  for (const dir of [oldStart, ...sides.map((s) => s.dataDir)]) registerCleanup(async () => fs.rmSync(dir, { recursive: true, force: true }));
  const start = (side: (typeof sides)[number], settleMs: number) =>
    oneStart({ cwd: side.name === 'ours' ? root : oldStart, command: commandOf(side.name, options), dataDir: side.dataDir, settleMs, onChild: (child) => (current = child) });
  for (const side of sides) {
    log(`${side.name}: \`${shownCommand(side.name, options)}\`, one uncounted start (seeds, builds if needed)`);
    await start(side, 0);
  }
  const { rounds } = await alternateRounds<(typeof sides)[number], StartRound>({
    rounds: options.rounds,
    sides,
    label: (side) => side.name,
    run: async (n, side) => ({ target: side.name, round: n, ...(await start(side, options.settleSeconds * 1000)) }),
    line: (r) => `${r.target}: listening ${(r.listeningMs / 1000).toFixed(2)} s, / ${(r.firstPageMs / 1000).toFixed(2)} s, RSS ${r.rssMiB.toFixed(0)} MiB (PSS ${r.pssMiB.toFixed(0)}) in ${r.processes.length} processes`,
    log,
  });
  const summary = sides.map(({ name }): SideSummary => {
    const mine = rounds.filter((r) => r.target === name);
    return {
      target: name,
      command: shownCommand(name, options),
      starts: mine.length,
      listeningS: round(median(mine.map((r) => r.listeningMs)) / 1000, 2),
      firstPageS: round(median(mine.map((r) => r.firstPageMs)) / 1000, 2),
      rssMiB: round(median(mine.map((r) => r.rssMiB)), 0),
      pssMiB: round(median(mine.map((r) => r.pssMiB)), 0),
      lastProcesses: mine.at(-1)?.processes ?? [],
    };
  });
  const [ours, baseline] = (['ours', 'baseline'] as const).map((t) => summary.find((s) => s.target === t));
  const ratios = ours && baseline ? { rss: round(ours.rssMiB / baseline.rssMiB, 2), pss: round(ours.pssMiB / baseline.pssMiB, 2), firstPage: round(ours.firstPageS / baseline.firstPageS, 2) } : null;
  return { rounds, summary, ratios };
}

function markdown(report: StartupReport): string {
  return [
    `Start-up and idle memory: medians of ${report.options.rounds} starts per side${report.options.smoke ? ' — SMOKE PRESET' : report.options.quick ? ' — QUICK PRESET' : ''}`,
    '',
    '| side | command | listening s | `/` answered s | idle RSS MiB | PSS MiB | last start: processes (RSS / PSS MiB) |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- |',
    ...report.summary.map(
      (s) =>
        `| ${s.target} | \`${s.command}\` | ${s.listeningS} | ${s.firstPageS} | ${s.rssMiB} | ${s.pssMiB} | ${s.lastProcesses.map((p) => `${p.command.split(' ').slice(0, 2).join(' ').slice(0, 40)} ${(p.rssKiB / 1024).toFixed(0)}/${(p.pssKiB / 1024).toFixed(0)}`).join('; ')} |`,
    ),
  ].join('\n');
}

/** The run's line in bench/results/startup.md. */
function summarise(report: StartupReport): SummaryCells {
  const pick = (f: (s: SideSummary) => number, unit: string) => `${oursSlashBaseline(report.summary, f, (v) => String(v))} ${unit}`;
  const r = report.ratios;
  return {
    medians: `ours / baseline: idle RSS ${pick((s) => s.rssMiB, 'MiB')}, PSS ${pick((s) => s.pssMiB, 'MiB')}, listening ${pick((s) => s.listeningS, 's')}, \`/\` answered ${pick((s) => s.firstPageS, 's')}`,
    ratios: `RSS ${times(r?.rss)}, PSS ${times(r?.pss)}, \`/\` answered ${times(r?.firstPage)}`,
    target: 'idle RSS and time to `/` below the baseline',
    meetsTarget: r ? r.rss < 1 && r.firstPage < 1 : null,
  };
}

export const startupScenario = defineScenario<StartupOptions, StartupBody>({
  name: 'startup',
  flags: FLAGS,
  defaults: { rounds: 5, targets: [...standard.STANDARD_DEFAULTS.targets], settleSeconds: 5, command: 'npm start', pin: true },
  presets: { quick: { rounds: 2, settleSeconds: 3 }, smoke: { rounds: 1, settleSeconds: 1 } },
  services: [],
  notes: `The baseline is \`npm start\` as it was before the server was compiled (script \`${BASELINE_SCRIPT}\`: npm, a shell, the tsx launcher, node on the sources), run from a temporary folder so package.json stays as it is.`,
  pinning: 'none',
  describe: (o) => `${o.rounds} counted starts per side (${o.targets.join(', ')}), memory read after ${o.settleSeconds} s idle`,
  run: runStartup,
  markdown,
  summarise,
});

runIfMain(startupScenario, module);
