/**
 * The pulse's charts as geometry: pure functions from figures to the numbers an SVG needs (ChartViews.tsx
 * draws them, on the server for the first paint and in the browser on each refresh). A charting library
 * would bring tens of kilobytes for three shapes: docs/decisions.md, "The pulse's charts".
 */

/** The smallest of 1, 2, 5 × 10ⁿ at or above `value` (at least 1): an axis that reads at a glance. */
export function niceCeiling(value: number): number {
  if (!(value > 1)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

export interface Column {
  x: number;
  y: number;
  width: number;
  height: number;
  value: number;
  label: string;
}

export interface ColumnChart {
  width: number;
  height: number;
  /** The value at the top of the plot. */
  top: number;
  columns: Column[];
}

/**
 * A column per value, left to right, bottom-aligned in `height`, scaled so that `top` (a nice ceiling of
 * the largest) reaches the top; a zero is a column of no height. `gap` between columns, in the same units.
 */
export function columnChart(values: readonly { label: string; value: number }[], size: { width: number; height: number; gap?: number }): ColumnChart {
  const { width, height } = size;
  const top = niceCeiling(Math.max(0, ...values.map((v) => v.value)));
  const slot = values.length === 0 ? 0 : width / values.length;
  const gap = Math.min(size.gap ?? 1, slot / 2);
  const columns = values.map(({ label, value }, i) => {
    const h = (Math.max(0, value) / top) * height;
    return { x: round(i * slot + gap / 2), y: round(height - h), width: round(slot - gap), height: round(h), value, label };
  });
  return { width, height, top, columns };
}

export interface Bar {
  y: number;
  /** The bar's length, from 0 to `width`. */
  length: number;
  value: number;
  label: string;
}

export interface BarChart {
  width: number;
  height: number;
  rowHeight: number;
  bars: Bar[];
}

/** A horizontal bar per row, top to bottom in the given order, the largest filling `width`. */
export function barChart(rows: readonly { label: string; value: number }[], size: { width: number; rowHeight: number }): BarChart {
  const { width, rowHeight } = size;
  const max = Math.max(0, ...rows.map((r) => r.value));
  const bars = rows.map(({ label, value }, i) => ({ y: i * rowHeight, length: max === 0 ? 0 : round((Math.max(0, value) / max) * width), value, label }));
  return { width, height: rows.length * rowHeight, rowHeight, bars };
}

/**
 * The SVG path of a ring's arc from twelve o'clock, clockwise, for `share` (0–1) of the ring centred at
 * (`r`, `r`): '' for none; a whole ring is two half arcs (one arc cannot start and end at one point).
 */
export function ringArc(share: number, r: number, thickness: number): string {
  const s = Math.min(1, Math.max(0, share));
  if (s === 0) return '';
  const inner = r - thickness;
  const point = (radius: number, turn: number) => [round(r + radius * Math.sin(turn * 2 * Math.PI)), round(r - radius * Math.cos(turn * 2 * Math.PI))] as const;
  const arc = (from: number, to: number) => {
    const large = to - from > 0.5 ? 1 : 0;
    const [x0, y0] = point(r, from);
    const [x1, y1] = point(r, to);
    const [x2, y2] = point(inner, to);
    const [x3, y3] = point(inner, from);
    return `M${x0} ${y0}A${r} ${r} 0 ${large} 1 ${x1} ${y1}L${x2} ${y2}A${inner} ${inner} 0 ${large} 0 ${x3} ${y3}Z`;
  };
  return s === 1 ? `${arc(0, 0.5)}${arc(0.5, 1)}` : arc(0, s);
}

/** Coordinates to a hundredth: the SVG stays short and the tests exact. */
function round(n: number): number {
  return Math.round(n * 100) / 100;
}
