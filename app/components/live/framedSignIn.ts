/**
 * The embed frame's half of signing in through the popup (docs/embed.md, "Signing in inside the
 * embed"): the popup, signed in first-party, posts a one-time code to this frame; the frame swaps it
 * for a session cookie of its own (partitioned per host site where the browser partitions) and
 * reloads, so the page and its socket start over as the signed-in person.
 */

/** The message the sign-in page (app/signin) posts to its opener; nothing else is listened to. */
export const SIGNED_IN_MESSAGE = 'threadline:signed-in';

export function awaitSignIn(popup: Window): void {
  const onMessage = (event: MessageEvent) => {
    // Only the popup we opened, showing our own origin's page: any other window's word is ignored.
    if (event.origin !== window.location.origin || event.source !== popup) return;
    const data = event.data as { type?: unknown; code?: unknown } | null;
    if (!data || data.type !== SIGNED_IN_MESSAGE || typeof data.code !== 'string') return;
    window.removeEventListener('message', onMessage);
    void swap(data.code);
  };
  window.addEventListener('message', onMessage);
}

async function swap(code: string): Promise<void> {
  // Where the browser gates cookies in frames behind the Storage Access API (Safari, Firefox), ask for it: it may be
  // granted without a prompt after the person's interaction with the popup; refused, the partitioned cookie is tried all the same.
  const doc = document as Document & { hasStorageAccess?: () => Promise<boolean>; requestStorageAccess?: () => Promise<void> };
  if (doc.hasStorageAccess && doc.requestStorageAccess && !(await doc.hasStorageAccess().catch(() => true))) {
    await doc.requestStorageAccess().catch(() => undefined);
  }
  await fetch('/api/auth/frame-session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  }).catch(() => undefined);
  window.location.reload();
}
