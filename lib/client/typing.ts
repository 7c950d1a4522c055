/**
 * "Someone is replying…" as one page knows it: who is writing where, until
 * when, as pure functions so the rules are unit-tested without a socket.
 *
 * A writer is known by the clientId their comment will be posted with (the
 * typing signal carries it, and so does the comment's `comment.created`
 * event), so the notice goes the moment that writer's comment arrives, not
 * seconds later. A signal from an older page carries no clientId: it is
 * known by its place only, and any comment arriving there ends it.
 */

/** Where a comment being written will land: the id of the comment answered, or TOP for a new top-level comment. */
export const TOP = 'top';

export interface Writer {
  place: string;
  /** The clientId the writer's comment will carry, or null when the signal did not say. */
  clientId: string | null;
  /** Until when the notice shows without another signal (epoch ms). */
  until: number;
}

export type Writers = readonly Writer[];

export function placeOf(parentId: string | null): string {
  return parentId ?? TOP;
}

function sameWriter(a: Writer, b: Writer): boolean {
  return a.clientId !== null || b.clientId !== null ? a.clientId === b.clientId : a.place === b.place;
}

/** A signal: someone is writing at `parentId`'s place. Their earlier signal (here or elsewhere) is replaced. */
export function signalled(writers: Writers, signal: { parentId: string | null; clientId?: string | undefined }, until: number): Writers {
  const writer: Writer = { place: placeOf(signal.parentId), clientId: signal.clientId ?? null, until };
  return [...writers.filter((w) => !sameWriter(w, writer)), writer];
}

/** A comment arrived: its writer is done (matched by clientId; a writer without one, by place). */
export function arrived(writers: Writers, comment: { parentId: string | null; clientId?: string | undefined }): Writers {
  const place = placeOf(comment.parentId);
  const done = (w: Writer) => (w.clientId === null ? w.place === place : w.clientId === comment.clientId);
  return writers.some(done) ? writers.filter((w) => !done(w)) : writers;
}

/** Writers whose last signal is older than their notice lasts. */
export function expired(writers: Writers, now: number): Writers {
  return writers.some((w) => w.until <= now) ? writers.filter((w) => w.until > now) : writers;
}

/** When the next notice runs out, or null when none shows. */
export function nextExpiry(writers: Writers): number | null {
  return writers.length === 0 ? null : Math.min(...writers.map((w) => w.until));
}

/** How many are writing at each place (places with nobody are absent). */
export function writersByPlace(writers: Writers): Record<string, number> {
  const places: Record<string, number> = {};
  for (const w of writers) places[w.place] = (places[w.place] ?? 0) + 1;
  return places;
}
