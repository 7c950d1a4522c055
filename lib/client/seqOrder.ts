/**
 * The ordering rule every reader of a thread follows, apart from what it does
 * with an event: apply events strictly in seq order, drop a copy of one it
 * already has, and while a subscribe is in flight hold live events back — the
 * subscribe's answer brings whatever came before them, so a live event that
 * overtakes the answer is no gap. Only events still waiting behind a hole once
 * the answer is in call for a catch-up over HTTP.
 *
 * Used by the load-test readers (bench/reconnect) so they behave as the live
 * page does (lib/client/threadState.ts holds the page's own version of the rule).
 */
/**
 * How long a reader waits for a missing event before asking the server for it. Events of one thread may
 * overtake each other on the way: two posts committed a moment apart publish in the order their commits
 * returned, which need not be their seqs' order, and another node's events come through Redis. In a busy
 * storm, fetching at once made most readers fetch (bench/reconnect, issue 15); waiting a moment lets the
 * late event arrive on its own, and a hole that stays is fetched as before.
 */
export const GAP_GRACE_MS = 250;

export interface SeqEvent {
  seq: number;
}

export class SeqOrder<E extends SeqEvent> {
  /** The last seq applied; every event up to it has been handed out. */
  last: number;
  /** Copies dropped (a seq already applied). */
  duplicates = 0;
  private readonly ahead = new Map<number, E>();
  private holding = false;

  constructor(last: number) {
    this.last = last;
  }

  /** A subscribe (from `last`) was sent: live events wait for its answer. */
  hold(): void {
    this.holding = true;
  }

  /** Whether a subscribe's answer is awaited. */
  get held(): boolean {
    return this.holding;
  }

  /** Events are waiting behind a hole that no pending answer will fill: time to fetch what is missing. */
  get gap(): boolean {
    return !this.holding && this.ahead.size > 0;
  }

  /** A live event; returns what can now be applied, in order (often just it, or nothing). */
  live(event: E): E[] {
    if (!this.keep(event)) return [];
    return this.holding ? [] : this.drain();
  }

  /**
   * What a subscribe's answer or a catch-up brought (events after `last`, in any
   * order, copies allowed); ends the hold. Returns what can now be applied, in order.
   */
  answer(missed: readonly E[]): E[] {
    this.holding = false;
    for (const event of missed) this.keep(event);
    return this.drain();
  }

  /** What a catch-up over HTTP brought: like `answer`, but a subscribe in flight is still awaited. */
  filled(missed: readonly E[]): E[] {
    for (const event of missed) this.keep(event);
    return this.holding ? [] : this.drain();
  }

  /** A subscribe that failed (the connection went away): nothing arrives from it; events stay waiting. */
  release(): void {
    this.holding = false;
  }

  private keep(event: E): boolean {
    if (event.seq <= this.last || this.ahead.has(event.seq)) {
      this.duplicates++;
      return false;
    }
    this.ahead.set(event.seq, event);
    return true;
  }

  private drain(): E[] {
    const ready: E[] = [];
    for (let next = this.ahead.get(this.last + 1); next; next = this.ahead.get(this.last + 1)) {
      this.ahead.delete(this.last + 1);
      this.last++;
      ready.push(next);
    }
    return ready;
  }
}
