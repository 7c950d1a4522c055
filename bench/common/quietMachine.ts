import { sleep } from './clock';
import { NOISY_FOREIGN_CPU_PERCENT } from './generatorProcess';
import { machineBusySeconds } from './processCpu';

export interface QuietWait {
  waitedSeconds: number;
  /** Busy CPU in the last sample, % of one core (everything on the machine, our idle nodes included). */
  busyPercent: number | null;
  quiet: boolean;
}

/**
 * On a shared machine, another user's burst (a build, a test run) can swamp a
 * round. Before each round, wait until the whole machine has been nearly idle
 * for one sample, for at most `maxSeconds`; then run anyway (the round is still
 * flagged if foreign load shows up in it).
 */
export async function waitForQuietMachine(options: { maxSeconds: number; thresholdPercent: number; sampleMs?: number }): Promise<QuietWait> {
  const sampleMs = options.sampleMs ?? 2000;
  const started = Date.now();
  let busyPercent: number | null = null;
  for (;;) {
    const before = machineBusySeconds();
    await sleep(sampleMs);
    const after = machineBusySeconds();
    if (before === null || after === null) return { waitedSeconds: 0, busyPercent: null, quiet: true };
    busyPercent = Math.round(((after - before) / (sampleMs / 1000)) * 1000) / 10;
    const waitedSeconds = Math.round((Date.now() - started) / 100) / 10;
    if (busyPercent <= options.thresholdPercent) return { waitedSeconds, busyPercent, quiet: true };
    if (waitedSeconds >= options.maxSeconds) return { waitedSeconds, busyPercent, quiet: false };
  }
}

/** Before a round: wait up to `maxSeconds` for the machine to go quiet (null: 0, do not wait). */
export async function quietBeforeRound(maxSeconds: number): Promise<QuietWait | null> {
  return maxSeconds > 0 ? waitForQuietMachine({ maxSeconds, thresholdPercent: NOISY_FOREIGN_CPU_PERCENT }) : null;
}
