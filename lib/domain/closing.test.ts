import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { closedBySchedule, closingTimeFor, normalizeClosingTime } from './closing';

describe('closing on time', () => {
  test('the site rule: the creation time plus so many days, or none when off', () => {
    assert.equal(closingTimeFor('2026-12-06T12:00:00.000Z', 14), '2026-12-20T12:00:00.000Z');
    assert.equal(closingTimeFor('2026-12-06T12:00:00.000Z', null), null);
    assert.equal(closingTimeFor('2026-12-06T12:00:00.000Z', undefined), null);
  });

  test('closed from the closing time on, never without one', () => {
    const closesAt = '2026-12-06T18:00:00.000Z';
    assert.equal(closedBySchedule(closesAt, Date.parse(closesAt) - 1), false);
    assert.equal(closedBySchedule(closesAt, Date.parse(closesAt)), true);
    assert.equal(closedBySchedule(null, Date.parse(closesAt)), false);
  });

  test("a moderator's local time is kept in UTC", () => {
    assert.equal(normalizeClosingTime('2026-12-06T18:00:00+01:00'), '2026-12-06T17:00:00.000Z');
    assert.equal(normalizeClosingTime('2026-12-06T18:00:00Z'), '2026-12-06T18:00:00.000Z');
    assert.equal(normalizeClosingTime('tomorrow'), null);
  });
});
