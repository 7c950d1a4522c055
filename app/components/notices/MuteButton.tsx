'use client';

import { useState } from 'react';
import { errorMessage } from '../../i18n/errorMessage';
import { useTranslator } from '../../i18n/I18nProvider';
import { noticeApi } from './noticeApi';

/**
 * "Mute <name>" in a comment's actions, for a signed-in reader: nothing its author does will notify
 * them (docs/notifications.md). Muted by the comment, so the page never needs its author's id.
 * Undone on the settings page (/account, "People you muted").
 */
export function MuteButton({ commentId, name }: { commentId: string; name: string }) {
  const t = useTranslator();
  const [said, setSaid] = useState<{ text: string; error: boolean } | null>(null);
  if (said && !said.error) {
    return (
      <span className="form-note" role="status">
        {said.text}
      </span>
    );
  }
  return (
    <>
      <button
        type="button"
        className="link-button action-link"
        onClick={async () => {
          const res = await noticeApi.muteAuthorOf(commentId);
          setSaid(res.ok ? { text: t.t('mute.done', { name }), error: false } : { text: errorMessage(t, res.error), error: true });
        }}
      >
        {t.t('mute.person', { name })}
      </button>
      {said?.error ? (
        <span className="form-error" role="alert">
          {said.text}
        </span>
      ) : null}
    </>
  );
}
