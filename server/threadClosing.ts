import type { Services } from '../lib/services';
import type { Logger } from './log';
import { createPoller } from './poller';

/** Threads locked per round; a round that locks this many runs again at once. */
const CLOSING_BATCH = 100;

/**
 * Closing on time (docs/moderation.md): every node looks for threads whose closing time has come and
 * locks them. No leader is needed: the store's claim locks each thread once, on whichever node gets
 * there first, with its event under the next seq (lib/store/threadWrites.ts, closeDueThreads).
 */
export function startThreadClosing(options: { services: Services; log: Logger; pollMs: number }): { close(): Promise<void> } {
  const { services, log, pollMs } = options;
  const poller = createPoller({
    pollMs,
    log,
    what: 'closing round',
    round: async () => ((await services.moderation.closeDueThreads({ limit: CLOSING_BATCH })) === CLOSING_BATCH ? 0 : pollMs),
  });
  poller.start();
  return { close: () => poller.stop() };
}
