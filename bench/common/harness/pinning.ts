import { spawnSync } from 'node:child_process';
import { pinningAvailable } from '../processSupervisor';

/** Servers share core 0; the load generator has core 1 to itself, so it never competes with what it measures. */
export const SERVER_CPU = 0;
export const GENERATOR_CPU = 1;

/**
 * Pins this process (every thread: `taskset -a`) to one CPU, for benchmarks
 * whose load generator is the orchestrator itself. Returns whether it worked.
 * Children started afterwards inherit the pin unless spawned with their own.
 */
export function pinSelf(cpu: number): boolean {
  if (!pinningAvailable()) return false;
  return spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(process.pid)], { stdio: 'ignore' }).status === 0;
}
