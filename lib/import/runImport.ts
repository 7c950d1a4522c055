import os from 'node:os';
import path from 'node:path';
import { newId } from '../domain/ids';
import type { CommentStatus } from '../domain/types';
import type { ExportedBan, ExportedMapping, ExportedUser, ImportedCommentRecord, ImportRun, ImportRunPhase, ImportStore, StagedRecord } from '../store/importStore';
import { createAnswersImport } from './answersImport';
import { sweepDeadRuns } from './importRuns';
import { createPersonRowsImport, emptyPersonRowCounts, PERSON_ROW_LABELS, type PersonRowCounts } from './personRowsImport';
import { checkComment, SKIP_REASONS, type SkipReason, type SourceComment, type SourceRecord } from './records';
import { ImportFileError } from './xmlElements';

/** Records per batch: staged together while reading, written together (one transaction for the comments) while writing. */
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
    /** Read and passing the per-record rules (ids, dates, text); threads and parents are checked when writing. */
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
  /** The file read, as given. */
  file: string | null;
  /** What the file held, read to its end or to the error: records of every kind, of which threads and comments. */
  read: { records: number; threads: number; comments: number };
  /** Null when the run completed; else where and why it stopped, and what to do next. */
  stopped: ImportStop | null;
  /** Accounts, likes and what else hangs off a person (a Threadline export of format 2), added by kind; in a dry run, read. */
  people: PersonRowCounts;
}

export interface ImportStop {
  /**
   * `reading`: the file could not be read to its end (or the run was interrupted while reading it);
   * nothing was written. `writing`: it stopped while writing; what was written stays.
   */
  phase: ImportRunPhase;
  message: string;
  /** The file and, for an error in it, the line and column the reader names (else null). */
  file: string | null;
  line: number | null;
  column: number | null;
  /** Writing: every record of the file up to this line is written, skipped, or waiting for a parent further on (null: none yet). */
  writtenThroughLine: number | null;
  /** What to do next, in words. */
  next: string;
}

/** How far a run is, after each batch (the progress line, lib/import/progressLine.ts). */
export interface ImportProgress {
  phase: ImportRunPhase;
  /** Records read from the file so far. */
  read: number;
  /** Records of the file written or skipped so far (those skipped while reading included), while writing. */
  applied: number;
  /** Threads, comments and other records stored. */
  written: number;
  skipped: number;
}

/** Where an import writes: the store, or a dry run's scratch copy of it (lib/store/dryRunImportStore.ts). */
export interface ImportTarget {
  imports: ImportStore;
  /** Writes go to a scratch copy that is thrown away; the report says "dry run". */
  readonly dryRun?: boolean;
}

export interface RunImportOptions {
  store: ImportTarget;
  records: AsyncIterable<SourceRecord>;
  /** Names the origin of the external ids unless the file does (a `source` record). */
  source: string;
  batchSize?: number;
  /** An existing thread with the same slug receives the comments (not for Threadline exports, which keep ids). */
  attachToSlug?: boolean;
  /** The file the records come from: named in the report and in the run's row. */
  file?: string;
  /** Told after every batch read or written. */
  onProgress?: (progress: ImportProgress) => void;
  /** Stops the run between two batches, as an error would (the report says where). */
  signal?: AbortSignal;
}

const failedReports = new WeakMap<Error, ImportReport>();

/** The report of a run that failed with `err`: the counts so far, and in `stopped` where and what to do next. */
export function reportOfFailure(err: unknown): ImportReport | undefined {
  return err instanceof Error ? failedReports.get(err) : undefined;
}

/** Batches that wait for the end of their page: the comments, and what may name them. */
interface PageWrites {
  comments: SourceComment[];
  bans: ExportedBan[];
  bannedWords: string[];
  users: ExportedUser[];
  mappings: ExportedMapping[];
}

/**
 * Imports a stream of records, all or nothing per file (docs/import.md "Atomicity and resuming").
 *
 * Reading: every record is checked on its own (ids, dates, text) and staged under the run's id
 * (`import_staging`), batch by batch, so memory holds one batch, not the file. Nothing is visible
 * yet: a file that breaks off (truncated, corrupted) or a run interrupted now leaves the store as
 * it was, its staging cleared, and the error is thrown with the report attached (`reportOfFailure`).
 *
 * Writing: the staged records in file order, a batch at a time, each batch's comments in one short
 * transaction taking their threads' next seqs (a live server keeps posting meanwhile). A comment
 * whose parent (or thread) comes later waits, staged again after the file's records, and is
 * retried once the file is written; a parent that never comes makes it top-level (an orphan), a
 * thread that never comes skips it. A run that dies while writing is completed by running the same
 * file again: every stored record is mapped from its source id (`import_sources`), so what is there
 * is skipped as a duplicate. Its staging is swept by that later run (lib/import/importRuns.ts).
 */
export async function runImport(options: RunImportOptions): Promise<ImportReport> {
  const { imports } = options.store;
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const report = emptyReport(options.source, options.store.dryRun ?? false, options.file ?? null);
  const at = () => new Date().toISOString();
  const run: ImportRun = {
    id: newId(),
    source: options.source,
    file: options.file === undefined ? null : path.resolve(options.file),
    phase: 'reading',
    host: os.hostname(),
    pid: process.pid,
    startedAt: at(),
    heartbeatAt: at(),
    line: null,
  };
  /** Thread source id → our id. Threads are few next to comments; their comments are not kept. */
  const threadIds = new Map<string, string>();
  /** Records of the file done with (written, or skipped while reading or writing), and the line through which all are. */
  let applied = 0;
  let writtenThroughLine: number | null = null;
  /** Positions of the comments staged again to wait for a parent or thread, after the file's own. */
  let waitingPosition = 0;

  const skip = (line: number, reason: SkipReason, detail: string, count = 1) => {
    report.skipped[reason] += count;
    if (report.examples.length < MAX_EXAMPLES) report.examples.push({ line, reason, detail });
  };
  const warn = (message: string) => {
    if (report.warnings.length < MAX_EXAMPLES) report.warnings.push(message);
  };
  /** Threads the source deleted or keeps private (a `skippedThread` record) → why: their comments, before or after them in the file, are skipped for it. */
  const skippedThreads = new Map<string, SkipReason>();
  const skipInSkippedThread = (r: SourceComment, reason: SkipReason) =>
    skip(r.line, reason, `comment ${r.externalId} is in thread ${r.threadExternalId}, which is not imported (${SKIP_REASONS[reason]})`);
  const people = createPersonRowsImport({
    store: options.store,
    batchSize,
    counts: report.people,
    warnings: report.warnings,
    storeComments: () => storeComments(pageWrites),
    skip,
  });
  const answers = createAnswersImport({ store: options.store, batchSize, warn });
  /** The page being written: the person rows' likes store its comments first. */
  let pageWrites: PageWrites = emptyWrites();
  const progress = (phase: ImportRunPhase) => {
    if (!options.onProgress) return;
    const m = report.moderation;
    const written = report.threads.created + sum(report.comments.imported) + m.bans + m.bannedWords + m.users + report.mappings + sum(report.people);
    options.onProgress({ phase, read: report.read.records, applied, written, skipped: sum(report.skipped) });
  };

  report.warnings.push(...(await sweepDeadRuns({ imports, now: new Date(), file: run.file })));
  await imports.startRun(run);
  let staged: number;
  try {
    staged = await readAll();
  } catch (err) {
    throw await stop(err, 'reading');
  }
  try {
    await writeAll(staged);
    await imports.endRun(run.id);
    return report;
  } catch (err) {
    throw await stop(err, 'writing');
  }

  /** Checks and stages every record of the file; returns how many were staged (their positions are 1…n). */
  async function readAll(): Promise<number> {
    let position = 0;
    let line: number | null = null;
    let batch: StagedRecord[] = [];
    const flush = async () => {
      await imports.stage({ runId: run.id, records: batch });
      batch = [];
      await imports.touchRun({ id: run.id, source: report.source, phase: 'reading', line, at: at() });
      progress('reading');
    };
    for await (const record of options.records) {
      options.signal?.throwIfAborted();
      // What can be told from the record alone is counted now, so a file that breaks off still reports it;
      // every other kind waits for writing, where `apply` takes it.
      let checked: SourceRecord = record;
      if (record.kind === 'source') report.source = record.source;
      else {
        report.read.records++;
        line = record.line;
      }
      if (record.kind === 'skip') {
        skip(record.line, record.reason, record.detail);
        applied++;
        continue;
      }
      if (record.kind === 'skippedThread') {
        skip(record.line, record.reason, record.detail);
        skippedThreads.set(record.externalId, record.reason);
        applied++;
        continue;
      }
      if (record.kind === 'warning') {
        warn(`line ${record.line}: ${record.message}`);
        applied++;
        continue;
      }
      const skippedAs = record.kind === 'comment' ? skippedThreads.get(record.threadExternalId) : undefined;
      if (record.kind === 'comment' && skippedAs) {
        report.read.comments++;
        skipInSkippedThread(record, skippedAs);
        applied++;
        continue;
      }
      if (record.kind === 'thread') report.read.threads++;
      if (record.kind === 'comment') {
        report.read.comments++;
        checked = checkComment(record);
        if (checked.kind === 'skip') {
          skip(checked.line, checked.reason, checked.detail);
          applied++;
          continue;
        }
        report.comments.readable++;
      }
      batch.push({
        position: ++position,
        externalId: checked.kind === 'comment' ? checked.externalId : '',
        parentExternalId: checked.kind === 'comment' ? checked.parentExternalId : null,
        record: JSON.stringify(checked),
      });
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    return position;
  }

  /** Writes the staged records in file order, then the comments that waited for a parent or thread. */
  async function writeAll(staged: number): Promise<void> {
    // The source is taken again in file order, as the records name it.
    report.source = options.source;
    waitingPosition = staged;
    for (let after = 0; ; ) {
      await turnOfTheEventLoop();
      options.signal?.throwIfAborted();
      const page = await imports.readStaged({ runId: run.id, afterPosition: after, limit: batchSize, throughPosition: staged });
      if (page.length === 0) break;
      const writes = (pageWrites = emptyWrites());
      let lastLine = writtenThroughLine;
      for (const row of page) {
        const record = JSON.parse(row.record) as SourceRecord;
        if (record.kind !== 'source') {
          lastLine = record.line;
          applied++;
        }
        await apply(record, writes);
      }
      await storeComments(writes);
      await answers.flush();
      // After the comments: a mapping never names a comment that is not stored (or waiting).
      if (writes.bans.length) report.moderation.bans += await imports.addBans(writes.bans);
      if (writes.bannedWords.length) report.moderation.bannedWords += await imports.addBannedWords(writes.bannedWords);
      if (writes.users.length) report.moderation.users += await imports.addUsers(writes.users);
      if (writes.mappings.length) report.mappings += await imports.addMappings(writes.mappings);
      after = page.at(-1)!.position;
      await imports.unstageThrough({ runId: run.id, position: after });
      writtenThroughLine = lastLine;
      await imports.touchRun({ id: run.id, source: report.source, phase: 'writing', line: writtenThroughLine, at: at() });
      progress('writing');
    }
    await resolveWaiting();
    await answers.finish();
    await people.finish();
  }

  /** Stores the page's comments read so far; those whose parent or thread comes later wait, staged after the file's records. */
  async function storeComments(writes: PageWrites): Promise<void> {
    const waiting = await storeBatch(writes.comments.splice(0), undefined);
    if (waiting.length === 0) return;
    await imports.stage({
      runId: run.id,
      records: waiting.map((r) => ({ position: ++waitingPosition, externalId: r.externalId, parentExternalId: r.parentExternalId, record: JSON.stringify(r) })),
    });
  }

  /** One record read from the file, in file order. Comments, and what may name them, wait for the end of their page. */
  async function apply(record: SourceRecord, writes: PageWrites): Promise<void> {
    switch (record.kind) {
      case 'source':
        report.source = record.source;
        break;
      case 'thread': {
        const { thread, created } = await imports.ensureThread({
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
          qa: record.qa ?? false,
          closesAt: record.closesAt ?? null,
          hidden: record.hidden ?? false,
          threadSource: record.threadSource !== undefined ? record.threadSource : `${report.source}:${record.externalId}`,
          articleUrl: record.articleUrl ?? null,
          attachToSlug: options.attachToSlug ?? true,
        });
        threadIds.set(record.externalId, thread.id);
        report.threads[created ? 'created' : 'existing']++;
        if (created && thread.hidden) report.threads.hidden++;
        break;
      }
      case 'comment': {
        const skippedAs = skippedThreads.get(record.threadExternalId);
        if (skippedAs) skipInSkippedThread(record, skippedAs);
        else writes.comments.push(record);
        break;
      }
      case 'skip':
      case 'skippedThread':
      case 'warning':
        // Counted while reading, never staged.
        break;
      case 'personRow':
        await people.add(record);
        break;
      case 'ban': {
        const { kind: _kind, line: _line, ...ban } = record;
        writes.bans.push(ban);
        break;
      }
      case 'bannedWord':
        writes.bannedWords.push(record.word);
        break;
      case 'user':
        writes.users.push({ username: record.username, role: record.role, createdAt: record.createdAt, removedAt: record.removedAt });
        break;
      case 'mapping':
        writes.mappings.push(record.mapping);
        break;
      default: {
        // A new kind of record gets its case here, or the build fails: none is dropped unnoticed.
        const unknown: never = record;
        throw new Error(`no writer for a record of kind ${(unknown as { kind: string }).kind}`);
      }
    }
  }

  /**
   * Stores what can be stored now; returns the records that must wait. `final`: the file is
   * written, so a thread not known by now never comes, and (with `orphans`) neither does a parent.
   */
  async function storeBatch(records: SourceComment[], final: { orphans: boolean } | undefined): Promise<SourceComment[]> {
    if (records.length === 0) return [];
    const mapped = await imports.findMapped({
      source: report.source,
      kind: 'comment',
      externalIds: records.flatMap((r) => (r.parentExternalId ? [r.externalId, r.parentExternalId] : [r.externalId])),
    });
    const local = new Map<string, string>();
    const ready: ImportedCommentRecord[] = [];
    const readySources: SourceComment[] = [];
    const waiting: SourceComment[] = [];
    /** Indexes in `ready` attached at the top level because their parent never came. */
    const orphans = new Set<number>();
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
      readySources.push(r);
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
        pick: r.pick,
      });
    }
    const outcomes = await imports.importComments({ source: report.source, comments: ready });
    outcomes.forEach((outcome, i) => {
      const r = ready[i]!;
      // A duplicate too: a run that stopped after storing the question completes its answer now.
      const answer = readySources[i]!.answerExternalId;
      if (answer) answers.add({ line: readySources[i]!.line, source: report.source, questionExternalId: r.externalId, threadId: r.threadId, questionId: r.id!, answerExternalId: answer });
      if (outcome === 'duplicate') {
        report.skipped.duplicate++;
        return;
      }
      report.comments.imported[r.status]++;
      const source = readySources[i]!;
      if (source.undated) {
        report.comments.undated++;
        warn(`line ${source.line}: comment ${source.externalId} has no date: imported dated ${r.createdAt}`);
      }
      // Attached at the top level here, or by the store (a parent in another thread).
      if (outcome === 'orphan' || orphans.has(i)) report.comments.orphans++;
    });
    return waiting;
  }

  /**
   * The waiting comments, pass after pass in file order, until a pass stores nothing.
   * Then those whose parent is not waiting too (it was never in the file, or was
   * skipped) become top-level, which may free their replies for another pass; a
   * cycle of parents is broken at its first comment.
   */
  async function resolveWaiting(): Promise<void> {
    for (;;) {
      options.signal?.throwIfAborted();
      let progressMade = false;
      for (let after = 0; ; ) {
        await turnOfTheEventLoop();
        options.signal?.throwIfAborted();
        const page = await imports.readStaged({ runId: run.id, afterPosition: after, limit: batchSize });
        if (page.length === 0) break;
        after = page.at(-1)!.position;
        const records = page.map((p) => JSON.parse(p.record) as SourceComment);
        const waiting = new Set(await storeBatch(records, { orphans: false }));
        const done = page.filter((_, i) => !waiting.has(records[i]!)).map((p) => p.position);
        if (done.length) progressMade = true;
        await imports.unstage({ runId: run.id, positions: done });
        progress('writing');
      }
      if (progressMade) continue;
      let orphans = await imports.readStagedOrphans({ runId: run.id, limit: batchSize });
      if (orphans.length === 0) orphans = await imports.readStaged({ runId: run.id, afterPosition: 0, limit: 1 });
      if (orphans.length === 0) return;
      await storeBatch(
        orphans.map((p) => JSON.parse(p.record) as SourceComment),
        { orphans: true },
      );
      await imports.unstage({ runId: run.id, positions: orphans.map((p) => p.position) });
    }
  }

  /** Ends a run that failed: its staging is cleared, and the error carries the report saying where it stopped. */
  async function stop(err: unknown, phase: ImportRunPhase): Promise<Error> {
    const error = err instanceof Error ? err : new Error(String(err));
    const place = phase === 'reading' ? errorPlace(error) : { line: null, column: null };
    report.stopped = {
      phase,
      message: error.message,
      file: report.file,
      ...place,
      writtenThroughLine: phase === 'writing' ? writtenThroughLine : null,
      next: nextStep({ phase, dryRun: report.dryRun, interrupted: options.signal?.aborted ?? false, writtenThroughLine }),
    };
    try {
      await imports.endRun(run.id);
    } catch {
      // The store itself failed: the next run sweeps this one's staging.
    }
    failedReports.set(error, report);
    return error;
  }
}

/** The line and column a reader's error names: `file:line:column: …` in its message, else its line. */
function errorPlace(error: Error): { line: number | null; column: number | null } {
  const named = /:(\d+):(\d+): /.exec(error.message);
  if (named) return { line: Number(named[1]), column: Number(named[2]) };
  return { line: error instanceof ImportFileError ? (error.line ?? null) : null, column: null };
}

function nextStep(options: { phase: ImportRunPhase; dryRun: boolean; interrupted: boolean; writtenThroughLine: number | null }): string {
  const { phase, dryRun, interrupted, writtenThroughLine } = options;
  if (phase === 'reading') {
    return `Nothing was written: the store is as it was. ${interrupted ? 'Run the same command again.' : 'Fix the file (or export it again) and run the same command again.'}`;
  }
  if (dryRun) return 'Nothing was written (dry run). Run the same command again.';
  const written = writtenThroughLine === null ? 'Nothing of the file was written yet' : `The file is written through line ${writtenThroughLine}`;
  return `${written}. Run the same command again to complete the import: what is already in the store is skipped (already imported), the rest is written.`;
}

/**
 * Lets the event loop run between two batches. SQLite's driver is synchronous under its promises,
 * so writing is one long chain of microtasks: without this, nothing else gets a turn until the
 * import ends — not a Ctrl-C (signals are read by the loop), not a timer, not a socket.
 */
function turnOfTheEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

function emptyReport(source: string, dryRun: boolean, file: string | null): ImportReport {
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
    file,
    read: { records: 0, threads: 0, comments: 0 },
    stopped: null,
    people: emptyPersonRowCounts(),
  };
}

function emptyWrites(): PageWrites {
  return { comments: [], bans: [], bannedWords: [], users: [], mappings: [] };
}

/** The report as the command prints it (docs/import.md "What a run prints"): the counts, on success and on failure. */
export function describeReport(report: ImportReport): string {
  const lines: string[] = [];
  const imported = Object.entries(report.comments.imported).filter(([, n]) => n > 0);
  const total = imported.reduce((sum, [, n]) => sum + n, 0);
  const from = `${report.source}${report.file ? ` (${path.basename(report.file)})` : ''}`;
  const stopped = report.stopped;
  if (stopped?.phase === 'reading') lines.push(`import of ${from} stopped while reading: nothing was written`);
  else if (stopped) lines.push(`import of ${from} stopped while writing${report.dryRun ? ' (a dry run: nothing was written)' : ''}`);
  else if (report.dryRun) lines.push(`dry run of ${from}: nothing was written; an import now would give these counts`);
  else lines.push(`imported from ${from}`);
  const read = report.read;
  lines.push(`read${stopped?.phase === 'reading' ? ' before the error' : ''}: ${read.records} records (${read.threads} threads, ${read.comments} comments)`);
  if (stopped?.phase !== 'reading') {
    lines.push(`threads: ${report.threads.created} created, ${report.threads.existing} already there`);
    lines.push(`comments: ${total} imported${imported.length ? ` (${imported.map(([s, n]) => `${n} ${s}`).join(', ')})` : ''}`);
    if (report.comments.orphans) lines.push(`  of which ${report.comments.orphans} attached at the top level: their parent is not in the file or was skipped`);
    if (report.threads.hidden) lines.push(`  ${report.threads.hidden} of the threads created hidden (not public at the source): an admin can publish them`);
    if (report.comments.undated) lines.push(`  ${report.comments.undated} of the comments had no date: dated by the export's time (see the warnings)`);
  }
  const skipped = Object.entries(report.skipped).filter(([, n]) => n > 0) as [SkipReason, number][];
  lines.push(`skipped: ${skipped.reduce((sum, [, n]) => sum + n, 0)}${skipped.map(([reason, n]) => `\n  ${n} ${SKIP_REASONS[reason]}`).join('')}`);
  for (const e of report.examples.filter((e) => e.reason !== 'duplicate')) lines.push(`  line ${e.line}: ${SKIP_REASONS[e.reason]}: ${e.detail}`);
  const m = report.moderation;
  if (m.bans || m.bannedWords || m.users) lines.push(`moderation: ${m.bans} bans, ${m.bannedWords} banned words, ${m.users} staff accounts added`);
  if (report.mappings) lines.push(`ids of earlier imports: ${report.mappings} carried over`);
  const people = Object.entries(report.people).filter(([, n]) => n > 0) as [keyof PersonRowCounts, number][];
  if (people.length) lines.push(`people: ${people.map(([kind, n]) => `${n} ${PERSON_ROW_LABELS[kind]}`).join(', ')} ${report.dryRun ? 'read' : 'added'}`);
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  return lines.join('\n');
}

/** Why a run stopped and what to do next (for stderr), or undefined when it completed. */
export function describeStop(report: ImportReport): string | undefined {
  if (!report.stopped) return undefined;
  return `import failed: ${report.stopped.message}\n${report.stopped.next}`;
}
