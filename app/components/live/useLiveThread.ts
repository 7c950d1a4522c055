'use client';

import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { CommentView } from '../../../lib/contract/api';
import { initialState, reduce, replyBlocked, type ClientComment, type ThreadStart } from '../../../lib/client/threadState';
import { renderCommentHtml } from '../../../lib/domain/markdown';
import { useTranslator } from '../../i18n/I18nProvider';
import { serverApi, type ApiResult } from '../serverApi';
import type { CommentDraft } from './CommentForm';
import type { ModeratorAction } from './CommentItem';
import { recordPagesLoaded } from './pagesInAddress';
import { loadNextPage } from './threadLoading';
import { useThreadConnection } from './useThreadConnection';

/**
 * The live thread's state and everything a reader can do to it; the
 * components only render what this returns. Thread data goes through the pure
 * reducer (lib/client/threadState.ts); the server through the connection
 * (socket) and serverApi (HTTP).
 */
export function useLiveThread(start: ThreadStart & { replyTo: string | null; clientIdSeed: string }) {
  const t = useTranslator();
  const [state, dispatch] = useReducer(reduce, start, initialState);
  const stateRef = useRef(state);
  stateRef.current = state;
  const conn = useThreadConnection({ slug: start.slug, state, stateRef, dispatch });
  const [live, setLive] = useState(false);
  const [now, setNow] = useState<number | null>(null);
  const [replyTo, setReplyTo] = useState<string | null>(start.replyTo);
  const sendCount = useRef(0);
  const [clientIds, setClientIds] = useState<Record<string, string>>({});
  const [nextPostAt, setNextPostAt] = useState(0);
  const { slug, clientIdSeed } = start;

  // Slow mode's countdown ticks every second while it runs.
  useEffect(() => {
    if (nextPostAt <= Date.now()) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [nextPostAt]);

  // Relative times start (and keep) ticking once the page is live.
  useEffect(() => {
    setLive(true);
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);

  const clientIdFor = useCallback((parentId: string | null) => clientIds[parentId ?? 'top'] ?? `${clientIdSeed}-${parentId ?? 'top'}`, [clientIds, clientIdSeed]);

  const { send: sendOverConnection, like: likeOverConnection, signalTyping } = conn;
  const deliver = useCallback(
    async (clientId: string, parentId: string | null, draft: CommentDraft) => {
      const result = await sendOverConnection({ parentId, body: draft.body, authorName: draft.authorName, clientId });
      if (result.ok) {
        dispatch({ type: 'sent', clientId, comment: result.data });
        const slow = stateRef.current.slowModeSeconds;
        if (slow > 0) setNextPostAt(Date.now() + slow * 1000);
      } else {
        dispatch({ type: 'send-failed', clientId, error: t.t(result.error.message) });
        if (result.error.retryAfter) setNextPostAt(Date.now() + result.error.retryAfter * 1000);
      }
    },
    [sendOverConnection, t],
  );

  const send = useCallback(
    (parentId: string | null, draft: CommentDraft) => {
      const clientId = clientIdFor(parentId);
      // The next comment from this box needs a new id; a retry of this one keeps it.
      sendCount.current += 1;
      setClientIds((ids) => ({ ...ids, [parentId ?? 'top']: `${clientIdSeed}-${parentId ?? 'top'}-${sendCount.current}` }));
      dispatch({ type: 'send', clientId, parentId, body: draft.body.trim(), authorName: draft.authorName.trim(), html: renderCommentHtml(draft.body.trim()) });
      if (parentId !== null) setReplyTo(null);
      void deliver(clientId, parentId, draft);
    },
    [clientIdFor, deliver, clientIdSeed],
  );

  const retry = useCallback(
    (comment: ClientComment) => {
      if (!comment.local) return;
      dispatch({ type: 'retry', clientId: comment.local.clientId });
      void deliver(comment.local.clientId, comment.parentId, { body: comment.body, authorName: comment.author.name ?? '' });
    },
    [deliver],
  );

  /** An answer as the comment components take it: null when done, else what to tell the reader. */
  const problem = useCallback((result: ApiResult<unknown>) => (result.ok ? null : t.t(result.error.message)), [t]);
  const changed = useCallback(
    async (request: Promise<ApiResult<CommentView>>) => {
      const result = await request;
      if (result.ok) dispatch({ type: 'changed', comment: result.data });
      return problem(result);
    },
    [problem],
  );

  const like = useCallback(
    async (comment: ClientComment): Promise<string | null> => {
      const liked = !(comment.likedByMe ?? false);
      dispatch({ type: 'like', id: comment.id, liked });
      const result = await likeOverConnection(comment.id, liked);
      if (result.ok) dispatch({ type: 'like-done', id: comment.id, ...result.data });
      else dispatch({ type: 'like-failed', id: comment.id, liked });
      return problem(result);
    },
    [likeOverConnection, problem],
  );

  const actions = {
    setReplyTo,
    send,
    retry,
    like,
    edit: (id: string, body: string) => changed(serverApi.editComment(id, body)),
    remove: (id: string) => changed(serverApi.deleteComment(id)),
    moderate: async (id: string, action: ModeratorAction) => problem(await serverApi.moderateComment(id, action)),
    report: async (id: string, reason: string) => problem(await serverApi.report(id, reason)),
    typed: signalTyping,
    fold: useCallback((id: string, open: boolean) => {
      if (open !== (stateRef.current.collapsed[id] === undefined)) dispatch({ type: 'fold', id, open });
    }, []),
    settle: useCallback((id: string) => dispatch({ type: 'settle', id }), []),
    reveal: () => dispatch({ type: 'reveal' }),
    dismissReply: (id: string) => dispatch({ type: 'dismiss-reply', id }),
    loadMore: () => loadNextPage({ api: serverApi, slug, current: () => stateRef.current, dispatch, pageLoaded: recordPagesLoaded }),
    clientIdFor,
  };

  const waitSeconds = now !== null && nextPostAt > now ? Math.ceil((nextPostAt - now) / 1000) : 0;
  // Why a post must wait: a page that no longer speaks the server's protocol posts nothing until it is reloaded.
  const waitNote = state.outdated ? t.t('version.reloadToPost') : waitSeconds > 0 ? t.t('thread.wait', { seconds: waitSeconds }) : null;
  const blockedReason = (id: string | null): string | null => {
    const why = replyBlocked(state, id);
    if (why === 'thread') return t.t('thread.lockedThread');
    if (why === 'branch') return t.t('thread.lockedBranch');
    return null;
  };

  return { state, conn, live, now, replyTo, waitNote, blockedReason, actions };
}

export type LiveThreadModel = ReturnType<typeof useLiveThread>;
