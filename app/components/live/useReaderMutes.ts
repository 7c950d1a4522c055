'use client';

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { GUEST_MUTES_KEY, parseGuestMutes, withMute, withoutMute, type ReaderMute } from '../../../lib/client/readerMutes';
import type { ClientComment } from '../../../lib/client/threadState';
import { readerMuteApi } from './readerMuteApi';

/** What the comments get of the reader's mutes: the keys that fold, and muting and unmuting. */
export interface ReaderMutes {
  muted: ReadonlySet<string>;
  mute(comment: ClientComment): void;
  unmute(key: string): void;
}

const NONE: ReaderMutes = { muted: new Set(), mute: () => {}, unmute: () => {} };
const ReaderMutesContext = createContext<ReaderMutes>(NONE);
export const ReaderMutesProvider = ReaderMutesContext.Provider;
export const useMutes = (): ReaderMutes => useContext(ReaderMutesContext);

/** Storage may be refused (a private window, a blocked third-party frame): then a guest's mutes last as long as the page. */
function readStored(): string | null {
  try {
    return window.localStorage.getItem(GUEST_MUTES_KEY);
  } catch {
    return null;
  }
}
function store(mutes: readonly ReaderMute[]): void {
  try {
    if (mutes.length === 0) window.localStorage.removeItem(GUEST_MUTES_KEY);
    else window.localStorage.setItem(GUEST_MUTES_KEY, JSON.stringify(mutes.map(({ key, name, commentId }) => ({ key, name, commentId }))));
  } catch {
    // Kept for this page only.
  }
}

/**
 * The reader's mutes (issue 19): a guest's in the browser (every tab hears a change), a signed-in
 * reader's in the account, where a guest's browser list is merged once they sign in (and then
 * cleared from the browser: the account holds it). Read once the reader is known, after hydration:
 * the server's HTML is everyone's and folds nothing.
 */
export function useReaderMutes({ known, signedIn }: { known: boolean; signedIn: boolean }): ReaderMutes {
  const [mutes, setMutes] = useState<ReaderMute[]>([]);
  const mutesRef = useRef(mutes);
  mutesRef.current = mutes;

  useEffect(() => {
    if (!known) return;
    let current = true;
    if (!signedIn) {
      const read = () => setMutes(parseGuestMutes(readStored()));
      read();
      const onStorage = (e: StorageEvent) => {
        if (e.key === GUEST_MUTES_KEY || e.key === null) read();
      };
      window.addEventListener('storage', onStorage);
      return () => {
        current = false;
        window.removeEventListener('storage', onStorage);
      };
    }
    const local = parseGuestMutes(readStored()).flatMap((m) => (m.commentId ? [m.commentId] : []));
    void (local.length > 0 ? readerMuteApi.merge(local) : readerMuteApi.list()).then((res) => {
      if (!current || !res.ok) return;
      if (local.length > 0) store([]);
      setMutes(res.data);
    });
    return () => {
      current = false;
    };
  }, [known, signedIn]);

  const mute = useCallback(
    (comment: ClientComment) => {
      const key = comment.author.key;
      if (key === undefined) return;
      const entry: ReaderMute = { key, name: comment.author.name, commentId: comment.id };
      setMutes((m) => withMute(m, entry));
      if (!signedIn) return store(withMute(parseGuestMutes(readStored()), entry));
      void readerMuteApi.muteAuthorOf(comment.id).then(async (res) => {
        // Refused (one's own comment under another name, say): nothing is muted.
        if (!res.ok) return setMutes((m) => withoutMute(m, key));
        const list = await readerMuteApi.list();
        if (list.ok) setMutes(list.data);
      });
    },
    [signedIn],
  );

  const unmute = useCallback(
    (key: string) => {
      const personId = mutesRef.current.find((m) => m.key === key)?.personId;
      setMutes((m) => withoutMute(m, key));
      if (!signedIn) return store(withoutMute(parseGuestMutes(readStored()), key));
      void (async () => {
        // Muted a moment ago, before the list came back with whom: ask it.
        const id = personId ?? (await readerMuteApi.list().then((r) => (r.ok ? r.data.find((m) => m.key === key)?.personId : undefined)));
        if (id) await readerMuteApi.unmute(id);
      })();
    },
    [signedIn],
  );

  return useMemo(() => ({ muted: new Set(mutes.map((m) => m.key)), mute, unmute }), [mutes, mute, unmute]);
}
