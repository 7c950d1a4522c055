import type { App } from './app';
import type { Logger } from './log';

export interface StopOnSignalsOptions {
  app: App;
  log: Logger;
  /** After SIGTERM, how long /readyz answers 503 while the node still serves (SIGINT skips it). */
  drainMs: number;
  /** How long requests in flight may take once the node stops taking connections. */
  graceMs: number;
  /** Closed in order once the app is: the pages, the store. */
  then?: { close(): Promise<void> }[];
}

/**
 * SIGTERM (an orchestrator): /readyz turns 503 at once; after the drain the node stops taking connections,
 * closes its sockets (clients reconnect to another node and catch up by seq) and lets requests in flight
 * finish within the grace period. Exit code 0 when everything finished, 1 when connections had to be cut
 * or something failed to close. SIGINT (Ctrl-C) skips the drain; a second signal exits at once.
 */
export function stopOnSignals(options: StopOnSignalsOptions): void {
  const { log } = options;
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn(`${signal} again: exiting at once`);
      process.exit(1);
    }
    stopping = true;
    const drainMs = signal === 'SIGTERM' ? options.drainMs : 0;
    const graceMs = options.graceMs;
    log.info(`${signal}: not ready any more; closing connections, pages and store…`, { drainMs, graceMs });
    // Closing the pages or the store could hang too: the grace period bounds the whole stop.
    setTimeout(() => {
      log.error('could not stop within the grace period: exiting');
      process.exit(1);
    }, drainMs + graceMs + 2000).unref();
    try {
      const { forced } = await options.app.close({ drainMs, graceMs });
      for (const part of options.then ?? []) await part.close();
      if (forced) {
        log.warn('stopped, but requests still in flight after the grace period were cut');
        process.exit(1);
      }
      log.info('stopped cleanly');
      process.exit(0);
    } catch (err) {
      log.error('could not stop cleanly', err);
      process.exit(1);
    }
  };
  process.on('SIGTERM', (s) => void stop(s));
  process.on('SIGINT', (s) => void stop(s));
}
