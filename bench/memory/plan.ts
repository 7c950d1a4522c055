import { generatorChannel } from '../common/generatorProcess';

/** Each reader generator process gets a ReadersPlan (common/load/readerPool.ts) with the one node, as JSON in $MEMORY_PLAN; these are the lines it prints back. */

export const PLAN_ENV = generatorChannel('memory').planEnv;
/** Printed once every reader of the process is connected and subscribed. */
export const READY_LINE = 'MEMORY_READERS_READY';
/** Printed for each reader that drops while idling (the round then does not count). */
export const DROPPED_PREFIX = 'MEMORY_READER_DROPPED ';
/** The heap probe's line (heapProbe.cjs). */
export const PROBE_LINE = /^BENCH_MEMORY (\{.*\})$/;
