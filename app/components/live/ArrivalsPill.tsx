'use client';

import type { ArrivalsView } from '../../../lib/client/arrivals';
import { useTranslator } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/translator';
import { newCommentsLabel } from '../labels';

const STATUS_TEXT: Record<NonNullable<ArrivalsView['status']>, MessageKey> = {
  offline: 'arrivals.offline',
  reconnecting: 'arrivals.reconnecting',
  upToDate: 'arrivals.upToDate',
};

/**
 * What arrived, where the reader is: it sits above the comments and sticks to
 * the top of the screen while they read further down (app/globals.css
 * `.arrivals`). It says when the connection is gone and what came back with
 * it, and its button ("2 new comments", "Back — 3 new comments") shows them
 * and takes the reader to the first. The status line is the page's polite
 * live region for the connection; new comments themselves are announced by
 * useNewCommentAnnouncer.
 */
export function ArrivalsPill({ view, onGo, onDismiss }: { view: ArrivalsView; onGo(): void; onDismiss(): void }) {
  const t = useTranslator();
  const { button } = view;
  const label = button === null ? null : button.back ? t.t('arrivals.back', { count: button.count }) : newCommentsLabel(t, button.count);
  const status = view.status !== null ? t.t(STATUS_TEXT[view.status]) : null;
  return (
    <div className="arrivals" data-testid="arrivals">
      {/* Heard: the connection's news, and "Back — N new comments" (the button's text). Always there, so a change is announced. */}
      <p className="visually-hidden" role="status">
        {status ?? (button?.back ? label : '')}
      </p>
      {/* Seen: the same sentence, once (a screen reader has it from the status above). Added and taken away, never
          restyled: a change of position in the pill stops the browser keeping the comment being read in place. */}
      {status !== null ? (
        <p className="arrivals-status" aria-hidden="true">
          {status}
        </p>
      ) : null}
      {label !== null ? (
        <div className="arrivals-actions">
          <button type="button" className="new-comments" onClick={onGo}>
            {label}
          </button>
          {button?.back ? (
            <button type="button" className="arrivals-dismiss" aria-label={t.t('arrivals.dismiss')} onClick={onDismiss}>
              ×
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
