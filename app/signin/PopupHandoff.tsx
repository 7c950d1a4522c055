'use client';

import { useEffect, useState } from 'react';
import { useTranslator } from '../i18n/I18nProvider';

/** The message the embed's frame waits for (app/components/live/framedSignIn.ts). */
const SIGNED_IN_MESSAGE = 'threadline:signed-in';
/** How often the popup asks whether the link in the mail has signed this browser in (it is followed in another tab). */
const POLL_MS = 1500;

async function signedIn(): Promise<boolean> {
  const res = await fetch('/api/auth/session', { credentials: 'same-origin', cache: 'no-store' }).catch(() => null);
  if (!res?.ok) return false;
  const body = (await res.json().catch(() => null)) as { account?: unknown } | null;
  return Boolean(body?.account);
}

/**
 * The sign-in page opened as the embed's popup (`?popup=1`): once this browser is signed in (here,
 * or in the tab the mail's link opened, which shares this first-party cookie), it asks for a
 * one-time frame code, posts it to the frame that opened it (our own origin only) and closes.
 */
export function PopupHandoff({ signedInNow }: { signedInNow: boolean }) {
  const t = useTranslator();
  const [done, setDone] = useState(false);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const handOver = async () => {
      // A tab the mail's link opened has no frame to hand to: the popup that has one does it.
      if (!window.opener) {
        setDone(true);
        return true;
      }
      const res = await fetch('/api/auth/frame-code', { method: 'POST', credentials: 'same-origin' }).catch(() => null);
      const body = res?.ok ? ((await res.json().catch(() => null)) as { code?: unknown } | null) : null;
      if (typeof body?.code !== 'string') return false;
      window.opener?.postMessage({ type: SIGNED_IN_MESSAGE, code: body.code }, window.location.origin);
      setDone(true);
      window.close();
      return true;
    };
    const poll = async () => {
      if (stopped) return;
      if ((signedInNow || (await signedIn())) && (await handOver())) return;
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [signedInNow]);
  return (
    <p className="form-note" role="status">
      {done || signedInNow ? t.t('signin.popup.done') : t.t('signin.popup.waiting')}
    </p>
  );
}
