import type { Logger } from './log';

/** What an outbox's deliverer (the webhooks', the mail's) is tuned by; each has its own defaults. */
export interface OutboxDelivererTuning {
  log: Logger;
  /** The clock (ms), replaceable in tests. */
  now?: () => number;
  /** In [0, 1): the jitter; tests pin it. */
  random?: () => number;
  /** The first retry waits about this long, each next one twice as long. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Attempts in all, the first included, before a row is given up. */
  maxAttempts?: number;
  /** How often to look for rows queued or due again on other nodes. */
  pollMs?: number;
  /** Rows taken per round. */
  batch?: number;
}

export interface Poller {
  start(): void;
  /** Stops after the round in flight. */
  stop(): Promise<void>;
  /** Runs the next round now rather than after the wait. */
  wake(): void;
}

/**
 * A background loop of rounds (the webhooks' and the mail outbox's deliverers, the mail jobs): each
 * resolves with how long to wait before the next (0: at once), a failed round is logged and retried
 * after `pollMs`, and `wake` cuts a wait short.
 */
export function createPoller(options: { round: () => Promise<number>; pollMs: number; log: Logger; what: string }): Poller {
  let running = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let woken = false;

  async function idle(ms: number): Promise<void> {
    if (woken) return void (woken = false);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wakeUp = undefined;
    woken = false;
  }

  async function run(): Promise<void> {
    while (running) {
      let delay = options.pollMs;
      try {
        delay = await options.round();
      } catch (err) {
        options.log.error(`${options.what} failed`, err);
      }
      if (running && delay > 0) await idle(delay);
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    wake() {
      woken = true;
      wakeUp?.();
    },
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
    },
  };
}
