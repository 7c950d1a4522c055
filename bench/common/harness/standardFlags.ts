/**
 * The flags several scenarios share, with their usual wording and defaults.
 * A scenario takes the ones it needs (rewording the help where its meaning
 * differs) and sets its own defaults; the harness adds --quick, --smoke,
 * --results-dir, --summary-dir and --help to every scenario.
 */
import { TARGET_NAMES, type TargetName } from '../targets/target';
import { count, list, numeric, turnsOff } from './flags';

export const readers = (help = 'readers, split evenly across the nodes') => count(help);
export const rounds = (help = 'rounds per target, alternating ours, baseline') => count(help);
export const rate = (help = 'comments per second, open loop') => numeric(help);
export const seconds = (help = 'measured seconds per round') => numeric(help);
export const warmupSeconds = (help = 'seconds sent before measuring') => numeric(help, { min: 0, name: 'warmup' });
export const drainSeconds = (help = 'seconds to wait for late deliveries') => numeric(help, { name: 'drain' });
export const bodyChars = () => count('comment body length (a comment is at most 5000 characters)', { min: 40, max: 5000 });
export const connectBatch = (help = 'readers opened at a time') => count(help);
export const targets = () => list<TargetName>(TARGET_NAMES, 'the targets to run');
export const pin = () => turnsOff('no-pin', 'do not pin servers (core 0) and the load generator (core 1)');
export const quietWaitSeconds = () => numeric('before each round, wait up to N s for the shared machine to go quiet (0: never)', { min: 0, name: 'quiet-wait' });
export const retryNoisy = () => count('redo a round that ran beside foreign load, up to N times in all (discarded rounds stay in the JSON)', { min: 0, name: 'retry-noisy' });
export const startTimeoutSeconds = () => numeric('seconds a server may take to start (Threadline may build its pages)', { name: 'start-timeout' });

/** Where servers start and rounds run: pinning, the quiet-machine wait, the start timeout. */
export const serverRunFlags = () => ({ pin: pin(), quietWaitSeconds: quietWaitSeconds(), startTimeoutSeconds: startTimeoutSeconds() });

/** The defaults that go with them, where every scenario agrees. */
export const STANDARD_DEFAULTS = {
  targets: [...TARGET_NAMES] as TargetName[],
  pin: true,
  bodyChars: 280,
  connectBatch: 100,
  quietWaitSeconds: 20,
  retryNoisy: 0,
  startTimeoutSeconds: 300,
};
