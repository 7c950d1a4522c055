'use client';

import { useTranslator } from '../../i18n/I18nProvider';

/**
 * "Pause live" for a calm read; paused, it reads "Paused — 12 new" (what is held) and resumes.
 * Unseen until the page is live (`awaiting-live`): a page without JavaScript has nothing to pause.
 */
export function PauseLive({ live, paused, count, onToggle }: { live: boolean; paused: boolean; count: number; onToggle: () => void }) {
  const t = useTranslator();
  return (
    <p className={`pause-live${live ? '' : ' awaiting-live'}`}>
      <button type="button" className="button pause-live-button" aria-pressed={paused} title={paused ? t.t('pause.resume') : undefined} onClick={onToggle} disabled={!live}>
        {paused ? t.t('pause.paused', { count }) : t.t('pause.live')}
      </button>
    </p>
  );
}
