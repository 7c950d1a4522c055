/**
 * The wait before attempt `attempt + 1`, after `attempt` failed ones: doubling
 * from `baseMs`, capped at `maxMs`, then "equal jitter" (half fixed, half random)
 * so receivers coming back up are not hit by every node in step.
 */
export function backoffMs(options: { attempt: number; baseMs: number; maxMs: number; random: () => number }): number {
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, options.attempt - 1));
  return Math.round(exponential / 2 + options.random() * (exponential / 2));
}
