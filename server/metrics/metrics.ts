import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the instrumented code needs to read at scrape time (set once the Socket.IO server exists). */
export interface LiveCounts {
  openSockets(): number;
  threadSubscriptions(): number;
}

/**
 * The node's Prometheus metrics, in a registry of this app's own (never
 * prom-client's global one), so several apps in one test process do not clash.
 */
export interface Metrics {
  readonly registry: Registry;
  readonly eventsPublished: Counter<'type'>;
  readonly eventsDelivered: Counter<'event'>;
  /** One packet to one socket: cheap enough for every delivery of a broadcast. */
  countDelivery(event: string): void;
  readonly postLatency: Histogram<'outcome'>;
  readonly catchUpSize: Histogram;
  readonly adapterErrors: Counter<'client' | 'kind'>;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;
  /** Reader pages answered by the page cache (server/pageCache), by how it found them. */
  readonly pageCache: Counter<'source'>;
  /** Where the socket and subscription gauges read from; unset, they read 0. */
  watch(counts: LiveCounts): void;
  /** The Prometheus text exposition. */
  render(): Promise<{ contentType: string; body: string }>;
}

export function createMetrics(options: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'threadline_' });
  let counts: LiveCounts | undefined;

  new Gauge({
    name: 'threadline_open_sockets',
    help: 'Socket.IO connections open on this node.',
    registers: [registry],
    collect() {
      this.set(counts?.openSockets() ?? 0);
    },
  });
  new Gauge({
    name: 'threadline_thread_subscriptions',
    help: 'Thread subscriptions (socket × thread room) on this node.',
    registers: [registry],
    collect() {
      this.set(counts?.threadSubscriptions() ?? 0);
    },
  });

  const deliveries = new Map<string, number>();

  return {
    registry,
    eventsPublished: new Counter({
      name: 'threadline_events_published_total',
      help: 'Thread events committed on this node and handed to the fan-out (to Redis when clustered), by event type.',
      labelNames: ['type'],
      registers: [registry],
    }),
    eventsDelivered: new Counter({
      name: 'threadline_events_delivered_total',
      help: 'Server-to-client socket packets written to connections on this node (whichever node published them), by event name. Counts hand-overs to the transport, not receipts.',
      labelNames: ['event'],
      registers: [registry],
      // Tallied in a plain map on the fan-out path (once per socket per packet) and moved here when read.
      collect() {
        for (const [event, n] of deliveries) this.inc({ event }, n);
        deliveries.clear();
      },
    }),
    countDelivery(event: string) {
      deliveries.set(event, (deliveries.get(event) ?? 0) + 1);
    },
    postLatency: new Histogram({
      name: 'threadline_post_duration_seconds',
      help: 'Time to post a comment (HTTP, socket or form), from the service call to commit and publish; outcome is created, retried or error.',
      labelNames: ['outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    catchUpSize: new Histogram({
      name: 'threadline_catch_up_events',
      help: 'Events returned by one catch-up (missed.length): thread:subscribe acks and GET /api/threads/:slug/events alike.',
      buckets: [0, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
      registers: [registry],
    }),
    adapterErrors: new Counter({
      name: 'threadline_redis_adapter_errors_total',
      help: 'Errors and reconnections of the Redis pub/sub clients of the Socket.IO adapter (client=publisher|subscriber, kind=error|reconnect).',
      labelNames: ['client', 'kind'],
      registers: [registry],
    }),
    httpRequests: new Counter({
      name: 'threadline_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern (or page/static) and status.',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'threadline_http_request_duration_seconds',
      help: 'HTTP request duration until the response is finished, by method and route pattern.',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    pageCache: new Counter({
      name: 'threadline_page_cache_total',
      help: 'Shareable reader pages answered, by source: hit (kept and fresh), revalidated (kept, its thread found unchanged), rendered (for everyone), pass (not kept: a 404, a thread that changed while it rendered).',
      labelNames: ['source'],
      registers: [registry],
    }),
    watch(live) {
      counts = live;
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
