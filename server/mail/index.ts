import type { Services } from '../../lib/services';
import type { Mailer } from '../../lib/services/signIn/mailer';
import type { Logger } from '../log';
import { createOutboxDeliverer, type OutboxDelivererOptions } from './outboxDeliverer';
import { createPoller } from '../poller';

export { createOutboxDeliverer, type OutboxDeliverer } from './outboxDeliverer';
export { createSmtpMailer } from './smtpMailer';

/** How often a node looks for batches whose window is over, digests due and a queue that waited: often enough for a short window. */
export function jobsPollMs(batchMs: number): number {
  return Math.min(30_000, Math.max(1_000, Math.floor(batchMs / 4)));
}

/**
 * Email for notices on this node (docs/email.md): the jobs that turn notices into mails in the
 * outbox (batches, digests, the queue's alert) and the deliverer that sends the outbox. Every node
 * runs both, with no leader: each batch, digest and alert is taken by one node in its transaction
 * (or its dedupe key), each mail by one node with its lease.
 */
export function startMail(
  options: { services: Services; mailer: Mailer; log: Logger; now?: () => number; jobsPollMs?: number } & Partial<Omit<OutboxDelivererOptions, 'store' | 'mailer' | 'log'>>,
): { close(): Promise<void>; deliverer: ReturnType<typeof createOutboxDeliverer> } {
  const { services, log } = options;
  const now = options.now ?? Date.now;
  const deliverer = createOutboxDeliverer({ ...options, store: services.store.mail });
  const unsubscribe = services.mail.onQueued(() => deliverer.wake());
  const jobs = createPoller({
    pollMs: options.jobsPollMs ?? 30_000,
    log,
    what: 'mail jobs round',
    round: async () => {
      const at = now();
      // Each on its own: a failing digest must not hold the batches back.
      for (const [name, job] of [
        ['batches', () => services.mail.mailNotices(at)],
        ['digests', () => services.mail.mailDigests(at)],
        ['queue alert', () => services.mail.alertQueue(at)],
      ] as const) {
        await job().catch((err: unknown) => log.error(`mail ${name} failed`, err));
      }
      return options.jobsPollMs ?? 30_000;
    },
  });
  deliverer.start();
  jobs.start();
  return {
    deliverer,
    async close() {
      unsubscribe();
      await jobs.stop();
      await deliverer.stop();
    },
  };
}
