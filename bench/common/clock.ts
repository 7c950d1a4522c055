/**
 * Wall-clock time in milliseconds with sub-millisecond resolution.
 * Writer and readers live in the same process, so they read the same clock:
 * latency = receive time − intended send time, both from here.
 */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
