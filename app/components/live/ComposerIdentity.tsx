'use client';

import { useState } from 'react';
import { useTranslator } from '../../i18n/I18nProvider';
import { useCommenter } from './accountContext';

/** The sign-in popup's name: a second click brings the same window forward instead of opening another. */
const POPUP_NAME = 'threadline-signin';
const POPUP_FEATURES = 'popup,width=480,height=680';

/**
 * Next to the comment box's name: "Commenting as <name>" with a way to sign out, or a "Sign in" link.
 * In the embed's frame the link opens the sign-in page in a popup (a first-party window), and what
 * hands the sign-in back to the frame loads only then (./framedSignIn.ts, docs/embed.md).
 */
export function ComposerIdentity() {
  const t = useTranslator();
  const { account, framed, offered, path } = useCommenter();
  const [busy, setBusy] = useState(false);
  if (account) {
    const signOut = async () => {
      setBusy(true);
      // Bodiless and same-origin: the server takes it without a content type (server/http/edge.ts).
      await fetch('/api/auth/logout', { method: 'POST', credentials: 'same-origin' }).catch(() => undefined);
      window.location.reload();
    };
    return (
      <p className="form-note commenting-as">
        {t.t('form.commentingAs', { name: account.displayName })}{' '}
        <button type="button" className="button-link" onClick={() => void signOut()} disabled={busy}>
          {t.t('form.signOut')}
        </button>
      </p>
    );
  }
  if (!offered) return null;
  const href = framed ? '/signin?popup=1' : `/signin?${new URLSearchParams({ next: path }).toString()}`;
  return (
    <p className="form-note sign-in-offer">
      <a
        href={href}
        target={framed ? POPUP_NAME : undefined}
        onClick={(e) => {
          if (!framed) return;
          // Opened in the click itself, or a popup blocker stops it; the rest loads meanwhile.
          const popup = window.open(href, POPUP_NAME, POPUP_FEATURES);
          if (!popup) return; // blocked: the link opens it as a tab (target), which signs in first-party at least
          e.preventDefault();
          void import('./framedSignIn').then((m) => m.awaitSignIn(popup));
        }}
      >
        {t.t('form.signIn')}
      </a>{' '}
      {t.t('form.signInWhy')}
    </p>
  );
}
