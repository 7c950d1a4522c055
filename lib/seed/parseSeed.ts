/**
 * Parser for seed files: a plain-text dump of a news article page with its
 * nested comment thread. The format, in short:
 *
 *   Title
 *
 *   Article paragraph (lines of one paragraph are joined with a space).
 *
 *     1. A top-level comment (indent 2 = depth 1, 2 more spaces per level).
 *       A further line of it: each such line is its own paragraph.
 *       1. A numbered line right after the text (no blank line) is a list
 *       2. inside the comment's body, not a reply.
 *
 *       1. A reply (depth 2).
 *
 *   Comments are closed.
 *
 * Pure: no I/O, so it can be used by the seeding script and by tests alike.
 */

export type SeedCommentStatus = 'visible' | 'unavailable';

export interface ParsedSeedComment {
  /** Index of this comment in `ParsedSeed.comments`. */
  key: number;
  /** Key of the parent, null for top level. */
  parentKey: number | null;
  /** 1 = top level. */
  depth: number;
  /** 'unavailable' = placeholder invented for a missing ancestor or sibling. */
  status: SeedCommentStatus;
  /** Markdown source; '' for placeholders. */
  body: string;
  /** 1-based line where the comment starts; for a placeholder, the line of the comment that required it. */
  line: number;
}

export interface ParsedSeed {
  title: string;
  articleParagraphs: string[];
  /** Document order; every parent appears before its children. */
  comments: ParsedSeedComment[];
  locked: boolean;
}

export interface SeedError {
  file: string;
  line: number;
  message: string;
}

export type SeedParseResult = { ok: true; seed: ParsedSeed } | { ok: false; errors: SeedError[] };

export function formatSeedError(e: SeedError): string {
  return `${e.file}:${e.line}: ${e.message}`;
}

const CLOSING_LINE = 'Comments are closed.';
const SPACES_PER_LEVEL = 2;
/** `N. text`; the text is optional here so that an empty item can be reported rather than read as prose. */
const NUMBERED_LINE = /^([ \t]*)(\d+)\.(?:\s+(.*))?$/s;

// ---------------------------------------------------------------------------
// Lines

type SeedLine =
  | { kind: 'blank'; no: number }
  | { kind: 'closing'; no: number }
  /** `content` is the line without its indentation, used when a numbered line turns out to be prose. */
  | { kind: 'numbered'; no: number; indent: string; digits: string; text: string; content: string }
  | { kind: 'text'; no: number; indent: string; content: string };

function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r?\n/);
}

function classifyLine(raw: string, no: number): SeedLine {
  const line = raw.trimEnd();
  if (line === '') return { kind: 'blank', no };
  if (line === CLOSING_LINE) return { kind: 'closing', no };
  const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
  const content = line.slice(indent.length).trimStart();
  const numbered = NUMBERED_LINE.exec(line);
  if (numbered) {
    return { kind: 'numbered', no, indent, digits: numbered[2] ?? '', text: numbered[3] ?? '', content };
  }
  return { kind: 'text', no, indent, content };
}

// ---------------------------------------------------------------------------
// Scanning: lines -> article paragraphs and a flat list of comments

type Block = { kind: 'paragraph'; text: string } | { kind: 'list'; items: string[] };

/** A comment whose lines are being read. */
interface OpenComment {
  /** Width of the indentation of its `N.` line; its further lines must be indented more. */
  indent: number;
  blocks: Block[];
}

/** A well-formed comment as written, before it is placed in the thread. */
interface ScannedComment extends OpenComment {
  line: number;
  depth: number;
  number: number;
}

type Phase =
  | { name: 'article' }
  /** `current` is not in `comments` when its `N.` line was malformed: its lines are still consumed so one mistake is reported once. */
  | { name: 'comments'; current: OpenComment }
  | { name: 'closed'; line: number };

interface Scan {
  file: string;
  errors: SeedError[];
  phase: Phase;
  previousBlank: boolean;
  articleParagraphs: string[];
  paragraphLines: string[];
  comments: ScannedComment[];
  locked: boolean;
}

function fail(scan: Scan, line: number, message: string): void {
  scan.errors.push({ file: scan.file, line, message });
}

function flushParagraph(scan: Scan): void {
  if (scan.paragraphLines.length > 0) scan.articleParagraphs.push(scan.paragraphLines.join(' '));
  scan.paragraphLines = [];
}

function close(scan: Scan, line: number): void {
  scan.phase = { name: 'closed', line };
  scan.locked = true;
}

function readArticleLine(scan: Scan, line: SeedLine): void {
  switch (line.kind) {
    case 'blank':
      flushParagraph(scan);
      return;
    case 'closing':
      flushParagraph(scan);
      close(scan, line.no);
      return;
    case 'numbered':
      // Only an indented item after a blank line is a comment; anything else numbered is prose.
      if (scan.previousBlank && line.indent !== '') {
        flushParagraph(scan);
        startComment(scan, line);
        return;
      }
      scan.paragraphLines.push(line.content);
      return;
    case 'text':
      scan.paragraphLines.push(line.content);
      return;
  }
}

function readCommentLine(scan: Scan, current: OpenComment, line: SeedLine): void {
  switch (line.kind) {
    case 'blank':
      return;
    case 'closing':
      close(scan, line.no);
      return;
    case 'numbered':
      if (scan.previousBlank) startComment(scan, line);
      else addListItem(scan, current, line);
      return;
    case 'text':
      addParagraph(scan, current, line);
      return;
  }
}

function readClosedLine(scan: Scan, closedAt: number, line: SeedLine): void {
  if (line.kind !== 'blank') {
    fail(scan, line.no, `nothing but blank lines may follow "${CLOSING_LINE}" (line ${closedAt})`);
  }
}

/** Why a comment's `N.` line is malformed, or null if it is fine. */
function commentLineProblem(line: Extract<SeedLine, { kind: 'numbered' }>): string | null {
  const width = line.indent.length;
  if (line.indent.includes('\t')) return 'tab in the indentation of a comment; indent with spaces only';
  if (width === 0) return `a comment must be indented by at least ${SPACES_PER_LEVEL} spaces`;
  if (width % SPACES_PER_LEVEL !== 0) {
    return `odd indentation (${width} spaces); comments are indented by ${SPACES_PER_LEVEL} spaces per level`;
  }
  if (line.text === '') return `comment "${line.digits}." has no text`;
  if (Number(line.digits) === 0) return 'comments are numbered from 1, not 0';
  return null;
}

function startComment(scan: Scan, line: Extract<SeedLine, { kind: 'numbered' }>): void {
  const problem = commentLineProblem(line);
  const indent = line.indent.length;
  if (problem !== null) {
    fail(scan, line.no, problem);
    scan.phase = { name: 'comments', current: { indent, blocks: [] } };
    return;
  }
  const comment: ScannedComment = {
    line: line.no,
    depth: indent / SPACES_PER_LEVEL,
    number: Number(line.digits),
    indent,
    blocks: [{ kind: 'paragraph', text: line.text }],
  };
  scan.comments.push(comment);
  scan.phase = { name: 'comments', current: comment };
}

function addListItem(scan: Scan, current: OpenComment, line: Extract<SeedLine, { kind: 'numbered' }>): void {
  if (line.indent.includes('\t')) {
    fail(scan, line.no, 'tab in the indentation of a list item; indent with spaces only');
    return;
  }
  if (line.indent.length <= current.indent) {
    fail(
      scan,
      line.no,
      `a new comment must follow a blank line (a list inside a comment must be indented more than its ` +
        `comment's ${current.indent} spaces)`,
    );
    return;
  }
  if (line.text === '') {
    fail(scan, line.no, `list item "${line.digits}." has no text`);
    return;
  }
  // The item's own number is kept: the list may be an excerpt that does not start at 1.
  const item = `${line.digits}. ${line.text}`;
  const last = current.blocks.at(-1);
  if (last?.kind === 'list') last.items.push(item);
  else current.blocks.push({ kind: 'list', items: [item] });
}

function addParagraph(scan: Scan, current: OpenComment, line: Extract<SeedLine, { kind: 'text' }>): void {
  if (line.indent.includes('\t')) {
    fail(scan, line.no, 'tab in the indentation of a comment line; indent with spaces only');
    return;
  }
  const width = line.indent.length;
  if (width <= current.indent) {
    fail(
      scan,
      line.no,
      width === 0
        ? `unexpected unindented text in the comments; only "${CLOSING_LINE}" may appear here without indentation`
        : `a comment's further lines must be indented more than its number (more than ${current.indent} spaces, ` +
            `found ${width})`,
    );
    return;
  }
  current.blocks.push({ kind: 'paragraph', text: line.content });
}

function scanBody(file: string, lines: readonly string[], firstLineNo: number): Scan {
  const scan: Scan = {
    file,
    errors: [],
    phase: { name: 'article' },
    previousBlank: false,
    articleParagraphs: [],
    paragraphLines: [],
    comments: [],
    locked: false,
  };
  lines.forEach((raw, index) => {
    const line = classifyLine(raw, firstLineNo + index);
    const phase = scan.phase;
    if (phase.name === 'article') readArticleLine(scan, line);
    else if (phase.name === 'comments') readCommentLine(scan, phase.current, line);
    else readClosedLine(scan, phase.line, line);
    scan.previousBlank = line.kind === 'blank';
  });
  flushParagraph(scan);
  return scan;
}

// ---------------------------------------------------------------------------
// Threading: flat comments -> comments with parents, placeholders filled in

function renderBody(blocks: readonly Block[]): string {
  return blocks.map((b) => (b.kind === 'list' ? b.items.join('\n') : b.text)).join('\n\n');
}

class ThreadBuilder {
  readonly comments: ParsedSeedComment[] = [];
  /** `latest[d]` is the most recent comment at depth d still in scope (index 0 unused). */
  private readonly latest: (ParsedSeedComment | undefined)[] = [];
  private readonly keysWithVisibleReplies = new Set<number>();

  add(comment: ScannedComment): void {
    const parentKey = this.parentFor(comment);
    this.push(comment.depth, parentKey, 'visible', renderBody(comment.blocks), comment.line);
  }

  private parentFor({ depth, number, line }: ScannedComment): number | null {
    if (depth === 1) return null;
    const previousSibling = this.latest[depth];
    if (number >= 2 && previousSibling !== undefined) return previousSibling.parentKey;
    const above = this.latest[depth - 1];
    // A list restarting at 1 under a comment that already has replies must belong
    // to a sibling of that comment which is missing from the dump.
    if (number === 1 && above !== undefined && this.keysWithVisibleReplies.has(above.key)) {
      return this.push(depth - 1, this.ensureLatest(depth - 2, line), 'unavailable', '', line).key;
    }
    return this.ensureLatest(depth - 1, line);
  }

  /** Key of the latest comment at `depth`, inventing placeholders for missing levels; null above the top level. */
  private ensureLatest(depth: number, line: number): number | null {
    if (depth === 0) return null;
    const existing = this.latest[depth];
    if (existing !== undefined) return existing.key;
    return this.push(depth, this.ensureLatest(depth - 1, line), 'unavailable', '', line).key;
  }

  private push(
    depth: number,
    parentKey: number | null,
    status: SeedCommentStatus,
    body: string,
    line: number,
  ): ParsedSeedComment {
    const comment: ParsedSeedComment = { key: this.comments.length, parentKey, depth, status, body, line };
    this.comments.push(comment);
    // A comment ends the scope of everything deeper that came before it.
    this.latest.length = depth + 1;
    this.latest[depth] = comment;
    if (status === 'visible' && parentKey !== null) this.keysWithVisibleReplies.add(parentKey);
    return comment;
  }
}

function buildThread(scanned: readonly ScannedComment[]): ParsedSeedComment[] {
  const builder = new ThreadBuilder();
  for (const comment of scanned) builder.add(comment);
  return builder.comments;
}

// ---------------------------------------------------------------------------

export function parseSeed(text: string, options: { file: string }): SeedParseResult {
  const [titleLine = '', ...rest] = splitLines(text);
  const title = titleLine.trim();
  const titleErrors: SeedError[] =
    title === '' ? [{ file: options.file, line: 1, message: 'the first line must be the title, but it is empty' }] : [];
  const scan = scanBody(options.file, rest, 2);
  const errors = [...titleErrors, ...scan.errors];
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    seed: {
      title,
      articleParagraphs: scan.articleParagraphs,
      comments: buildThread(scan.comments),
      locked: scan.locked,
    },
  };
}
