import { isJsonObject } from './jsonLines';
import { parseTime } from './records';

/**
 * Dates and numbers of MongoDB documents as JSON gives them, in each dialect a Coral
 * export comes in: Coral's download utility writes `JSON.stringify(doc)` (a date is an ISO
 * string); `mongoexport` writes Extended JSON v2, relaxed by default (`{"$date":"…"}`) or
 * canonical (`{"$date":{"$numberLong":"…"}}`, `{"$numberInt":"…"}`).
 */
export function mongoTime(value: unknown): string | undefined {
  if (typeof value === 'string') return parseTime(value);
  if (!isJsonObject(value) || !('$date' in value)) return undefined;
  const date = value.$date;
  if (typeof date === 'string') return parseTime(date);
  const ms = mongoNumber(date);
  if (ms === undefined || ms < 0) return undefined;
  const time = new Date(ms);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

export function mongoNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (!isJsonObject(value)) return undefined;
  const text = value.$numberLong ?? value.$numberInt ?? value.$numberDouble;
  if (typeof text !== 'string') return undefined;
  const number = Number(text);
  return Number.isFinite(number) ? number : undefined;
}
