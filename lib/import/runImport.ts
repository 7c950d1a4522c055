import { newId } from '../domain/ids';
import type { CommentStatus } from '../domain/types';
import type { ExportedBan, ExportedMapping, ExportedUser, ImportedCommentRecord } from '../store/importStore';
import type { Store } from '../store/store';
import { createPersonRowsImport, emptyPersonRowCounts, PERSON_ROW_LABELS, type PersonRowCounts } from './personRowsImport';
import { checkComment, SKIP_REASONS, type SkipReason, type SourceComment, type SourceRecord } from './records';

/** Comments per transaction. */
const DEFAULT_BATCH = 500;
/** Skipped records listed by line in the report (all are counted). */
const MAX_EXAMPLES = 50;

export interface ImportReport {
  source: string;
  dryRun: boolean;
  /** `hidden`: of those created, the ones made hidden because they are not public at the source. */
  threads: { created: number; existing: number; hidden: number };
  comments: {
    /** Stored by this run, by status. */
    imported: Record<CommentStatus, number>;
    /** Of those, attached at the top level because their parent was never imported. */
    orphans: number;
    /** In a dry run: readable and passing the text rules (parents and threads are not checked). */
    readable: number;
    /** Of those stored, the ones the source gave no date: dated by the export's time (flagged in the report). */
    undated: number;
  };
  /** Things that were accepted but are worth knowing (text before the XML declaration, ids named by the file…). */
  warnings: string[];
  skipped: Record<SkipReason, number>;
  /** The first skipped records, with their line and why. */
  examples: { line: number; reason: SkipReason; detail: string }[];
  moderation: { bans: number; bannedWords: number; users: number };
  /** Source id mappings carried over from a Threadline export. */
  mappings: number;
  /** Accounts, likes and what else hangs off a person (a Threadline export of format 2), added by kind; in a dry run, read. */
  people: PersonRowCounts;
}

export interface RunImportOptions {
  store: Store;
  records: AsyncIterable<SourceRecord>;
  /** Names the origin of the external ids unless the file does (a `source` record). */
  source: string;
  /** Read and check everything, write nothing. */
  dryRun?: boolean;
  batchSize?: number;
  /** An existing thread with the same slug receives the comments (not for Threadline exports, which keep ids). */
  attachToSlug?: boolean;
}

/**
 * Imports a stream of records. Comments whose parent is known (imported before, or
 * earlier in the same batch) are stored at once, in batches, each in one transaction
 * taking its threads' next seqs; the others wait in the database (`import_staging`),
 * not in memory, and are retried once the file is read: a parent that came later is
 * found then. A comment whose parent never comes is attached at the top level
 * (an orphan); one whose thread never comes is skipped. Idempotent: every stored
 * record is mapped from its source id, and a mapped record is counted as a duplicate.
 */
export async function runImport(options: RunImportOptions): Promise<ImportReport> {
  const { store } = options;
  const dryRun = options.dryRun ?? false;
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const report = emptyReport(options.source, dryRun);
  const runId = newId();
  /** Thread source id → our id. Threads are few next to comments; their comments are not kept. */
  const threadIds = new Map<string, string>();
  let batch: SourceComment[] = [];
  let position = 0;
  const bans: ExportedBan[] = [];
  const bannedWords: string[] = [];
  const users: ExportedUser[] = [];
  /** Mappings wait for the end of the file, when every comment they name is stored; in pages, not all at once. */
  let mappings: ExportedMapping[] = [];

  const skip = (line: number, reason: SkipReason, detail: string, count = 1) => {
    report.skipped[reason] += count;
    if (report.examples.length < MAX_EXAMPLES) report.examples.push({ line, reason, detail });
  };
  const warn = (message: string) => {
    if (report.warnings.length < MAX_EXAMPLES) report.warnings.push(message);
  };
  /** Threads the source deleted or keeps private (a `skippedThread` record) → why: their comments, before or after them in the file, are skipped for it. */
  const skippedThreads = new Map<string, SkipReason>();
  const skipInSkippedThread = (r: SourceComment, reason: SkipReason) => skip(r.line, reason, `comment ${r.externalId} is in thread ${r.threadExternalId}, which is not imported (${SKIP_REASONS[reason]})`);

  /** Stores what can be stored now; returns the records that must wait. */
  async function storeBatch(records: SourceComment[], final: { orphans: boolean } | undefined): Promise<SourceComment[]> {
    const mapped = await store.imports.findMapped({
      source: report.source,
      kind: 'comment',
      externalIds: records.flatMap((r) => (r.parentExternalId ? [r.externalId, r.parentExternalId] : [r.externalId])),
    });
    const local = new Map<string, string>();
    const ready: ImportedCommentRecord[] = [];
    const waiting: SourceComment[] = [];
    /** Indexes in `ready` attached at the top level because their parent never came. */
    const orphans = new Set<number>();
    /** The comments in `ready` the source gave no date, by index, with the line they were read at. */
    const undated = new Map<number, number>();
    for (const r of records) {
      const threadId = threadIds.get(r.threadExternalId);
      if (!threadId) {
        const skippedAs = skippedThreads.get(r.threadExternalId);
        if (final && skippedAs) skipInSkippedThread(r, skippedAs);
        else if (final) skip(r.line, 'missing_thread', `comment ${r.externalId} names thread ${r.threadExternalId}, which is not in the file`);
        else waiting.push(r);
        continue;
      }
      let parentId: string | null = null;
      if (r.parentExternalId !== null) {
        parentId = local.get(r.parentExternalId) ?? mapped.get(r.parentExternalId) ?? null;
        if (parentId === null) {
          if (!final?.orphans) {
            waiting.push(r);
            continue;
          }
          orphans.add(ready.length);
        }
      }
      const id = mapped.get(r.externalId) ?? local.get(r.externalId) ?? r.id ?? newId();
      local.set(r.externalId, id);
      if (r.undated) undated.set(ready.length, r.line);
      ready.push({
        externalId: r.externalId,
        id,
        threadId,
        parentId,
        status: r.status,
        authorName: r.authorName,
        authorGuestId: r.authorGuestId,
        clientId: r.clientId,
        body: r.body,
        createdAt: r.createdAt,
        editedAt: r.editedAt,
        locked: r.locked,
        pinned: r.pinned,
        heldReason: r.heldReason,
        mentions: r.mentions,
      });
    }
    const outcomes = await store.imports.importComments({ source: report.source, comments: ready });
    outcomes.forEach((outcome, i) => {
      const r = ready[i]!;
      if (outcome === 'duplicate') {
        report.skipped.duplicate++;
        return;
      }
      report.comments.imported[r.status]++;
      // Attached at the top level here, or by the store (a parent in another thread).
      if (outcome === 'orphan' || orphans.has(i)) report.comments.orphans++;
      const undatedLine = undated.get(i);
      if (undatedLine !== undefined) {
        report.comments.undated++;
        warn(`line ${undatedLine}: comment ${r.externalId} has no date: imported dated ${r.createdAt}`);
      }
    });
    return waiting;
  }

  async function flush(): Promise<void> {
    if (batch.length === 0) return;
    const waiting = await storeBatch(batch, undefined);
    batch = [];
    if (waiting.length === 0) return;
    await store.imports.stage({
      runId,
      records: waiting.map((r) => ({ position: ++position, externalId: r.externalId, parentExternalId: r.parentExternalId, record: JSON.stringify(r) })),
    });
  }

  const people = createPersonRowsImport({ store, dryRun, batchSize, counts: report.people, warnings: report.warnings, storeComments: flush, skip });

  try {
    for await (const record of options.records) {
      switch (record.kind) {
        case 'source':
          report.source = record.source;
          break;
        case 'thread': {
          if (dryRun) {
            report.threads.created++;
            if (record.hidden) report.threads.hidden++;
            break;
          }
          const { thread, created } = await store.imports.ensureThread({
            source: report.source,
            externalId: record.externalId,
            ...(record.id !== undefined && { id: record.id }),
            slug: record.slug,
            title: record.title,
            article: record.article,
            createdAt: record.createdAt ?? new Date().toISOString(),
            locked: record.locked,
            slowModeSeconds: record.slowModeSeconds,
            preModeration: record.preModeration,
            hidden: record.hidden ?? false,
            threadSource: record.threadSource !== undefined ? record.threadSource : `${report.source}:${record.externalId}`,
            articleUrl: record.articleUrl ?? null,
            attachToSlug: options.attachToSlug ?? true,
          });
          threadIds.set(record.externalId, thread.id);
          report.threads[created ? 'created' : 'existing']++;
          if (created && record.hidden) report.threads.hidden++;
          break;
        }
        case 'comment': {
          const skippedAs = skippedThreads.get(record.threadExternalId);
          if (skippedAs) {
            skipInSkippedThread(record, skippedAs);
            break;
          }
          const checked = checkComment(record);
          if (checked.kind === 'skip') skip(checked.line, checked.reason, checked.detail);
          else if (dryRun) report.comments.readable++;
          else {
            batch.push(checked);
            if (batch.length >= batchSize) await flush();
          }
          break;
        }
        case 'skip':
          skip(record.line, record.reason, record.detail);
          break;
        case 'ban': {
          const { kind: _kind, line: _line, ...ban } = record;
          bans.push(ban);
          break;
        }
        case 'bannedWord':
          bannedWords.push(record.word);
          break;
        case 'user':
          users.push({ username: record.username, role: record.role, createdAt: record.createdAt, removedAt: record.removedAt });
          break;
        case 'skippedThread':
          skip(record.line, record.reason, record.detail);
          skippedThreads.set(record.externalId, record.reason);
          break;
        case 'warning':
          warn(`line ${record.line}: ${record.message}`);
          break;
        case 'mapping':
          if (dryRun) {
            report.mappings++;
            break;
          }
          mappings.push(record.mapping);
          if (mappings.length >= batchSize) {
            // Mappings come last in an export: the comments they name are stored (or waiting) by now.
            await flush();
            report.mappings += await store.imports.addMappings(mappings);
            mappings = [];
          }
          break;
        case 'personRow':
          await people.add(record);
          break;
      }
    }
    if (dryRun) {
      report.moderation = { bans: bans.length, bannedWords: bannedWords.length, users: users.length };
      return report;
    }
    await flush();
    await resolveWaiting();
    report.mappings += await store.imports.addMappings(mappings);
    await people.finish();
    report.moderation = {
      bans: await store.imports.addBans(bans),
      bannedWords: await store.imports.addBannedWords(bannedWords),
      users: await store.imports.addUsers(users),
    };
    return report;
  } finally {
    if (!dryRun) await store.imports.clearStaged(runId);
  }

  /**
   * The waiting comments, pass after pass in file order, until a pass stores nothing.
   * Then those whose parent is not waiting too (it was never in the file, or was
   * skipped) become top-level, which may free their replies for another pass; a
   * cycle of parents is broken at its first comment.
   */
  async function resolveWaiting(): Promise<void> {
    for (;;) {
      let progress = false;
      for (let after = 0; ; ) {
        const page = await store.imports.readStaged({ runId, afterPosition: after, limit: batchSize });
        if (page.length === 0) break;
        after = page.at(-1)!.position;
        const records = page.map((p) => JSON.parse(p.record) as SourceComment);
        const waiting = new Set(await storeBatch(records, { orphans: false }));
        const done = page.filter((_, i) => !waiting.has(records[i]!)).map((p) => p.position);
        if (done.length) progress = true;
        await store.imports.unstage({ runId, positions: done });
      }
      if (progress) continue;
      let orphans = await store.imports.readStagedOrphans({ runId, limit: batchSize });
      if (orphans.length === 0) orphans = await store.imports.readStaged({ runId, afterPosition: 0, limit: 1 });
      if (orphans.length === 0) return;
      await storeBatch(
        orphans.map((p) => JSON.parse(p.record) as SourceComment),
        { orphans: true },
      );
      await store.imports.unstage({ runId, positions: orphans.map((p) => p.position) });
    }
  }
}

function emptyReport(source: string, dryRun: boolean): ImportReport {
  return {
    source,
    dryRun,
    threads: { created: 0, existing: 0, hidden: 0 },
    comments: { imported: { visible: 0, deleted: 0, removed: 0, pending: 0, unavailable: 0 }, orphans: 0, readable: 0, undated: 0 },
    warnings: [],
    skipped: { malformed: 0, missing_thread: 0, bad_text: 0, not_a_comment: 0, duplicate: 0, deleted_thread: 0, not_public: 0, missing_comment: 0, missing_account: 0 },
    examples: [],
    moderation: { bans: 0, bannedWords: 0, users: 0 },
    mappings: 0,
    people: emptyPersonRowCounts(),
  };
}

export function describeReport(report: ImportReport): string {
  const lines: string[] = [];
  const imported = Object.entries(report.comments.imported).filter(([, n]) => n > 0);
  const total = imported.reduce((sum, [, n]) => sum + n, 0);
  lines.push(`${report.dryRun ? 'dry run (nothing written) of' : 'imported from'} ${report.source}`);
  if (report.dryRun) {
    lines.push(`threads: ${report.threads.created} read`);
    lines.push(`comments: ${report.comments.readable} readable (parents and threads are checked only by a real import)`);
  } else {
    lines.push(`threads: ${report.threads.created} created, ${report.threads.existing} already there`);
    lines.push(`comments: ${total} imported${imported.length ? ` (${imported.map(([s, n]) => `${n} ${s}`).join(', ')})` : ''}`);
    if (report.comments.orphans) lines.push(`  of which ${report.comments.orphans} attached at the top level: their parent is not in the file or was skipped`);
  }
  if (report.threads.hidden) lines.push(`  ${report.threads.hidden} of the threads created hidden (not public at the source): an admin can publish them`);
  if (report.comments.undated) lines.push(`  ${report.comments.undated} of the comments had no date: dated by the export's time (see the warnings)`);
  const skipped = Object.entries(report.skipped).filter(([, n]) => n > 0) as [SkipReason, number][];
  lines.push(`skipped: ${skipped.reduce((sum, [, n]) => sum + n, 0)}${skipped.map(([reason, n]) => `\n  ${n} ${SKIP_REASONS[reason]}`).join('')}`);
  for (const e of report.examples.filter((e) => e.reason !== 'duplicate')) lines.push(`  line ${e.line}: ${SKIP_REASONS[e.reason]}: ${e.detail}`);
  if (report.warnings.length) lines.push(`warnings:${report.warnings.map((w) => `\n  ${w}`).join('')}`);
  const m = report.moderation;
  if (m.bans || m.bannedWords || m.users) lines.push(`moderation: ${m.bans} bans, ${m.bannedWords} banned words, ${m.users} staff accounts added`);
  if (report.mappings) lines.push(`ids of earlier imports: ${report.mappings} carried over`);
  const people = Object.entries(report.people).filter(([, n]) => n > 0) as [keyof PersonRowCounts, number][];
  if (people.length) lines.push(`people: ${people.map(([kind, n]) => `${n} ${PERSON_ROW_LABELS[kind]}`).join(', ')} ${report.dryRun ? 'read' : 'added'}`);
  return lines.join('\n');
}
