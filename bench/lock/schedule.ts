/**
 * The order of a round's actions: lock, unlock and comment, one per interval.
 * A lock is always followed at once by its unlock, and comments fall only
 * between an unlock and the next lock, so none is refused for a locked thread.
 */

export type ActionKind = 'comment' | 'lock' | 'unlock';

export interface ScheduledAction {
  /** Position in the round: the action is due at start + slot × interval. */
  slot: number;
  kind: ActionKind;
  /** Index among the round's comments, or among its lock/unlock events (a lock is even, its unlock odd). */
  ordinal: number;
  /** The node the request goes to. */
  node: number;
  /** Warm-up actions are sent but left out of the statistics. */
  warmup: boolean;
}

export interface Schedule {
  actions: ScheduledAction[];
  comments: number;
  lockEvents: number;
  warmupComments: number;
  warmupLockEvents: number;
}

/**
 * Warm-up, not measured: comment, lock, unlock, comment, lock, unlock. The
 * first actions of a round pay JIT, cold caches and the readers' join traffic.
 */
const WARMUP_UNITS: ('comment' | 'pair')[] = ['comment', 'pair', 'comment', 'pair'];
const WARMUP_COMMENTS = WARMUP_UNITS.filter((u) => u === 'comment').length;
const WARMUP_PAIRS = WARMUP_UNITS.length - WARMUP_COMMENTS;

/**
 * `lockEvents / 2` lock+unlock pairs and `comments` comments, spread evenly
 * (Bresenham), after the warm-up. Nodes alternate within each kind: comment c
 * goes to node c mod n, lock pair j's lock to node j mod n and its unlock to
 * the next node, so every kind is published from both nodes about equally.
 */
export function buildSchedule(options: { lockEvents: number; comments: number; nodes: number }): Schedule {
  const pairs = options.lockEvents / 2;
  if (!Number.isInteger(pairs) || pairs < 1) throw new Error('lockEvents must be an even number ≥ 2');
  const units = [...WARMUP_UNITS];
  const total = pairs + options.comments;
  let placedPairs = 0;
  for (let u = 0; u < total; u += 1) {
    const pairsDue = Math.floor(((u + 1) * pairs) / total);
    if (pairsDue > placedPairs) {
      units.push('pair');
      placedPairs += 1;
    } else units.push('comment');
  }

  const actions: ScheduledAction[] = [];
  let comment = 0;
  let pair = 0;
  for (const unit of units) {
    if (unit === 'comment') {
      actions.push({ slot: actions.length, kind: 'comment', ordinal: comment, node: comment % options.nodes, warmup: comment < WARMUP_COMMENTS });
      comment += 1;
    } else {
      const warmup = pair < WARMUP_PAIRS;
      actions.push({ slot: actions.length, kind: 'lock', ordinal: 2 * pair, node: pair % options.nodes, warmup });
      actions.push({ slot: actions.length, kind: 'unlock', ordinal: 2 * pair + 1, node: (pair + 1) % options.nodes, warmup });
      pair += 1;
    }
  }
  return { actions, comments: comment, lockEvents: 2 * pair, warmupComments: WARMUP_COMMENTS, warmupLockEvents: 2 * WARMUP_PAIRS };
}
