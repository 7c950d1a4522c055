import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { MAX_LINE_CHARS, parseJsonLine, readLines } from './jsonLines';
import { ImportFileError } from './xmlElements';

/** The bytes in chunks of `size`, as a file stream would give them (splitting characters and gzip blocks). */
async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function linesOf(input: AsyncIterable<string | Buffer>): Promise<string[]> {
  const out: string[] = [];
  for await (const { line, text } of readLines({ input, fileName: 'f.jsonl' })) out.push(`${line}:${text}`);
  return out;
}

const TEXT = '{"a":"été"}\r\n\n{"b":"中文"}\n{"c":3}';

describe('readLines', () => {
  test('splits lines across chunks, a character split between two chunks included; \\r\\n, a byte-order mark and a last line with no end are read', async () => {
    const bytes = Buffer.from(`\uFEFF${TEXT}`);
    const expected = ['1:{"a":"été"}', '2:', '3:{"b":"中文"}', '4:{"c":3}'];
    for (const size of [1, 2, 5, 1 << 20]) assert.deepEqual(await linesOf(chunked(bytes, size)), expected, `chunks of ${size}`);
  });

  test('a gzipped file reads the same as the plain one', async () => {
    const gz = gzipSync(Buffer.from(TEXT));
    for (const size of [2, 7, 1 << 20]) assert.deepEqual(await linesOf(chunked(gz, size)), await linesOf(chunked(Buffer.from(TEXT), 3)));
  });

  test('a truncated gzip file is refused with the line where it breaks off', async () => {
    const many = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ id: i, text: `comment ${i} ${'x'.repeat(i % 50)}` })).join('\n');
    const gz = gzipSync(Buffer.from(many));
    const read: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const { text } of readLines({ input: chunked(gz.subarray(0, Math.floor(gz.length / 2)), 4096), fileName: 'backup.gz' })) read.push(text);
      })(),
      (err: unknown) => {
        assert.ok(err instanceof ImportFileError);
        assert.equal(err.line, read.length + 1);
        assert.match(err.message, new RegExp(`^backup\\.gz:${read.length + 1}: the gzip data breaks off or is damaged here`));
        return true;
      },
    );
    assert.ok(read.length > 0 && read.length < 2000, `some lines were read before the break (${read.length})`);
  });

  test('damaged gzip data is refused, not read as text', async () => {
    const gz = gzipSync(Buffer.from(TEXT));
    const damaged = Buffer.concat([gz.subarray(0, 10), Buffer.alloc(gz.length - 10, 0xff)]);
    await assert.rejects(linesOf(chunked(damaged, 1 << 20)), (err: unknown) => err instanceof ImportFileError && /^f\.jsonl:1: the gzip data/.test(err.message));
  });

  test('a line too long to be a record is refused rather than held', async () => {
    async function* endless(): AsyncGenerator<string> {
      yield '{"ok":1}\n';
      for (let sent = 0; sent <= MAX_LINE_CHARS; sent += 1 << 20) yield 'x'.repeat(1 << 20);
    }
    await assert.rejects(linesOf(endless()), (err: unknown) => err instanceof ImportFileError && err.line === 2 && /^f\.jsonl:2: a line of more than/.test(err.message));
  });
});

describe('parseJsonLine', () => {
  test('a line that is not JSON names the file, the line and the column where the parser stopped', () => {
    assert.deepEqual(parseJsonLine('\t{"a": [1, 2]}', { fileName: 'f', line: 3 }), { a: [1, 2] });
    assert.throws(
      () => parseJsonLine('{"a":1,"b"}', { fileName: 'f.jsonl', line: 7 }),
      (err: unknown) => err instanceof ImportFileError && err.line === 7 && /^f\.jsonl:7:11: not valid JSON \(/.test(err.message),
    );
    // Where the parser gives no position (a truncated line), the line alone.
    assert.throws(
      () => parseJsonLine('{"a":"unfinished', { fileName: 'f.jsonl', line: 2 }),
      (err: unknown) => err instanceof ImportFileError && err.line === 2 && /^f\.jsonl:2(:\d+)?: not valid JSON/.test(err.message),
    );
  });
});
