import type { Services } from '../../lib/services';
import type { Logger } from '../log';
import { createWebhookDeliverer, type WebhookDelivererOptions } from './deliverer';
import { listenForWebhooks, type WebhookListenerOptions } from './listener';

export { createWebhookDeliverer, type WebhookDeliverer } from './deliverer';
export { listenForWebhooks, REPORT_WINDOW_MS } from './listener';
export { verifySignature, SIGNATURE_HEADER, EVENT_ID_HEADER } from './signature';

/**
 * Outgoing webhooks on this node: queue every moderation notice for `urls`,
 * and deliver whatever is due, from this node or another (each delivery once).
 */
export function startWebhooks(
  options: { services: Services; urls: readonly string[]; secret: string; log: Logger } & Partial<WebhookDelivererOptions> & Pick<WebhookListenerOptions, 'reportWindowMs'>,
): { close(): Promise<void> } {
  const deliverer = createWebhookDeliverer({ ...options, store: options.services.store.webhooks });
  const unsubscribe = listenForWebhooks({ services: options.services, urls: options.urls, log: options.log, now: options.now, reportWindowMs: options.reportWindowMs, onQueued: () => deliverer.wake() });
  deliverer.start();
  return {
    async close() {
      unsubscribe();
      await deliverer.stop();
    },
  };
}
