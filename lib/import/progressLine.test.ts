import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeProgress, progressLine } from './progressLine';
import type { ImportProgress } from './runImport';

/** A stream that keeps what was written, and a clock the test moves. */
function harness(isTTY: boolean) {
  let written = '';
  let time = 0;
  const line = progressLine({ stream: { isTTY, write: (text: string) => (written += text) }, now: () => time });
  return {
    line,
    at: (ms: number) => (time = ms),
    written: () => written,
  };
}

const reading = (read: number, skipped = 0): ImportProgress => ({ phase: 'reading', read, applied: 0, written: 0, skipped });
const writing = (applied: number, written: number): ImportProgress => ({ phase: 'writing', read: 10_000, applied, written, skipped: 3 });

test('a short import prints nothing', () => {
  const h = harness(true);
  h.at(100);
  h.line.update(reading(500));
  h.at(1900);
  h.line.update(reading(1000));
  h.line.done();
  assert.equal(h.written(), '');
});

test('on a terminal the line is rewritten in place, with the rate of the current phase, and cleared at the end', () => {
  const h = harness(true);
  h.at(0);
  h.line.update(reading(0));
  h.at(2000);
  h.line.update(reading(8000, 2));
  h.at(2100);
  h.line.update(reading(8500, 2)); // too soon after the last redraw
  h.at(3000);
  h.line.update(writing(0, 0));
  h.at(5000);
  h.line.update(writing(4000, 3990));
  h.line.done();
  assert.equal(
    h.written(),
    '\r\x1b[Kreading: 8,000 records (4,000/s), 2 skipped' +
      '\r\x1b[Kwriting: 0 of 10,000 records (0/s): 0 written, 3 skipped' +
      '\r\x1b[Kwriting: 4,000 of 10,000 records (2,000/s): 3,990 written, 3 skipped' +
      '\r\x1b[K',
  );
});

test('in a log (not a terminal) a line every five seconds', () => {
  const h = harness(false);
  h.at(0);
  h.line.update(reading(0));
  for (let t = 2000; t <= 12_000; t += 1000) {
    h.at(t);
    h.line.update(reading(t));
  }
  h.line.done();
  assert.deepEqual(h.written().split('\n'), [
    'reading: 2,000 records (1,000/s), 0 skipped',
    'reading: 7,000 records (1,000/s), 0 skipped',
    'reading: 12,000 records (1,000/s), 0 skipped',
    '',
  ]);
});

test('describeProgress names records read, written and skipped', () => {
  assert.equal(describeProgress(writing(1234, 1200), 617), 'writing: 1,234 of 10,000 records (617/s): 1,200 written, 3 skipped');
});
