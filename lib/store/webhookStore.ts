import { sql, type Kysely } from 'kysely';
import { newId } from '../domain/ids';
import type { Database, WebhookDeliveriesTable } from './schema';
import { claimLeased } from './leasedClaims';

export type DeliveryState = 'pending' | 'delivered' | 'failed';

/** One event on its way to one receiver. */
export interface WebhookDelivery {
  id: string;
  eventId: string;
  eventType: string;
  url: string;
  payload: string;
  state: DeliveryState;
  /** Attempts started so far (a claimed delivery counts its current one). */
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/**
 * Events of one topic are folded together, per URL: at most one waits at a
 * time, and it is due `windowMs` after the previous one of the topic was (at
 * once when that was long enough ago). A later event of the topic replaces the
 * waiting one's id and payload, unless its `rank` is lower (it was read
 * earlier than the one waiting); once a delivery has been attempted, the next
 * event of the topic queues a new one.
 */
export interface Folding {
  topic: string;
  rank: number;
  windowMs: number;
}

export interface WebhookStore {
  /**
   * Queues one event for each URL; queuing the same event for a URL twice changes nothing. With `fold`, see Folding.
   * `threadId`: the thread it is about, whose deletion takes the delivery out of the outbox (Store.deleteThread).
   */
  enqueue(request: { eventId: string; eventType: string; payload: string; urls: readonly string[]; at: string; threadId: string; fold?: Folding }): Promise<void>;
  /**
   * Takes up to `limit` due deliveries for this node: each is leased until
   * `leaseUntil` and its attempt counted. A conditional UPDATE per row makes
   * the claim exclusive: two nodes never both get one.
   */
  claimDue(request: { now: string; leaseUntil: string; limit: number }): Promise<WebhookDelivery[]>;
  markDelivered(request: { id: string; at: string }): Promise<void>;
  /** A failed attempt: try again at `retryAt`, or give up (`retryAt` null). */
  markFailed(request: { id: string; at: string; error: string; retryAt: string | null }): Promise<void>;
  /** The earliest time a pending delivery is due, or null with none pending. */
  nextDueAt(): Promise<string | null>;
  list(request?: { state?: DeliveryState }): Promise<WebhookDelivery[]>;
}

function fromRow(row: WebhookDeliveriesTable): WebhookDelivery {
  return {
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type,
    url: row.url,
    payload: row.payload,
    state: row.state as DeliveryState,
    attempts: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

/** Times come from the caller (the deliverer's clock), so tests can move it. */
export function createWebhookStore(db: Kysely<Database>): WebhookStore {
  return {
    async enqueue({ eventId, eventType, payload, urls, at, threadId, fold }) {
      if (urls.length === 0) return;
      const row = (url: string, due: string) => ({ id: newId(), event_id: eventId, event_type: eventType, url, payload, state: 'pending', attempts: 0, next_attempt_at: due, created_at: at, thread_id: threadId });
      if (!fold) {
        await db
          .insertInto('webhook_deliveries')
          .values(urls.map((url) => row(url, at)))
          .onConflict((oc) => oc.columns(['event_id', 'url']).doNothing())
          .execute();
        return;
      }
      for (const url of urls) {
        // The topic's latest turn, sent or waiting: a new delivery waits the window after it.
        const last = await db
          .selectFrom('webhook_deliveries')
          .select((eb) => eb.fn.max('next_attempt_at').as('due'))
          .where('topic', '=', fold.topic)
          .where('url', '=', url)
          .executeTakeFirst();
        const due = last?.due ? new Date(Math.max(Date.parse(at), Date.parse(last.due) + fold.windowMs)).toISOString() : at;
        await db
          .insertInto('webhook_deliveries')
          .values({ ...row(url, due), topic: fold.topic, topic_rank: fold.rank })
          // One waits per topic and URL (the partial index of migration 0011): a later event takes its place.
          .onConflict((oc) =>
            oc
              .columns(['topic', 'url'])
              .where(sql<boolean>`state = 'pending' and attempts = 0`)
              .doUpdateSet((eb) => ({
                event_id: eb.ref('excluded.event_id'),
                event_type: eb.ref('excluded.event_type'),
                payload: eb.ref('excluded.payload'),
                topic_rank: eb.ref('excluded.topic_rank'),
              }))
              .where(sql<boolean>`excluded.topic_rank >= webhook_deliveries.topic_rank`),
          )
          .execute();
      }
    },

    async claimDue(request) {
      return (await claimLeased(db, 'webhook_deliveries', request)).map(fromRow);
    },

    async markDelivered({ id, at }) {
      await db.updateTable('webhook_deliveries').set({ state: 'delivered', finished_at: at, lease_until: null, last_error: null }).where('id', '=', id).execute();
    },

    async markFailed({ id, at, error, retryAt }) {
      await db
        .updateTable('webhook_deliveries')
        .set(retryAt === null ? { state: 'failed', finished_at: at, lease_until: null, last_error: error } : { next_attempt_at: retryAt, lease_until: null, last_error: error })
        .where('id', '=', id)
        .execute();
    },

    async nextDueAt() {
      const row = await db.selectFrom('webhook_deliveries').select('next_attempt_at').where('state', '=', 'pending').orderBy('next_attempt_at').limit(1).executeTakeFirst();
      return row?.next_attempt_at ?? null;
    },

    async list({ state } = {}) {
      const rows = await db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .$if(state !== undefined, (qb) => qb.where('state', '=', state!))
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(fromRow);
    },
  };
}
