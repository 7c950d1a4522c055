/**
 * The benchmark's comment body: `bench:<runId>:<index>:<intendedMs> <filler>`.
 * It carries the comment's intended send time so a reader can compute latency
 * from the delivery alone, and stays a valid Threadline comment (1–5000 chars,
 * plain words so the markdown rendering is ordinary).
 */

const FILLER =
  'Lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua ' +
  'Ut enim ad minim veniam quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat ';

export const BODY_MAX_CHARS = 5000;

export interface BenchBodyFields {
  runId: string;
  index: number;
  intendedMs: number;
}

/** A body of about `chars` characters (never fewer than the header needs, never more than 5000). */
export function makeBenchBody(fields: BenchBodyFields & { chars: number }): string {
  const header = `bench:${fields.runId}:${fields.index}:${fields.intendedMs.toFixed(3)}`;
  const wanted = Math.min(BODY_MAX_CHARS, Math.max(header.length, fields.chars));
  if (wanted <= header.length + 1) return header;
  let filler = '';
  while (filler.length < wanted - header.length - 1) filler += FILLER;
  // The server trims comment bodies: never end on a space, so both targets carry the same text.
  return `${header} ${filler.slice(0, wanted - header.length - 1)}`.trimEnd();
}

const HEADER = /^bench:([A-Za-z0-9]+):(\d+):(\d+(?:\.\d+)?)(?:\s|$)/;

/** The fields of a bench body from this run, or null for any other comment. */
export function parseBenchBody(body: string, runId: string): BenchBodyFields | null {
  const match = HEADER.exec(body);
  if (!match || match[1] !== runId) return null;
  return { runId, index: Number(match[2]), intendedMs: Number(match[3]) };
}
