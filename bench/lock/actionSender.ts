import http from 'node:http';
import { nowMs, sleep } from '../common/clock';
import { makeBenchBody } from '../common/load/commentBody';
import { postJson, type PostResponse } from '../common/httpPost';
import { percentileOfSorted } from '../common/stats';
import type { LockPlan } from './plan';
import type { ScheduledAction } from './schedule';

export interface ActionOutcome {
  /** HTTP status; null when the request itself failed (refused, timed out). */
  status: number | null;
  /** Intended send time → response, ms. */
  responseMs: number;
  error: string | null;
  /** For a lock or unlock: the seq of its `thread.updated` and the thread's `locked` after it, from the response. */
  seq: number | null;
  locked: boolean | null;
}

export interface ScheduleRun {
  /** By slot; the intended send time of each action (ms, see fanout/clock.ts). */
  intendedMs: Float64Array;
  outcomes: ActionOutcome[];
  sendLagP99Ms: number;
  sendLagMaxMs: number;
}

/**
 * Sends the round's actions open loop: action s is due at startAtMs + s × interval
 * and goes then, whether or not earlier requests were answered; a stalled
 * generator catches up rather than shifting the schedule. Resolves once every
 * request has its answer.
 */
export async function runActionSchedule(options: { plan: LockPlan; startAtMs: number }): Promise<ScheduleRun> {
  const { plan } = options;
  const actions = plan.schedule.actions;
  const agents = plan.nodeUrls.map(() => new http.Agent({ keepAlive: true, maxSockets: 64 }));
  const intendedMs = Float64Array.from(actions, (a) => options.startAtMs + a.slot * plan.intervalMs);
  const sendLag = new Float64Array(actions.length);
  const outcomes: ActionOutcome[] = new Array<ActionOutcome>(actions.length);
  const inFlight: Promise<void>[] = [];

  const send = (action: ScheduledAction) => {
    const intended = intendedMs[action.slot] as number;
    sendLag[action.slot] = nowMs() - intended;
    const request = requestFor({ plan, action, intendedMs: intended, agent: agents[action.node] as http.Agent });
    inFlight.push(
      postJson(request).then(
        (res) => void (outcomes[action.slot] = outcomeOf(res, nowMs() - intended, action)),
        (err: unknown) => void (outcomes[action.slot] = { status: null, responseMs: nowMs() - intended, error: (err as Error).message, seq: null, locked: null }),
      ),
    );
  };

  let next = 0;
  while (next < actions.length) {
    const waitMs = (intendedMs[next] as number) - nowMs();
    if (waitMs > 0) {
      await sleep(waitMs);
      continue;
    }
    while (next < actions.length && (intendedMs[next] as number) <= nowMs()) send(actions[next++] as ScheduledAction);
  }
  await Promise.all(inFlight);
  for (const agent of agents) agent.destroy();

  const lags = Float64Array.from(sendLag).sort();
  return { intendedMs, outcomes, sendLagP99Ms: percentileOfSorted(lags, 99), sendLagMaxMs: lags.length > 0 ? (lags[lags.length - 1] as number) : Number.NaN };
}

function requestFor(args: { plan: LockPlan; action: ScheduledAction; intendedMs: number; agent: http.Agent }) {
  const { plan, action } = args;
  const base = plan.nodeUrls[action.node] as string;
  if (action.kind === 'comment') {
    const body = JSON.stringify({
      ...plan.commentFields,
      body: makeBenchBody({ runId: plan.runId, index: action.ordinal, intendedMs: args.intendedMs, chars: plan.bodyChars }),
      clientId: `bench-${plan.runId}-${action.ordinal}`,
    });
    return { url: new URL(plan.commentPath, base), agent: args.agent, body };
  }
  // A lock needs no body; the moderator's session cookie is the whole request.
  return { url: new URL(action.kind === 'lock' ? plan.lockPath : plan.unlockPath, base), agent: args.agent, headers: { cookie: plan.moderatorCookie } };
}

function outcomeOf(res: PostResponse, responseMs: number, action: ScheduledAction): ActionOutcome {
  const ok = res.status >= 200 && res.status < 300;
  const outcome: ActionOutcome = { status: res.status, responseMs, error: ok ? null : `${action.kind}: HTTP ${res.status}: ${res.body.slice(0, 300)}`, seq: null, locked: null };
  if (!ok || action.kind === 'comment') return outcome;
  try {
    const thread = (JSON.parse(res.body) as { thread?: { seq?: unknown; locked?: unknown } }).thread;
    if (typeof thread?.seq === 'number') outcome.seq = thread.seq;
    if (typeof thread?.locked === 'boolean') outcome.locked = thread.locked;
  } catch {
    outcome.error = `${action.kind}: HTTP ${res.status} with a body that is not JSON: ${res.body.slice(0, 200)}`;
  }
  if (outcome.seq === null && outcome.error === null) outcome.error = `${action.kind}: the response has no thread.seq: ${res.body.slice(0, 200)}`;
  return outcome;
}
