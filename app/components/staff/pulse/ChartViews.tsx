import type { ReactNode } from 'react';
import type { Pulse } from '../../../../lib/contract/pulse';
import type { Translator } from '../../../i18n/translator';
import { barChart, columnChart, ringArc } from './charts';
import { clockOf } from './figures';

/** The SVGs of the pulse, drawn from charts.ts's geometry: the same markup on the server and in the browser. */

const MINUTES_WIDTH = 600;
const MINUTES_HEIGHT = 120;

/** Comments per minute over the last hour: a column a minute, the top and both ends of the hour labelled. */
export function MinuteColumns({ t, series }: { t: Translator; series: Pulse['perMinute'] }) {
  const chart = columnChart(
    series.map((m) => ({ label: m.minute, value: m.comments })),
    { width: MINUTES_WIDTH, height: MINUTES_HEIGHT, gap: 2 },
  );
  const total = series.reduce((sum, m) => sum + m.comments, 0);
  const max = Math.max(0, ...series.map((m) => m.comments));
  const first = series[0];
  const last = series.at(-1);
  return (
    <figure className="pulse-chart">
      <svg className="pulse-minutes" viewBox={`0 -12 ${MINUTES_WIDTH + 40} ${MINUTES_HEIGHT + 30}`} role="img" aria-label={t.t('pulse.perMinuteSummary', { total, max })} data-total={total}>
        <line className="pulse-axis" x1={0} y1={MINUTES_HEIGHT} x2={MINUTES_WIDTH} y2={MINUTES_HEIGHT} />
        <line className="pulse-grid" x1={0} y1={0} x2={MINUTES_WIDTH} y2={0} />
        <text className="pulse-tick" x={MINUTES_WIDTH + 4} y={4}>
          {chart.top}
        </text>
        <text className="pulse-tick" x={MINUTES_WIDTH + 4} y={MINUTES_HEIGHT + 4}>
          0
        </text>
        {chart.columns.map((c) => (
          <rect key={c.label} className="pulse-column" x={c.x} y={c.y} width={c.width} height={c.height}>
            <title>{t.t('pulse.minute', { time: clockOf(c.label), count: c.value })}</title>
          </rect>
        ))}
        {first && last ? (
          <>
            <text className="pulse-tick" x={0} y={MINUTES_HEIGHT + 16}>
              {clockOf(first.minute)}
            </text>
            <text className="pulse-tick" x={MINUTES_WIDTH} y={MINUTES_HEIGHT + 16} textAnchor="end">
              {clockOf(last.minute)} UTC
            </text>
          </>
        ) : null}
      </svg>
    </figure>
  );
}

const BAR_WIDTH = 220;
const ROW_HEIGHT = 26;

/** A ranked list as bars: each row its label (a link, when given) beside a bar as long as its share of the largest. */
export function RankBars({ rows, empty }: { rows: { key: string; label: ReactNode; value: number; note: string }[]; empty: string }) {
  if (rows.length === 0) return <p className="pulse-empty">{empty}</p>;
  const chart = barChart(
    rows.map((r) => ({ label: r.key, value: r.value })),
    { width: BAR_WIDTH, rowHeight: ROW_HEIGHT },
  );
  return (
    <ol className="pulse-ranks">
      {rows.map((row, i) => (
        <li key={row.key} className="pulse-rank">
          <span className="pulse-rank-label">{row.label}</span>
          <svg className="pulse-bar" viewBox={`0 0 ${BAR_WIDTH + 50} ${ROW_HEIGHT}`} role="img" aria-label={row.note}>
            <rect className="pulse-bar-fill" x={0} y={5} width={Math.max(chart.bars[i]!.length, 1)} height={ROW_HEIGHT - 10} />
            <text className="pulse-tick" x={chart.bars[i]!.length + 6} y={ROW_HEIGHT / 2 + 4}>
              {row.value}
            </text>
          </svg>
        </li>
      ))}
    </ol>
  );
}

const RING = 36;

/** A share (0–1) as a ring filled that far, the percentage inside; a dash with no share. */
export function ShareRing({ share, label }: { share: number | null; label: string }) {
  const text = share === null ? '–' : `${Math.round(share * 100)} %`;
  return (
    <svg className="pulse-ring" viewBox={`0 0 ${RING * 2} ${RING * 2}`} role="img" aria-label={`${label}: ${text}`}>
      <circle className="pulse-ring-track" cx={RING} cy={RING} r={RING - 5} />
      {share ? <path className="pulse-ring-fill" d={ringArc(share, RING, 10)} /> : null}
      <text className="pulse-ring-text" x={RING} y={RING + 5} textAnchor="middle">
        {text}
      </text>
    </svg>
  );
}
