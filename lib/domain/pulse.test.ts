import assert from 'node:assert/strict';
import { test } from 'node:test';
import { everyMinute, median, minuteOf, summarizeDecisions } from './pulse';

test('every minute of the last hour is in the series, a quiet one as zero', () => {
  const now = new Date('2026-12-06T12:30:45.123Z');
  const series = everyMinute(
    [
      { minute: '2026-12-06T11:31', comments: 2 },
      { minute: '2026-12-06T12:30', comments: 5 },
      // Older than the series: left out.
      { minute: '2026-12-06T11:30', comments: 9 },
    ],
    now,
    60,
  );
  assert.equal(series.length, 60);
  assert.deepEqual(series[0], { minute: '2026-12-06T11:31', comments: 2 });
  assert.deepEqual(series.at(-1), { minute: '2026-12-06T12:30', comments: 5 });
  assert.equal(series.reduce((s, m) => s + m.comments, 0), 7);
  assert.equal(minuteOf(now), '2026-12-06T12:30');
});

test('the median of an odd and of an even count, and of none', () => {
  assert.equal(median([]), null);
  assert.equal(median([7, 1, 3]), 3);
  assert.equal(median([10, 2, 4, 1]), 3);
});

test('decisions: their count, the median wait and the share that said no', () => {
  assert.deepEqual(summarizeDecisions([]), { decisions: 0, medianSeconds: null, rejectedShare: null });
  const d = (kind: 'approve' | 'reject' | 'keep' | 'remove', waitedSeconds: number) => ({ kind, commentId: kind, waitingSince: '2026-01-01T00:00:00.000Z', decidedAt: new Date(Date.parse('2026-01-01T00:00:00.000Z') + waitedSeconds * 1000).toISOString() });
  assert.deepEqual(summarizeDecisions([d('approve', 60), d('reject', 10), d('keep', 30), d('remove', 600)]), { decisions: 4, medianSeconds: 45, rejectedShare: 0.5 });
});
