import assert from 'node:assert/strict';
import { test } from 'node:test';
import { barChart, columnChart, niceCeiling, ringArc } from './charts';

test('an axis tops out at the next 1, 2 or 5 × 10ⁿ, and at 1 for nothing', () => {
  assert.deepEqual([0, -3, 0.4, 1, 1.2, 3, 7, 10, 11, 26, 99, 101, 480].map(niceCeiling), [1, 1, 1, 1, 2, 5, 10, 10, 20, 50, 100, 200, 500]);
});

test('columns stand on the bottom, scaled to the nice top, a quiet minute as no column', () => {
  const chart = columnChart(
    [
      { label: 'a', value: 0 },
      { label: 'b', value: 5 },
      { label: 'c', value: 10 },
      { label: 'd', value: 2.5 },
    ],
    { width: 100, height: 50, gap: 2 },
  );
  assert.equal(chart.top, 10);
  assert.deepEqual(
    chart.columns.map((c) => [c.x, c.y, c.width, c.height]),
    [
      [1, 50, 23, 0],
      [26, 25, 23, 25],
      [51, 0, 23, 50],
      [76, 37.5, 23, 12.5],
    ],
  );
  assert.deepEqual(
    chart.columns.map((c) => c.label),
    ['a', 'b', 'c', 'd'],
  );
});

test('an empty or all-zero series is a flat chart, not a division by zero', () => {
  assert.deepEqual(columnChart([], { width: 100, height: 50 }).columns, []);
  const flat = columnChart([{ label: 'a', value: 0 }], { width: 10, height: 50, gap: 100 });
  assert.equal(flat.top, 1);
  assert.deepEqual(flat.columns.map((c) => [c.x, c.width, c.height]), [[2.5, 5, 0]]);
});

test('bars keep the given order, the largest fills the width', () => {
  const chart = barChart(
    [
      { label: 'x', value: 8 },
      { label: 'y', value: 2 },
      { label: 'z', value: 0 },
    ],
    { width: 200, rowHeight: 20 },
  );
  assert.equal(chart.height, 60);
  assert.deepEqual(
    chart.bars.map((b) => [b.label, b.y, b.length]),
    [
      ['x', 0, 200],
      ['y', 20, 50],
      ['z', 40, 0],
    ],
  );
  assert.deepEqual(barChart([{ label: 'none', value: 0 }], { width: 200, rowHeight: 20 }).bars[0]!.length, 0);
});

test('a ring arc runs clockwise from twelve o’clock; none is empty, all is a closed ring', () => {
  assert.equal(ringArc(0, 10, 2), '');
  assert.equal(ringArc(-1, 10, 2), '');
  // A quarter: from the top to three o'clock, outside, then back inside.
  assert.equal(ringArc(0.25, 10, 2), 'M10 0A10 10 0 0 1 20 10L18 10A8 8 0 0 0 10 2Z');
  // More than half takes the large arc.
  assert.match(ringArc(0.75, 10, 2), /^M10 0A10 10 0 1 1 0 10L2 10A8 8 0 1 0 10 2Z$/);
  const whole = ringArc(1, 10, 2);
  assert.equal(whole, ringArc(2, 10, 2));
  assert.equal(whole.match(/M/g)?.length, 2);
});
