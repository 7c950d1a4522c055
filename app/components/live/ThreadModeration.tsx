'use client';

import { useState } from 'react';
import { useTranslator } from '../../i18n/I18nProvider';
import { serverApi, type ApiResult } from '../serverApi';

const SLOW_MODE_CHOICES = [0, 10, 30, 60, 300, 900];

/** A moderator's controls for the whole thread: lock, slow mode, pre-moderation. The page follows the resulting events. */
export function ThreadModeration(props: { slug: string; locked: boolean; slowModeSeconds: number; preModeration: boolean; qa: boolean }) {
  const t = useTranslator();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (request: Promise<ApiResult<void>>) => {
    setBusy(true);
    const result = await request;
    setProblem(result.ok ? null : t.t(result.error.message));
    setBusy(false);
  };
  const patch = (settings: { slowModeSeconds?: number; preModeration?: boolean; qa?: boolean }) => run(serverApi.threadSettings(props.slug, settings));

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
      {problem ? (
        <span className="form-error" role="alert">
          {problem}
        </span>
      ) : null}
    </div>
  );
}
