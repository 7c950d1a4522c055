'use client';

import { useState } from 'react';
import { errorMessage } from '../../i18n/errorMessage';
import { useTranslator } from '../../i18n/I18nProvider';
import type { Translator } from '../../i18n/translator';

const SLOW_MODE_CHOICES = [0, 10, 30, 60, 300, 900];

async function call(t: Translator, path: string, init: RequestInit): Promise<string | null> {
  const res = await fetch(path, init).catch(() => null);
  if (!res) return t.t('error.offline');
  if (res.ok) return null;
  const json = (await res.json().catch(() => ({}))) as { error?: { code: string } };
  return errorMessage(t, json.error);
}

/** A moderator's controls for the whole thread: lock, slow mode, pre-moderation. The page follows the resulting events. */
export function ThreadModeration(props: { slug: string; locked: boolean; slowModeSeconds: number; preModeration: boolean }) {
  const t = useTranslator();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (path: string, init: RequestInit) => {
    setBusy(true);
    setProblem(await call(t, path, init));
    setBusy(false);
  };
  const patch = (body: object) => run(`/api/threads/${props.slug}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  return (
    <div className="mod-bar" role="group" aria-label={t.t('modbar.label')}>
      <span className="mod-bar-label">{t.t('modbar.title')}</span>
      <button type="button" className="button" disabled={busy} onClick={() => void run(`/api/threads/${props.slug}/${props.locked ? 'unlock' : 'lock'}`, { method: 'POST' })}>
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
      {problem ? (
        <span className="form-error" role="alert">
          {problem}
        </span>
      ) : null}
    </div>
  );
}
