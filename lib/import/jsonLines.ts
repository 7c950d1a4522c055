import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { jsonErrorOffset } from './jsonSyntax';
import { ImportFileError } from './xmlElements';

/**
 * A line longer than this is not a record but a damaged file (or not JSON Lines at all);
 * stopping there keeps a file with no line breaks from filling the memory.
 */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

/** gzip's magic number: Remark42 backups are gzipped, and a gzipped Coral file reads the same. */
const GZIP_MAGIC = [0x1f, 0x8b] as const;

export interface TextLine {
  /** 1-based, in the decompressed text. */
  line: number;
  text: string;
}

/**
 * The lines of a JSON Lines file (or any text file), gunzipped on the way when the file
 * starts with gzip's magic number, one at a time: memory holds one line, not the file.
 * A gzip stream that breaks off (a truncated or damaged download) stops the read with the
 * line where it broke; so does a line over MAX_LINE_CHARS. A byte-order mark and `\r\n`
 * line ends are accepted.
 */
export async function* readLines(options: { input: AsyncIterable<string | Buffer>; fileName: string }): AsyncGenerator<TextLine> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let line = 0;
  try {
    for await (const chunk of decompressed(options.input)) {
      pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      let start = 0;
      for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n', start)) {
        line++;
        yield { line, text: withoutCr(pending.slice(start, end)) };
        start = end + 1;
      }
      pending = pending.slice(start);
      if (pending.length > MAX_LINE_CHARS) {
        throw new ImportFileError(`${options.fileName}:${line + 1}: a line of more than ${MAX_LINE_CHARS} characters: not JSON Lines, or a damaged file`, line + 1);
      }
    }
  } catch (err) {
    if (isZlibError(err)) {
      throw new ImportFileError(`${options.fileName}:${line + 1}: the gzip data breaks off or is damaged here (${err.message}): the file is incomplete; nothing after line ${line} can be read`, line + 1);
    }
    throw err;
  }
  pending += decoder.decode();
  if (pending) yield { line: line + 1, text: withoutCr(pending) };
}

/**
 * One line as JSON, or ImportFileError naming the file, the line and (when the parser says
 * where) the column. A machine-written export with a line that is not JSON is damaged: the
 * readers refuse it rather than guess where its records start again.
 */
export function parseJsonLine(text: string, at: { fileName: string; line: number }): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const { offset, message } = jsonError(err as Error, text);
    const where = offset === undefined ? `${at.line}` : `${at.line}:${offset + 1}`;
    throw new ImportFileError(`${at.fileName}:${where}: not valid JSON (${message})`, at.line);
  }
}

/** JSON.parse's error without its position, and the offset where `text` stops being JSON (V8's position, else a scan's). */
export function jsonError(err: Error, text: string): { offset: number | undefined; message: string } {
  const position = / at position (\d+)/.exec(err.message);
  return {
    offset: position ? Number(position[1]) : jsonErrorOffset(text),
    message: err.message.replace(/ in JSON at position \d+.*$/s, ''),
  };
}

/** A plain JSON object (not an array, not null), for the readers' shape checks. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function* decompressed(input: AsyncIterable<string | Buffer>): AsyncGenerator<string | Buffer> {
  const chunks = input[Symbol.asyncIterator]();
  const first = await chunks.next();
  if (first.done) return;
  const head = first.value;
  async function* whole(): AsyncGenerator<string | Buffer> {
    yield head;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
  }
  if (!Buffer.isBuffer(head) || head[0] !== GZIP_MAGIC[0] || head[1] !== GZIP_MAGIC[1]) {
    yield* whole();
    return;
  }
  const source = Readable.from(whole());
  const gunzip = createGunzip();
  // pipe() does not pass a read error on: without this the gunzipped stream would wait forever.
  source.on('error', (err) => gunzip.destroy(err));
  source.pipe(gunzip);
  try {
    yield* gunzip;
  } finally {
    source.destroy();
    gunzip.destroy();
  }
}

function withoutCr(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

function isZlibError(err: unknown): err is Error & { code: string } {
  const code = (err as { code?: unknown } | null)?.code;
  return err instanceof Error && typeof code === 'string' && code.startsWith('Z_');
}
