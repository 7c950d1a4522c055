/**
 * One reader generator of bench/memory: opens its share of idle subscribed
 * readers on one node, says so, then holds them (no traffic) until it is
 * stopped. Plan in $MEMORY_PLAN (see plan.ts).
 */
import { readPlan } from '../common/generatorProcess';
import type { ReadersPlan } from '../common/load/plans';
import { openPlanReaders } from '../common/load/readerPool';
import { DROPPED_PREFIX, PLAN_ENV, READY_LINE } from './plan';

async function main(): Promise<void> {
  const plan = readPlan<ReadersPlan>(PLAN_ENV, 'bench/memory/run.ts');
  let closing = false;
  const { pool } = await openPlanReaders(plan, {
    onDisconnect: (reader, reason) => {
      if (!closing) process.stdout.write(`${DROPPED_PREFIX}${reader} ${reason}\n`);
    },
  });
  process.stdout.write(`${READY_LINE}\n`);
  const stop = () => {
    closing = true;
    pool.close();
    setTimeout(() => process.exit(0), 200).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Held open until the orchestrator stops us (its stdin pipe closing counts too).
  process.stdin.on('end', stop);
  process.stdin.resume();
}

main().catch((err: unknown) => {
  process.stderr.write(`memory reader generator failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
