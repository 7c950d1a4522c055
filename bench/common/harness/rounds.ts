import { sleep } from '../clock';
import type { ProcessSupervisor } from '../processSupervisor';

/** What a scenario's round is given besides its target: its number, the run's options, who watches the processes, the checkout, the generator's core. */
export interface RoundArgs<O> {
  round: number;
  options: O;
  supervisor: ProcessSupervisor;
  root: string;
  generatorCpu: number | undefined;
}

/** Lets the last round's sockets close and the servers settle before the next round connects. */
export const PAUSE_BETWEEN_ROUNDS_MS = 1500;

/**
 * Runs `rounds` rounds over every side in turn (ours, baseline, ours,
 * baseline…), so drift over the run spreads over both sides. A round flagged
 * noisy is redone at once while `retryNoisy` lasts, keeping the alternation;
 * the discarded round is returned too (reports keep it).
 */
export async function alternateRounds<S, R extends object>(args: {
  rounds: number;
  sides: readonly S[];
  label(side: S): string;
  run(round: number, side: S): Promise<R>;
  /** The round's log line. */
  line(record: R): string;
  log(message: string): void;
  retryNoisy?: number;
  pauseMs?: number;
  /** Every other round runs the sides in reverse order (A B, B A…), so warming favours neither side. */
  reverseEveryOther?: boolean;
}): Promise<{ rounds: R[]; discarded: R[] }> {
  const rounds: R[] = [];
  const discarded: R[] = [];
  let retriesLeft = args.retryNoisy ?? 0;
  for (let round = 1; round <= args.rounds; round += 1) {
    const sides = args.reverseEveryOther && round % 2 === 0 ? [...args.sides].reverse() : args.sides;
    for (const side of sides) {
      for (;;) {
        args.log(`round ${round}/${args.rounds}: ${args.label(side)}`);
        const record = await args.run(round, side);
        args.log(args.line(record));
        await sleep(args.pauseMs ?? PAUSE_BETWEEN_ROUNDS_MS);
        if ((record as { noisy?: boolean }).noisy === true && retriesLeft > 0) {
          retriesLeft -= 1;
          discarded.push(record);
          args.log(`round ${round} ${args.label(side)} ran beside foreign load: redoing it (${retriesLeft} retries left)`);
          continue;
        }
        rounds.push(record);
        break;
      }
    }
  }
  return { rounds, discarded };
}

/** Ours first: every comparing scenario runs ours, then the baseline, within a round. */
export function oursFirst<T extends { name: string }>(sides: T[]): T[] {
  return [...sides].sort((a, b) => (a.name === 'ours' ? -1 : b.name === 'ours' ? 1 : 0));
}
