import type { WebhookDelivery, WebhookStore } from '../../lib/store/webhookStore';
import { createPoller, type OutboxDelivererTuning } from '../poller';
import { backoffMs } from './backoff';
import { EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, signatureHeader } from './signature';

export interface WebhookDelivererOptions extends OutboxDelivererTuning {
  store: WebhookStore;
  secret: string;
  /** How long one receiver may take to answer. */
  timeoutMs?: number;
}

const WEBHOOK_DEFAULTS = { backoffBaseMs: 10_000, backoffMaxMs: 3_600_000, maxAttempts: 8, timeoutMs: 10_000, pollMs: 5_000, batch: 20 };

export interface WebhookDeliverer {
  /** Delivers in the background until `stop`. */
  start(): void;
  /** Stops taking new deliveries and waits for those in flight. */
  stop(): Promise<void>;
  /** Something was queued: look now rather than at the next poll. */
  wake(): void;
  /** One round: claims what is due and attempts each once. Resolves with how many were attempted. */
  runOnce(): Promise<number>;
}

type Outcome = { ok: true } | { ok: false; error: string; retry: boolean };

/**
 * Takes due deliveries from the outbox (exclusively: see WebhookStore.claimDue),
 * POSTs each signed, and records the outcome: delivered, retried later with
 * backoff (network errors, timeouts, 408, 429, 5xx), or given up (other answers,
 * or after `maxAttempts`).
 */
export function createWebhookDeliverer(options: WebhookDelivererOptions): WebhookDeliverer {
  const settings = {
    backoffBaseMs: options.backoffBaseMs ?? WEBHOOK_DEFAULTS.backoffBaseMs,
    backoffMaxMs: options.backoffMaxMs ?? WEBHOOK_DEFAULTS.backoffMaxMs,
    maxAttempts: options.maxAttempts ?? WEBHOOK_DEFAULTS.maxAttempts,
    timeoutMs: options.timeoutMs ?? WEBHOOK_DEFAULTS.timeoutMs,
    pollMs: options.pollMs ?? WEBHOOK_DEFAULTS.pollMs,
    batch: options.batch ?? WEBHOOK_DEFAULTS.batch,
  };
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const { store, log } = options;
  // A lease longer than any attempt, so nobody else takes a delivery still in flight.
  const leaseMs = settings.timeoutMs + 30_000;

  async function attempt(delivery: WebhookDelivery): Promise<Outcome> {
    const timestamp = Math.floor(now() / 1000);
    try {
      const res = await fetch(delivery.url, {
        method: 'POST',
        body: delivery.payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(settings.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Threadline-Webhooks/1',
          [EVENT_ID_HEADER]: delivery.eventId,
          [EVENT_TYPE_HEADER]: delivery.eventType,
          [SIGNATURE_HEADER]: signatureHeader({ secret: options.secret, timestamp, body: delivery.payload }),
        },
      });
      await res.body?.cancel();
      if (res.status >= 200 && res.status < 300) return { ok: true };
      const retry = res.status >= 500 || res.status === 408 || res.status === 429;
      return { ok: false, error: `HTTP ${res.status}`, retry };
    } catch (err) {
      const error = err instanceof Error ? (err.name === 'TimeoutError' ? `timed out after ${settings.timeoutMs} ms` : `${err.message}${err.cause instanceof Error ? `: ${err.cause.message}` : ''}`) : String(err);
      return { ok: false, error, retry: true };
    }
  }

  async function deliver(delivery: WebhookDelivery): Promise<void> {
    const outcome = await attempt(delivery);
    const at = new Date(now()).toISOString();
    if (outcome.ok) return store.markDelivered({ id: delivery.id, at });
    const last = !outcome.retry || delivery.attempts >= settings.maxAttempts;
    const retryAt = last ? null : new Date(now() + backoffMs({ attempt: delivery.attempts, baseMs: settings.backoffBaseMs, maxMs: settings.backoffMaxMs, random })).toISOString();
    if (last) log.warn(`webhook ${delivery.eventType} ${delivery.eventId} to ${delivery.url} given up after ${delivery.attempts} attempt(s): ${outcome.error}`);
    await store.markFailed({ id: delivery.id, at, error: outcome.error, retryAt });
  }

  async function runOnce(): Promise<number> {
    const at = now();
    const claimed = await store.claimDue({ now: new Date(at).toISOString(), leaseUntil: new Date(at + leaseMs).toISOString(), limit: settings.batch });
    await Promise.all(claimed.map((d) => deliver(d).catch((err: unknown) => log.error(`webhook ${d.id} could not be recorded`, err))));
    return claimed.length;
  }

  const poller = createPoller({
    pollMs: settings.pollMs,
    log,
    what: 'webhook delivery round',
    async round() {
      // A full batch may mean more is due: go again at once.
      if ((await runOnce()) === settings.batch) return 0;
      const next = await store.nextDueAt();
      return next === null ? settings.pollMs : Math.max(0, Math.min(settings.pollMs, Date.parse(next) - now()));
    },
  });

  return {
    runOnce,
    start: () => poller.start(),
    wake: () => poller.wake(),
    stop: () => poller.stop(),
  };
}
