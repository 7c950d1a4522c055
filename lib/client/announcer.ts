/**
 * Screen-reader announcements of new live comments, in batches: a busy thread
 * must not read every arrival out one by one. The first arrival after a quiet
 * spell starts a batch; whatever else arrives until `intervalMs` later joins
 * it; then one message ("3 new comments") is announced. At most one message
 * per interval, however fast comments come.
 *
 * Pure apart from the injected clock, so the batching is unit-tested without
 * timers or a browser.
 */
export interface AnnouncerClock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface BatchAnnouncer {
  /** `n` more comments arrived. */
  add(n?: number): void;
  /** Stops a pending announcement (the page is going away). */
  dispose(): void;
}

export function createBatchAnnouncer(options: {
  intervalMs: number;
  /** Called with the batch size; returns nothing: the caller writes it into its live region. */
  announce(count: number): void;
  clock?: AnnouncerClock;
}): BatchAnnouncer {
  const clock: AnnouncerClock = options.clock ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };
  let pending = 0;
  let timer: unknown = null;
  const flush = () => {
    timer = null;
    if (pending === 0) return;
    const count = pending;
    pending = 0;
    options.announce(count);
  };
  return {
    add(n = 1) {
      if (n <= 0) return;
      pending += n;
      timer ??= clock.setTimeout(flush, options.intervalMs);
    },
    dispose() {
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      pending = 0;
    },
  };
}
