'use client';

import { useEffect, useState } from 'react';
import { useTranslator } from '../../i18n/I18nProvider';
import { InlineProblem } from '../InlineProblem';
import { serverApi, type ApiResult } from '../serverApi';

const SLOW_MODE_CHOICES = [0, 10, 30, 60, 300, 900];

/** `datetime-local`'s value for a UTC time, in this browser's time zone (the moderator's). */
function localInputValue(iso: string | null): string {
  if (iso === null) return '';
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** A moderator's controls for the whole thread: lock, slow mode, pre-moderation, Q&A, closing time. The page follows the resulting events. */
export function ThreadModeration(props: { slug: string; locked: boolean; slowModeSeconds: number; preModeration: boolean; qa: boolean; closesAt: string | null }) {
  const t = useTranslator();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (request: Promise<ApiResult<void>>) => {
    setBusy(true);
    const result = await request;
    setProblem(result.ok ? null : t.t(result.error.message));
    setBusy(false);
  };
  const patch = (settings: { slowModeSeconds?: number; preModeration?: boolean; qa?: boolean; closesAt?: string | null }) => run(serverApi.threadSettings(props.slug, settings));
  // Typed in the moderator's own time zone ("18:00" is their 18:00); sent as UTC.
  const [closing, setClosing] = useState(() => localInputValue(props.closesAt));
  useEffect(() => setClosing(localInputValue(props.closesAt)), [props.closesAt]);
  const schedule = () => {
    const at = new Date(closing);
    if (closing && !Number.isNaN(at.getTime())) void patch({ closesAt: at.toISOString() });
  };

  return (
    <div className="mod-bar" role="group" aria-label={t.t('modbar.label')}>
      <span className="mod-bar-label">{t.t('modbar.title')}</span>
      <button type="button" className="button" disabled={busy} onClick={() => void run(serverApi.lockThread(props.slug, !props.locked))}>
        {props.locked ? t.t('modbar.unlock') : t.t('modbar.lock')}
      </button>
      <label className="mod-bar-field">
        {t.t('modbar.slowMode')}
        <select value={props.slowModeSeconds} disabled={busy} onChange={(e) => void patch({ slowModeSeconds: Number(e.target.value) })}>
          {[...new Set([...SLOW_MODE_CHOICES, props.slowModeSeconds])]
            .sort((a, b) => a - b)
            .map((s) => (
              <option key={s} value={s}>
                {s === 0 ? t.t('modbar.off') : s < 60 ? t.t('modbar.seconds', { count: s }) : t.t('modbar.minutes', { count: s / 60 })}
              </option>
            ))}
        </select>
      </label>
      <label className="mod-bar-field">
        <input type="checkbox" checked={props.preModeration} disabled={busy} onChange={(e) => void patch({ preModeration: e.target.checked })} />
        {t.t('modbar.preModeration')}
      </label>
      <label className="mod-bar-field">
        <input type="checkbox" checked={props.qa} disabled={busy} onChange={(e) => void patch({ qa: e.target.checked })} />
        {t.t('modbar.qa')}
      </label>
      <label>
        {t.t('modbar.closesAt')}
        <input type="datetime-local" value={closing} disabled={busy} onChange={(e) => setClosing(e.target.value)} data-testid="closes-at" />
      </label>
      <button type="button" className="button" disabled={busy || !closing} onClick={schedule}>
        {t.t('modbar.schedule')}
      </button>
      {props.closesAt !== null ? (
        <button type="button" className="button" disabled={busy} onClick={() => void patch({ closesAt: null })}>
          {t.t('modbar.clearSchedule')}
        </button>
      ) : null}
      <InlineProblem text={problem} />
    </div>
  );
}
