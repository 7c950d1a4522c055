import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { closingNotice } from './closingNotice';

const END = '2026-12-06T18:00:00.000Z';
const end = Date.parse(END);
const MIN = 60_000;
const HOUR = 60 * MIN;
const at = (msBefore: number) => closingNotice(END, end - msBefore);

describe('closingNotice', () => {
  test('days from two days on, then hours, then minutes, then "soon", rounded down', () => {
    assert.deepEqual(at(5 * 24 * HOUR + 3 * HOUR)?.notice, { key: 'closing.days', count: 5 });
    assert.deepEqual(at(48 * HOUR)?.notice, { key: 'closing.days', count: 2 });
    assert.deepEqual(at(48 * HOUR - 1)?.notice, { key: 'closing.hours', count: 47 });
    assert.deepEqual(at(2 * HOUR + 59 * MIN)?.notice, { key: 'closing.hours', count: 2 });
    assert.deepEqual(at(HOUR)?.notice, { key: 'closing.hours', count: 1 });
    assert.deepEqual(at(HOUR - 1)?.notice, { key: 'closing.minutes', count: 59 });
    assert.deepEqual(at(MIN)?.notice, { key: 'closing.minutes', count: 1 });
    assert.deepEqual(at(MIN - 1)?.notice, { key: 'closing.soon' });
  });

  test('says when its text next changes, so a page needs no timer per second', () => {
    assert.equal(at(2 * HOUR + 30 * MIN)?.changesAt, end - 2 * HOUR + 1, '"2 hours" until fewer than two are left');
    assert.equal(at(48 * HOUR + 5 * MIN)?.changesAt, end - 48 * HOUR + 1, 'from "2 days" straight to "47 hours"');
    assert.equal(at(3 * MIN + 10_000)?.changesAt, end - 3 * MIN + 1);
    assert.equal(at(30_000)?.changesAt, end, '"soon" until the closing time');
    // Each change lands on a different text: walking from change to change never repeats one.
    let now = end - 3 * 24 * HOUR;
    const seen: string[] = [];
    for (let next = closingNotice(END, now); next; now = next.changesAt, next = closingNotice(END, now)) {
      const text = JSON.stringify(next.notice);
      assert.notEqual(seen.at(-1), text);
      assert.ok(next.changesAt > now);
      seen.push(text);
    }
    assert.equal(seen.length, 3 /* days */ - 1 + 47 + 59 + 1, 'days 3 and 2, 47 hours down to 1, 59 minutes down to 1, soon');
  });

  test('nothing once comments are closed, or when they never close', () => {
    assert.equal(at(0), null);
    assert.equal(at(-HOUR), null);
    assert.equal(closingNotice(null, end), null);
    assert.equal(closingNotice('not a time', end), null);
  });
});
