import { PERSON_ROW_KINDS, type PersonRowKind, type PersonRows } from '../store/peopleTransfer';
import type { ImportStore } from '../store/importStore';
import type { SkipReason, SourcePersonRow } from './records';

/** Rows added by kind (in a dry run: read), for the report. */
export type PersonRowCounts = Record<PersonRowKind, number>;

export function emptyPersonRowCounts(): PersonRowCounts {
  return { account: 0, identity: 0, standing: 0, note: 0, mute: 0, watch: 0, preference: 0, like: 0 };
}

/** How the report names each kind, plural. */
export const PERSON_ROW_LABELS: Record<PersonRowKind, string> = {
  account: 'accounts',
  identity: 'sign-in links',
  standing: "moderators' words on people",
  note: 'notes on people',
  mute: 'mutes',
  watch: 'followed or blocked threads',
  preference: 'mail choices',
  like: 'likes',
};

/** What a row names that must be there, and the skip when it never comes. */
const WHEN_MISSING: { [K in PersonRowKind]?: { reason: SkipReason; detail(value: PersonRows[K]): string } } = {
  identity: { reason: 'missing_account', detail: (v) => `sign-in link ${v.provider} ${v.subject} names account ${v.userId}, which is not in the file` },
  watch: { reason: 'missing_thread', detail: (v) => `${v.ownerId}'s watch names thread ${v.threadId}, which is not in the file` },
  like: { reason: 'missing_comment', detail: (v) => `${v.personId}'s like names comment ${v.commentId}, which is not in the file` },
};

export interface PersonRowsImport {
  add(record: SourcePersonRow): Promise<void>;
  /**
   * Writes what is left, once every other record is stored (comments that waited for their
   * parents included); rows that found nothing are tried once more then, and skipped if they
   * still find nothing.
   */
  finish(): Promise<void>;
}

/**
 * Accounts and what hangs off a person id, written in batches as they are read (a site's likes
 * are too many to hold). A batch writes its kinds in file order, accounts first (sign-in links
 * need them), and stores the comments read so far before likes, which need them.
 */
export function createPersonRowsImport(options: {
  store: { imports: Pick<ImportStore, 'addPersonRows'> };
  batchSize: number;
  counts: PersonRowCounts;
  warnings: string[];
  /** Stores the comments read so far (the run's batch). */
  storeComments: () => Promise<void>;
  skip: (line: number, reason: SkipReason, detail: string) => void;
}): PersonRowsImport {
  const { store, counts } = options;
  /** Rows by kind with their lines; the reader checked each value against its kind. */
  type Rows = Record<PersonRowKind, { line: number; value: unknown }[]>;
  const empty = (): Rows => ({ account: [], identity: [], standing: [], note: [], mute: [], watch: [], preference: [], like: [] });
  let pending = empty();
  let size = 0;
  /** Rows that named something not stored yet: tried again by `finish`. */
  const later = empty();

  async function write(kind: PersonRowKind, rows: { line: number; value: unknown }[], last: boolean): Promise<void> {
    if (rows.length === 0) return;
    if (kind === 'like') await options.storeComments();
    const lines = new Map(rows.map((r) => [r.value, r.line]));
    const result = await store.imports.addPersonRows({ kind, rows: rows.map((r) => r.value as PersonRows[PersonRowKind]) });
    counts[kind] += result.added;
    options.warnings.push(...result.warnings);
    const missing = WHEN_MISSING[kind] as { reason: SkipReason; detail(value: unknown): string } | undefined;
    for (const value of result.missing) {
      const line = lines.get(value) ?? 0;
      if (!last) later[kind].push({ line, value });
      else if (missing) options.skip(line, missing.reason, missing.detail(value));
    }
  }

  async function writePending(): Promise<void> {
    const rows = pending;
    pending = empty();
    size = 0;
    for (const kind of PERSON_ROW_KINDS) await write(kind, rows[kind], false);
  }

  return {
    async add({ line, row }) {
      pending[row.kind].push({ line, value: row.value });
      if (++size >= options.batchSize) await writePending();
    },

    async finish() {
      await writePending();
      for (const kind of PERSON_ROW_KINDS) {
        const rows = later[kind];
        for (let i = 0; i < rows.length; i += options.batchSize) await write(kind, rows.slice(i, i + options.batchSize), true);
      }
    },
  };
}
