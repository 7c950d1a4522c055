'use client';

import Link from 'next/link';
import type { Pulse } from '../../../../lib/contract/pulse';
import { useTranslator } from '../../../i18n/I18nProvider';
import type { Translator } from '../../../i18n/translator';
import { MinuteColumns, RankBars, ShareRing } from './ChartViews';
import { waitText } from './figures';
import { usePulse } from './usePulse';

/** One big number with what it is. */
function Stat({ label, value, note, name }: { label: string; value: string; note?: string; name: string }) {
  return (
    <div className="pulse-stat" data-figure={name}>
      <span className="pulse-stat-value">{value}</span>
      <span className="pulse-stat-label">{label}</span>
      {note ? <span className="pulse-stat-note">{note}</span> : null}
    </div>
  );
}

function medianText(t: Translator, seconds: number | null): string {
  if (seconds === null) return '–';
  const { key, n } = waitText(seconds);
  return t.t(key, { n: t.formatNumber(n) });
}

/**
 * The moderators' pulse of the site or of one thread (issue 19.5): big numbers for what is now (readers,
 * the queue, the time to a decision, the rejected share), charts for what moves (posts per minute) and
 * for what ranks (the busiest threads, the most active people). Rendered on the server with the figures of
 * the moment, then refreshed in place (usePulse.ts).
 */
export function PulseDashboard({ initial }: { initial: Pulse }) {
  const t = useTranslator();
  const slug = initial.thread?.slug;
  const { figures, retryInMs } = usePulse(initial, slug === undefined ? '' : `?thread=${encodeURIComponent(slug)}`);
  const time = figures.at.slice(11, 19);
  return (
    <div className="pulse" data-updated={figures.at}>
      <p className="pulse-status" aria-live="polite">
        {retryInMs === null ? t.t('pulse.updated', { time }) : t.t('pulse.retrying', { time, seconds: Math.round(retryInMs / 1000) })}
        {' · '}
        {t.t('pulse.window', { hours: figures.hours })}
      </p>
      <div className="pulse-stats">
        <Stat name="readers" label={t.t('pulse.readersNow')} value={t.formatNumber(figures.readersNow)} />
        <Stat name="held" label={t.t('pulse.held')} value={t.formatNumber(figures.waiting.held)} />
        <Stat name="reported" label={t.t('pulse.reported')} value={t.formatNumber(figures.waiting.reported)} />
        <Stat name="comments" label={t.t('pulse.comments')} value={t.formatNumber(figures.comments)} />
        <Stat
          name="median"
          label={t.t('pulse.median')}
          value={medianText(t, figures.medianDecisionSeconds)}
          note={figures.decisions === 0 ? t.t('pulse.noDecisions') : t.t('pulse.decisions', { count: figures.decisions })}
        />
        <div className="pulse-stat" data-figure="rejected">
          <ShareRing share={figures.rejectedShare} label={t.t('pulse.rejectedShare')} />
          <span className="pulse-stat-label">{t.t('pulse.rejectedShare')}</span>
        </div>
      </div>
      <section className="pulse-section" aria-labelledby="pulse-minutes">
        <h2 id="pulse-minutes">{t.t('pulse.perMinute')}</h2>
        <MinuteColumns t={t} series={figures.perMinute} />
      </section>
      <div className="pulse-columns">
        {figures.thread === null ? (
          <section className="pulse-section" aria-labelledby="pulse-threads">
            <h2 id="pulse-threads">{t.t('pulse.topThreads')}</h2>
            <p className="pulse-note">{t.t('pulse.topThreadsNote')}</p>
            <RankBars
              empty={t.t('pulse.none')}
              rows={figures.topThreads.map((thread) => ({
                key: thread.slug,
                label: <Link href={`/moderate/pulse/${thread.slug}`}>{thread.title}</Link>,
                value: thread.events,
                note: t.t('pulse.threadEvents', { events: thread.events, comments: thread.comments }),
              }))}
            />
          </section>
        ) : null}
        <section className="pulse-section" aria-labelledby="pulse-people">
          <h2 id="pulse-people">{t.t('pulse.topCommenters')}</h2>
          <RankBars
            empty={t.t('pulse.none')}
            rows={figures.topCommenters.map((person) => ({
              key: person.personId,
              label: <Link href={`/moderate/people/${encodeURIComponent(person.personId)}`}>{person.name ?? t.t('pulse.guest')}</Link>,
              value: person.comments,
              note: t.t('count.comments', { count: person.comments }),
            }))}
          />
        </section>
      </div>
    </div>
  );
}
