'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { afterEdit, afterFailure, draftProblem, IDLE, type BoxStatus, type Draft } from '../../../lib/client/composer';
import { keptText } from '../../../lib/client/keptText';
import type { ApiResult } from '../serverApi';

const NAME_KEY = 'threadline:name';
const draftKey = (slug: string, parentId: string | null) => `threadline:draft:${slug}:${parentId ?? 'top'}`;

// In the browser's storage, or for the page's life where it is refused (a frame on another site).
const { load, save } = keptText(() => window.localStorage);

/**
 * One comment box's text and the post it has under way (the rules are
 * lib/client/composer.ts). What is typed is saved (per thread and reply) on
 * every change, and leaves the box and the saved draft only once the server
 * has stored it. A post that did not arrive is held and goes again by itself,
 * with whatever the box then holds, once the page is connected.
 */
export function useComposer(options: {
  slug: string;
  parentId: string | null;
  /** Null before the page is live. */
  onSend: ((draft: Draft) => Promise<ApiResult<unknown>>) | null;
  /** The page's connection is live: a held post may go. */
  connected: boolean;
  /** Posting is not possible now (a lock, a wait): a held post waits for it to end. */
  blocked: boolean;
  /** The signed-in person's display name: what is posted under (the server uses it anyway); null for a guest, who types one. */
  accountName?: string | null;
}) {
  const { slug, parentId, connected, blocked } = options;
  const [body, setBody] = useState('');
  const [authorName, setAuthorName] = useState('');
  const [status, setStatus] = useState<BoxStatus>(IDLE);
  // What the box holds now, for a post that goes later (a held one) without waiting for a render.
  const draft = useRef<Draft>({ body: '', authorName: '' });
  const latest = useRef(options);
  latest.current = options;
  const sending = useRef(false);
  const bodyField = useRef<HTMLTextAreaElement>(null);
  const nameField = useRef<HTMLInputElement>(null);

  useEffect(() => {
    draft.current = { body: load(draftKey(slug, parentId)), authorName: load(NAME_KEY) };
    setBody(draft.current.body);
    setAuthorName(draft.current.authorName);
  }, [slug, parentId]);

  const editBody = (value: string) => {
    draft.current.body = value;
    setBody(value);
    save(draftKey(slug, parentId), value);
    setStatus(afterEdit);
  };
  const editName = (value: string) => {
    draft.current.authorName = value;
    setAuthorName(value);
    save(NAME_KEY, value);
    setStatus(afterEdit);
  };

  /** Sends what the box holds. `held`: the box's own second try, which says nothing if the text was emptied meanwhile. */
  const post = useCallback(
    async (held = false) => {
      const { onSend, blocked: notNow } = latest.current;
      if (onSend === null || sending.current || notNow) return;
      const accountName = latest.current.accountName;
      const sent = accountName ? { ...draft.current, authorName: accountName } : { ...draft.current };
      const problem = draftProblem(sent);
      if (problem) {
        setStatus(held ? IDLE : { state: 'invalid', problem });
        if (!held) (problem.field === 'body' ? bodyField : nameField).current?.focus();
        return;
      }
      sending.current = true;
      setStatus({ state: 'sending' });
      const result = await onSend(sent);
      sending.current = false;
      if (!result.ok) {
        setStatus(afterFailure(result.error, { now: Date.now(), online: navigator.onLine }));
        return;
      }
      // Stored: the text leaves the box and the saved draft (even if the box has closed meanwhile, as a reply box does).
      save(draftKey(slug, parentId), '');
      draft.current.body = '';
      setBody('');
      setStatus(IDLE);
    },
    [slug, parentId],
  );

  // A held post goes when the page is connected, no sooner than it may.
  useEffect(() => {
    if (status.state !== 'held' || !connected || blocked) return;
    const timer = setTimeout(() => void post(true), Math.max(0, status.retryAt - Date.now()));
    return () => clearTimeout(timer);
  }, [status, connected, blocked, post]);

  return { body, authorName, status, editBody, editName, post: () => void post(), bodyField, nameField };
}
