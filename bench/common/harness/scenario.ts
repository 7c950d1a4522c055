/**
 * The benchmark harness: what every scenario (bench/<name>/scenario.ts) plugs
 * into. A scenario declares its flags, defaults and presets, runs its rounds
 * and describes its report; the harness parses the command line, prints the
 * usage, pins, opens the session that cleans up, stamps the report with its
 * options and machine, writes the raw JSON and appends the run's line to the
 * scenario's committed summary.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { withBenchSession, type BenchSession } from '../benchSession';
import { pinningAvailable } from '../processSupervisor';
import { round } from '../stats';
import { flagName, showValue, text, UsageError, type Flag, type FlagSet, type Values } from './flags';
import { GENERATOR_CPU, pinSelf, SERVER_CPU } from './pinning';
import { appendSummary, type SummaryCells } from './summary';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
/** Raw JSON of every run: large, machine-specific, not in git (.gitignore). */
export const DEFAULT_RESULTS_DIR = path.join(ROOT, 'bench', 'results', 'raw');
/** One committed markdown file per scenario, a line per run: what docs/benchmarks.md cites. */
export const DEFAULT_SUMMARY_DIR = path.join(ROOT, 'bench', 'results');

/** Every scenario's options carry which preset they came from. */
export interface PresetFlags {
  quick: boolean;
  /** `--smoke`: the CI preset (proves the scenario and its baseline run; judges no time). */
  smoke: boolean;
}

export interface Environment {
  node: string;
  cpus: number;
  cpuModel: string;
  pinned: boolean;
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
}

/** What the harness stamps on every report, whatever the scenario adds. */
export interface ReportEnvelope<O> {
  benchmark: string;
  startedAt: string;
  finishedAt: string;
  options: O & PresetFlags;
  environment: Environment;
}

export type Report<O, B> = ReportEnvelope<O> & B;

/** What a scenario's run gets from the harness. */
export interface RunContext extends BenchSession {
  root: string;
  log(message: string): void;
  pinned: boolean;
  /** Where servers and the load generator are pinned (undefined: not pinned). */
  serverCpu: number | undefined;
  generatorCpu: number | undefined;
  redisUrl: string;
  pgAdminUrl: string;
}

/** A scenario's options: its flags' values and the preset they came from. */
export type OptionsOf<F> = Values<F> & PresetFlags;

export interface Scenario<O, B> {
  /** The report's `benchmark`, the log prefix and the npm script that runs it alone (`bench:<name>`). */
  name: string;
  flags: FlagSet<O>;
  defaults: O;
  /** `--quick`: a short real run; `--smoke`: what CI runs. Explicit flags still win over both. */
  presets: { quick: Partial<O>; smoke: Partial<O> };
  /** Services it reaches, for the usage's Env line. */
  services: ('redis' | 'postgres')[];
  /** Text after the flags in the usage. */
  notes?: string;
  /** Who is pinned: servers (core 0) and separate generator processes (core 1), this process itself as the generator, or nothing. */
  pinning: 'children' | 'self' | 'none';
  /** Checks across flags after parsing (throws a message), and fills defaults that depend on other flags. */
  resolve?(options: O): O;
  /** The raw file's and the summary's name, when it depends on the options (fanout1). */
  fileName?(options: O): string;
  /** One log line saying what this run will do. */
  describe(options: O & PresetFlags): string;
  run(options: O & PresetFlags, context: RunContext): Promise<B>;
  /** The markdown printed at the end. */
  markdown(report: Report<O, B>): string;
  /** The cells of the run's line in the committed summary. */
  summarise(report: Report<O, B>): SummaryCells;
}

/** Declares a scenario (only for type inference). */
export function defineScenario<O, B>(scenario: Scenario<O, B>): Scenario<O, B> {
  return scenario;
}

/** `bench:<name>`: the npm script that runs a scenario alone. */
export const scriptOf = (scenario: { name: string }) => `bench:${scenario.name}`;

const HARNESS_FLAGS = {
  resultsDir: text(`where the raw <name>-<timestamp>.json goes (default ${path.relative(ROOT, DEFAULT_RESULTS_DIR)}, not in git)`),
  summaryDir: text(`where <name>.md gets this run's line (default ${path.relative(ROOT, DEFAULT_SUMMARY_DIR)}; a --smoke run's goes beside its JSON)`),
};

export type AnyScenario = Scenario<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The flags as node:util parseArgs takes them (bench/run.ts splits `npm run bench` arguments by these). */
export function parseArgsFlags(scenario: AnyScenario): NonNullable<ParseArgsConfig['options']> {
  const flags: NonNullable<ParseArgsConfig['options']> = { quick: { type: 'boolean' }, smoke: { type: 'boolean' }, help: { type: 'boolean' } };
  for (const [key, flag] of Object.entries({ ...scenario.flags, ...HARNESS_FLAGS }) as [string, Flag<unknown>][]) flags[flagName(key, flag)] = { type: flag.kind };
  return flags;
}

/** The defaults a preset gives: --smoke wins over --quick (it is the smaller). */
export function presetBase<O>(scenario: Scenario<O, unknown>, preset: PresetFlags): O {
  if (preset.smoke) return { ...scenario.defaults, ...scenario.presets.smoke };
  return preset.quick ? { ...scenario.defaults, ...scenario.presets.quick } : scenario.defaults;
}

/** `--readers 200 --seconds 5`: values as a command line, each flag whose value differs from `base`. */
export function flagsDiffering<O>(scenario: Scenario<O, unknown>, values: Partial<O>, base: O): string[] {
  const out: string[] = [];
  for (const [key, flag] of Object.entries(scenario.flags) as [keyof O & string, Flag<unknown>][]) {
    const value = values[key];
    if (value === undefined || JSON.stringify(value) === JSON.stringify(base[key])) continue;
    const shown = showValue(flag, value);
    out.push(shown === '' ? `--${flagName(key, flag)}` : `--${flagName(key, flag)} ${shown}`);
  }
  return out;
}

export function usage(scenario: AnyScenario): string {
  const line = (left: string, help: string) => `  ${left.padEnd(22)}${help}`;
  const lines = [`Usage: npm run ${scriptOf(scenario)} -- [options]`, ''];
  for (const [key, flag] of Object.entries(scenario.flags) as [string, Flag<unknown>][]) {
    const fallback = showValue(flag, scenario.defaults[key]);
    lines.push(line(`--${flagName(key, flag)}${flag.arg ? ` ${flag.arg}` : ''}`, `${flag.help}${fallback === '' ? '' : ` (default ${fallback})`}`));
  }
  const preset = (which: keyof Scenario<unknown, unknown>['presets']) => flagsDiffering(scenario, scenario.presets[which], scenario.defaults).join(' ');
  lines.push(line('--quick', `quick preset, a short real run: ${preset('quick')}`));
  lines.push(line('--smoke', `CI preset: ${preset('smoke')} (proves the run and its baseline; judges no time)`));
  for (const [key, flag] of Object.entries(HARNESS_FLAGS)) lines.push(line(`--${flagName(key, flag)} ${flag.arg}`, flag.help));
  if (scenario.notes) lines.push('', scenario.notes);
  const env = [
    ...(scenario.services.includes('redis') ? ['REDIS_URL (default redis://127.0.0.1:6379)', 'BENCH_REDIS_KEY_PREFIX (prepended to every Redis key prefix of the run)'] : []),
    ...(scenario.services.includes('postgres') ? ['BENCH_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres)'] : []),
  ];
  if (env.length > 0) lines.push('', `Env: ${env.join(', ')}.`);
  return lines.join('\n');
}

export interface ParsedRun<O> {
  options: O & PresetFlags;
  resultsDir: string;
  summaryDir: string;
}

/** A scenario's arguments, strictly: an unknown or malformed flag, and `--help`, end in the usage rather than a stack. */
export function parseScenarioArgs<O>(scenario: Scenario<O, unknown>, argv: string[]): ParsedRun<O> {
  const text = usage(scenario);
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: argv, strict: true, options: parseArgsFlags(scenario) }));
  } catch (err) {
    throw new UsageError((err as Error).message, text);
  }
  if (values.help) throw new UsageError(text, text);
  const preset: PresetFlags = { quick: values.quick === true, smoke: values.smoke === true };
  const base = presetBase(scenario, preset);
  let options = {} as O;
  for (const key of Object.keys(scenario.flags) as (keyof O & string)[]) {
    const flag = scenario.flags[key];
    const name = flagName(key, flag);
    try {
      options[key] = flag.parse(values[name] as string | boolean | undefined, base[key]);
    } catch (err) {
      throw new UsageError(`--${name}: ${(err as Error).message}`, text);
    }
  }
  try {
    if (scenario.resolve) options = scenario.resolve(options);
  } catch (err) {
    throw new UsageError((err as Error).message, text);
  }
  const resultsDir = typeof values['results-dir'] === 'string' ? path.resolve(values['results-dir']) : DEFAULT_RESULTS_DIR;
  // A smoke run is no evidence: its line goes beside its JSON, not into the committed summary.
  const summaryDir = typeof values['summary-dir'] === 'string' ? path.resolve(values['summary-dir']) : preset.smoke ? resultsDir : DEFAULT_SUMMARY_DIR;
  return { options: { ...options, ...preset }, resultsDir, summaryDir };
}

const loadAverage = () => os.loadavg().map((v) => round(v, 2));

/** Runs a scenario from its arguments: prints the markdown, writes the raw JSON and the summary line; returns the JSON's path. */
export async function runScenario<O, B>(scenario: Scenario<O, B>, argv: string[]): Promise<string> {
  const { options, resultsDir, summaryDir } = parseScenarioArgs(scenario, argv);
  const log = (message: string) => process.stderr.write(`[${scenario.name}] ${message}\n`);
  const startedAt = new Date().toISOString();
  const wantsPin = (options as { pin?: boolean }).pin !== false;
  const pinned = wantsPin && (scenario.pinning === 'self' ? pinSelf(GENERATOR_CPU) : scenario.pinning === 'children' && pinningAvailable());
  const env = { node: process.version, cpus: os.availableParallelism(), cpuModel: os.cpus()[0]?.model ?? 'unknown', pinned, loadAverageAtStart: loadAverage() };
  const placement = scenario.pinning === 'none' ? 'in process' : pinned ? `servers on CPU ${SERVER_CPU}, generator on CPU ${GENERATOR_CPU}` : 'not pinned';
  log(`${scenario.describe(options)}; ${placement}; load average ${env.loadAverageAtStart.join(' ')}`);
  if ((env.loadAverageAtStart[0] ?? 0) > env.cpus * 0.5) log(`note: the machine is already busy (load ${env.loadAverageAtStart[0]}); numbers will be noisier`);

  const body = await withBenchSession(log, (session) =>
    scenario.run(options, {
      ...session,
      root: ROOT,
      log,
      pinned,
      serverCpu: pinned ? SERVER_CPU : undefined,
      generatorCpu: pinned ? GENERATOR_CPU : undefined,
      redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      pgAdminUrl: process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    }),
  );
  const report: Report<O, B> = { benchmark: scenario.name, startedAt, finishedAt: new Date().toISOString(), options, environment: { ...env, loadAverageAtEnd: loadAverage() }, ...body };
  console.log(`\n${scenario.markdown(report)}\n`);
  const name = scenario.fileName?.(options) ?? scenario.name;
  const written = appendSummary({ scenario, report, name, resultsDir, summaryDir, cells: scenario.summarise(report) });
  log(`results: ${path.relative(process.cwd(), written.rawFile)}; summary: ${path.relative(process.cwd(), written.summaryFile)}`);
  return written.rawFile;
}

/** Usage errors print the usage (exit 2, or 0 for --help); anything else its stack (exit 1). */
export function exitOnCliError(err: unknown): never {
  if (err instanceof UsageError) {
    console.error(err.isHelp ? err.message : `${err.message}\n\n${err.usage}`);
    process.exit(err.isHelp ? 0 : 2);
  }
  console.error(`benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
}

/** `npm run bench:<name>`: runs the scenario when its file is the entry point. */
export function runIfMain(scenario: AnyScenario, module: NodeModule): void {
  if (require.main === module) runScenario(scenario, process.argv.slice(2)).then(() => process.exit(0), exitOnCliError);
}
