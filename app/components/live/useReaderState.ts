'use client';

import { useEffect, useRef, useState, type Dispatch } from 'react';
import type { Account, Me } from '../../../lib/contract/api';
import type { ThreadAction } from '../../../lib/client/threadState';
import { serverApi } from '../serverApi';

/** How long the socket waits for the read at most: a slow answer still applies when it comes, but the page goes live meanwhile. */
const READER_WAIT_MS = 5000;

/** What a live page knows of its reader: nothing until the read answers (or fails: then they are nobody in particular). */
export interface ReaderState {
  known: boolean;
  staff: Me | null;
  /** The signed-in person (any role): the comment box then posts under their display name. */
  account: SignedIn | null;
}

/** What the comment box shows of a signed-in person. */
export interface SignedIn {
  displayName: string;
}

function signedInOf(account: unknown): SignedIn | null {
  const name = typeof account === 'object' && account !== null ? (account as { displayName?: unknown }).displayName : undefined;
  return typeof name === 'string' ? { displayName: name } : null;
}

/**
 * What is this reader's own, read once the page runs: a reader page's HTML is the same for everyone
 * (docs/decisions.md, "Nothing personal in a reader page"), so their comments (held ones too), likes and
 * staff session come from GET /api/threads/<slug>/viewer. It also gives a new reader their guest cookie,
 * which is why the socket waits for it (`known`): its handshake then carries the same guest.
 */
export function useReaderState(options: {
  slug: string;
  framed: boolean;
  dispatch: Dispatch<ThreadAction>;
  onStaff?: (staff: Me) => void;
  onAccount?: (account: Account | null) => void;
}): ReaderState {
  const { slug, framed, dispatch } = options;
  const [reader, setReader] = useState<ReaderState>({ known: false, staff: null, account: null });
  const onStaff = useRef(options.onStaff);
  onStaff.current = options.onStaff;
  const onAccount = useRef(options.onAccount);
  onAccount.current = options.onAccount;
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => setReader((r) => (r.known ? r : { ...r, known: true })), READER_WAIT_MS);
    void serverApi.viewer(slug, framed).then((result) => {
      if (!current) return;
      clearTimeout(timer);
      if (result.ok) {
        dispatch({ type: 'reader', own: result.data.own, liked: result.data.liked });
        if (result.data.staff) onStaff.current?.(result.data.staff);
        onAccount.current?.(result.data.account);
      }
      setReader({ known: true, staff: result.ok ? result.data.staff : null, account: result.ok ? signedInOf(result.data.account) : null });
    });
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [slug, framed, dispatch]);
  return reader;
}

/** A live page's own idempotency keys' seed: random, so two open pages of one version never share keys. */
export function randomSeed(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('');
}
