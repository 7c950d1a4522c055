import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../fanout/options';
import { baselineTarget } from './targets/baselineTarget';
import type { TargetName } from './targets/target';
import type { FanoutTarget } from './targets/target';
import { threadlineTarget } from './targets/threadlineTarget';

type Flags = NonNullable<ParseArgsConfig['options']>;

const ROOT = path.resolve(__dirname, '..', '..');
const TARGETS: Record<TargetName, FanoutTarget> = { ours: threadlineTarget, baseline: baselineTarget };

/**
 * A benchmark's flags, strictly: an unknown or malformed flag, and `--help`,
 * end in the usage text rather than a stack.
 */
export function parseBenchFlags<F extends Flags>(argv: string[], flags: F, usage: string) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, strict: true, options: flags });
  } catch (err) {
    throw new UsageError((err as Error).message, usage);
  }
  if ((parsed.values as { help?: boolean }).help) throw new UsageError(usage, usage);
  return parsed.values;
}

/** The targets to run, ours first; one that cannot run here is an error before anything starts. */
export function resolveTargets(names: readonly TargetName[]): FanoutTarget[] {
  const targets: FanoutTarget[] = names.map((name) => TARGETS[name]).sort((a, b) => (a.name === 'ours' ? -1 : b.name === 'ours' ? 1 : 0));
  for (const target of targets) {
    const reason = target.unavailableReason(ROOT);
    if (reason) throw new Error(`${target.name} cannot run: ${reason}`);
  }
  return targets;
}
