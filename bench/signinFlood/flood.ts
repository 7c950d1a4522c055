import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { loopbackAddress, requestFrom, type AddressedResult } from '../../server/testing/fromAddress';
import { nowMs, sleep } from '../common/clock';

/** How the flood's attempts were answered. */
export interface FloodResult {
  sent: number;
  /** Answers by HTTP status (`"401"`, `"503"`…), and `"error"` for a request that got none. */
  statuses: Record<string, number>;
  /** From the first attempt sent to the last answered, s. */
  lastAnswerS: number;
}

/**
 * A sign-in flood as the issue reproduced it: `rate` attempts a second for `seconds`, open loop,
 * each from an address of its own (127.<block>.x.y: Linux routes all of 127/8 to loopback) and for
 * a username of its own, so that every attempt is within every per-address and per-username limit.
 */
export async function runFlood(options: { baseUrl: string; rate: number; seconds: number; block: number }): Promise<FloodResult> {
  const count = Math.round(options.rate * options.seconds);
  const statuses: Record<string, number> = {};
  const startMs = nowMs();
  let lastMs = startMs;
  const attempts: Promise<void>[] = [];
  for (let i = 0; i < count; i += 1) {
    const due = startMs + (i * 1000) / options.rate;
    if (due > nowMs()) await sleep(due - nowMs());
    const attempt = requestFrom(loopbackAddress(options.block, i), `${options.baseUrl}/api/auth/login`, {
      json: { username: `flood-${randomBytes(5).toString('hex')}`, password: 'not-the-password' },
    }).then(
      (res) => void (statuses[res.status] = (statuses[res.status] ?? 0) + 1),
      () => void (statuses.error = (statuses.error ?? 0) + 1),
    );
    attempts.push(attempt.then(() => void (lastMs = nowMs())));
  }
  await Promise.all(attempts);
  return { sent: count, statuses, lastAnswerS: Math.round(lastMs - startMs) / 1000 };
}

/** One person's sign-in, as the login page makes it: tried again after `Retry-After` when the server says so. */
export interface SignInOutcome {
  /** From the first try to the last answer, s. */
  seconds: number;
  tries: number;
  /** The last answer's status: 200 when signed in. */
  status: number;
  /** The `Cookie` header the browser keeps afterwards (the device cookie, where the server gives one). */
  keptCookie: string | undefined;
}

export async function signInAsPerson(options: {
  baseUrl: string;
  address: string;
  username: string;
  password: string;
  cookie?: string | undefined;
  /** Gives up (the last status stands) once waiting would pass this, ms after the first try. */
  patienceMs: number;
}): Promise<SignInOutcome> {
  const startMs = nowMs();
  let tries = 0;
  let res: AddressedResult;
  for (;;) {
    tries += 1;
    res = await requestFrom(options.address, `${options.baseUrl}/api/auth/login`, {
      json: { username: options.username, password: options.password },
      ...(options.cookie && { cookie: options.cookie }),
    });
    const wait = Number(res.headers['retry-after'] ?? Number.NaN) * 1000;
    if (res.status === 200 || !Number.isFinite(wait) || nowMs() + wait - startMs > options.patienceMs) break;
    await sleep(wait);
  }
  const kept = res.cookies.filter((c) => !c.startsWith('tl_session='));
  return { seconds: Math.round(nowMs() - startMs) / 1000, tries, status: res.status, keptCookie: kept.length > 0 ? kept.join('; ') : options.cookie };
}

/** The highest resident memory of a process while `during` runs, sampled every 100 ms, MiB. */
export async function peakRss<T>(pid: number, during: Promise<T>): Promise<{ value: T; peakMiB: number }> {
  let peakKiB = 0;
  const sample = () => {
    try {
      const kib = Number(/^VmRSS:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      peakKiB = Math.max(peakKiB, kib);
    } catch {
      // Not Linux, or the process is gone: nothing to read.
    }
  };
  sample();
  const timer = setInterval(sample, 100);
  try {
    const value = await during;
    sample();
    return { value, peakMiB: Math.round(peakKiB / 1024) };
  } finally {
    clearInterval(timer);
  }
}
