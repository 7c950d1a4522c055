'use client';

import { useId, useState } from 'react';
import type { ClientComment } from '../../../lib/client/threadState';
import { PICK_NOTE_MAX } from '../../../lib/contract/limits';
import { useTranslator } from '../../i18n/I18nProvider';
import type { ModeratorAction } from './CommentItem';

/** A moderator's buttons on one comment (loaded for moderators only: ./staffOnly.ts). */
export function ModeratorControls({ comment: c, act, answer }: { comment: ClientComment; act: (action: ModeratorAction, note?: string) => Promise<boolean>; answer?: boolean | null }) {
  const t = useTranslator();
  // Featuring asks for the pick's optional note first, in a one-line form under the buttons.
  const [featuring, setFeaturing] = useState(false);
  const button = (action: ModeratorAction, label: string) => (
    <button type="button" className="link-button action-link mod-action" onClick={() => void act(action)}>
      {label}
    </button>
  );
  return (
    <span className="mod-controls" role="group" aria-label={t.t('comment.moderation')}>
      {c.status === 'visible' || c.status === 'pending' ? button('remove', t.t('comment.remove')) : null}
      {c.status === 'removed' ? button('restore', t.t('comment.restore')) : null}
      {c.status === 'visible' && c.pinned ? button('unpin', t.t('comment.unfeature')) : null}
      {c.status === 'visible' && !c.pinned ? (
        <button type="button" className="link-button action-link mod-action" aria-expanded={featuring} onClick={() => setFeaturing((open) => !open)}>
          {t.t('comment.feature')}
        </button>
      ) : null}
      {c.locked ? button('unlock', t.t('comment.unlock')) : button('lock', t.t('comment.lock'))}
      {featuring && c.status === 'visible' && !c.pinned ? <FeatureForm onFeature={(note) => act('pin', note)} onClose={() => setFeaturing(false)} /> : null}
      {/* `answer`: null outside a Q&A thread and on questions; whether this reply is its question's answer. */}
      {answer === true ? button('unanswer', t.t('comment.unmarkAnswer')) : null}
      {answer === false && c.status === 'visible' ? button('answer', t.t('comment.markAnswer')) : null}
    </span>
  );
}

/** The pick's note (optional, one line) and the button that features the comment; closes once the server took it. */
function FeatureForm({ onFeature, onClose }: { onFeature: (note: string | undefined) => Promise<boolean>; onClose: () => void }) {
  const t = useTranslator();
  const id = useId();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="feature-form"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        void onFeature(note.trim() === '' ? undefined : note).then((done) => {
          setBusy(false);
          if (done) onClose();
        });
      }}
    >
      <label htmlFor={id}>{t.t('comment.featureNote')}</label>
      <input id={id} type="text" className="input feature-note" maxLength={PICK_NOTE_MAX} value={note} onChange={(e) => setNote(e.target.value)} autoFocus />
      <button type="submit" className="button" disabled={busy}>
        {t.t('comment.featureSend')}
      </button>
      <button type="button" className="link-button" onClick={onClose}>
        {t.t('comment.featureCancel')}
      </button>
    </form>
  );
}
