'use client';

import { useEffect } from 'react';
import { SIGN_IN_MESSAGE_TYPE, type SignInMessage, type SignInOutcome } from '../signInMessage';

/**
 * In a popup opened by the embed (docs/embed.md, "Signing in from the embed"): tells the opener
 * how the sign-in ended, to this site's own origin only, and closes the popup when it worked.
 */
export function PopupReport({ message }: { message: SignInOutcome }) {
  useEffect(() => {
    const opener = window.opener as Window | null;
    if (!opener) return;
    const report: SignInMessage = { type: SIGN_IN_MESSAGE_TYPE, ...message };
    opener.postMessage(report, window.location.origin);
    if (message.ok) window.close();
  }, [message]);
  return null;
}
