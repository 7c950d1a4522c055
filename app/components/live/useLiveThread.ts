'use client';

import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { CommentView, ReportRequest } from '../../../lib/contract/api';
import { secondsLeft, waitAfterPost, waitAfterRefusal, withSlowMode, type PostWait } from '../../../lib/client/postWait';
import { initialState, reduce, replyBlocked, threadGone, type ClientComment, type ThreadStart } from '../../../lib/client/threadState';
import { useTranslator } from '../../i18n/I18nProvider';
import { serverApi, type ApiResult } from '../serverApi';
import type { CommentDraft } from './CommentForm';
import type { ModeratorAction } from './CommentItem';
import { recordPagesLoaded } from './pagesInAddress';
import { loadNextPage } from './threadLoading';
import { useStableCallbacks } from './useStableCallbacks';
import { useThreadConnection } from './useThreadConnection';
import type { LiveThreadHost } from './LiveThread';
import { randomSeed, useReaderState } from './useReaderState';

/** The clientId a box's next post carries: the page's first for the box, until a post from it is stored. */
function boxClientId(ids: Record<string, string>, seed: string, parentId: string | null): string {
  return ids[parentId ?? 'top'] ?? `${seed}-${parentId ?? 'top'}`;
}

/**
 * The live thread's state and everything a reader can do to it; the
 * components only render what this returns. Thread data goes through the pure
 * reducer (lib/client/threadState.ts); the server through the connection
 * (socket) and serverApi (HTTP).
 */
export function useLiveThread(start: ThreadStart & LiveThreadHost & { replyTo: string | null; clientIdSeed: string }) {
  const t = useTranslator();
  const [state, dispatch] = useReducer(reduce, start, initialState);
  const stateRef = useRef(state);
  stateRef.current = state;
  const reader = useReaderState({ slug: start.slug, framed: start.framed ?? false, dispatch, onStaff: start.onStaff, onAccount: start.onAccount });
  const { staff } = reader;
  // Deleted, or hidden and this reader not staff: the page shows it removed and follows it no more. Only staff
  // are given a hidden thread's page, so until the reader is known it is not taken away from them.
  const gone = threadGone(state, { staff: !reader.known || staff !== null });
  const conn = useThreadConnection({ slug: start.slug, state, stateRef, dispatch, gone, enabled: reader.known });
  const [live, setLive] = useState(false);
  const [now, setNow] = useState<number | null>(null);
  const [replyTo, setReplyTo] = useState<string | null>(start.replyTo);
  const sendCount = useRef(0);
  const [clientIds, setClientIds] = useState<Record<string, string>>({});
  const clientIdsRef = useRef(clientIds);
  clientIdsRef.current = clientIds;
  const [wait, setWait] = useState<PostWait | null>(null);
  const { slug } = start;
  // The HTML's seed is every reader's (one per thread version): once live, the page's own.
  const [clientIdSeed, setClientIdSeed] = useState(start.clientIdSeed);
  useEffect(() => setClientIdSeed(randomSeed()), []);

  // The countdown ticks every second while it runs, and ends itself.
  useEffect(() => {
    if (wait === null) return;
    const timer = setInterval(() => {
      const time = Date.now();
      setNow(time);
      if (time >= wait.until) setWait(null);
    }, 1000);
    return () => clearInterval(timer);
  }, [wait]);

  // A moderator changed slow mode: a reader waiting under it waits as the new setting says (off: not at all).
  const slowModeSeconds = state.slowModeSeconds;
  useEffect(() => setWait((w) => withSlowMode(w, slowModeSeconds)), [slowModeSeconds]);

  // Relative times start (and keep) ticking once the page is live.
  useEffect(() => {
    setLive(true);
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);

  const clientIdFor = (parentId: string | null) => boxClientId(clientIds, clientIdSeed, parentId);

  const { send: sendOverConnection, like: likeOverConnection, signalTyping } = conn;
  /**
   * Posts a box's draft: shown in the thread at once, taken back if the server does not take it. The box keeps the
   * text until this resolves `ok`; sent again (after a refusal or with no answer) it carries the same clientId, so the
   * server stores it once. Only a stored comment moves the box on to a new id.
   */
  const send = useCallback(
    async (parentId: string | null, draft: CommentDraft): Promise<ApiResult<CommentView>> => {
      const clientId = boxClientId(clientIdsRef.current, clientIdSeed, parentId);
      const body = draft.body.trim();
      dispatch({ type: 'send', clientId, parentId, body, authorName: draft.authorName.trim() });
      const result = await sendOverConnection({ parentId, body: draft.body, authorName: draft.authorName, clientId });
      if (result.ok) {
        dispatch({ type: 'sent', clientId, comment: result.data });
        sendCount.current += 1;
        setClientIds((ids) => ({ ...ids, [parentId ?? 'top']: `${clientIdSeed}-${parentId ?? 'top'}-${sendCount.current}` }));
        setWait(waitAfterPost(Date.now(), stateRef.current.slowModeSeconds));
        if (parentId !== null) setReplyTo((open) => (open === parentId ? null : open));
      } else {
        dispatch({ type: 'send-failed', clientId });
        const refused = waitAfterRefusal(result.error, Date.now(), stateRef.current.slowModeSeconds);
        if (refused) setWait(refused);
      }
      setNow(Date.now());
      return result;
    },
    [sendOverConnection, clientIdSeed],
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

  // Stable functions (each calls this render's version): handed to every comment, they must not re-render them.
  const actions = useStableCallbacks({
    setReplyTo,
    send,
    like,
    edit: (id: string, body: string) => changed(serverApi.editComment(id, body)),
    remove: (id: string) => changed(serverApi.deleteComment(id)),
    moderate: async (id: string, action: ModeratorAction, note?: string) => problem(await serverApi.moderateComment(id, action, note ? { note } : undefined)),
    report: async (id: string, report: ReportRequest) => problem(await serverApi.report(id, report)),
    // The box's clientId goes with the signal: when that comment arrives, other pages end its notice at once.
    typed: (parentId: string | null) => signalTyping(parentId, clientIdFor(parentId)),
    fold: (id: string, open: boolean) => {
      if (open !== (stateRef.current.collapsed[id] === undefined)) dispatch({ type: 'fold', id, open });
    },
    settle: (id: string) => dispatch({ type: 'settle', id }),
    reveal: () => dispatch({ type: 'reveal' }),
    // "Pause live" (issue 19): the reducer holds what the server says until resumed.
    togglePause: () => dispatch({ type: stateRef.current.paused ? 'resume' : 'pause' }),
    dismissReply: (id: string) => dispatch({ type: 'dismiss-reply', id }),
    loadMore: () => loadNextPage({ api: serverApi, slug, current: () => stateRef.current, dispatch, pageLoaded: recordPagesLoaded }),
    clientIdFor,
  });

  const waitSeconds = now === null ? 0 : secondsLeft(wait, now);
  // Why a post must wait: a page that no longer speaks the server's protocol posts nothing until it is reloaded.
  const waitNote = state.outdated
    ? t.t('version.reloadToPost')
    : waitSeconds > 0
      ? t.t(wait?.cause === 'rate_limited' ? 'compose.rateWait' : 'thread.wait', { seconds: waitSeconds })
      : null;
  const blockedReason = (id: string | null): string | null => {
    const why = replyBlocked(state, id);
    if (why === 'hidden') return t.t('thread.hiddenNoPosting');
    if (why === 'thread') return t.t('thread.lockedThread');
    if (why === 'branch') return t.t('thread.lockedBranch');
    return null;
  };

  return { state, gone, conn, live, now, replyTo, waitNote, blockedReason, actions, staff, account: reader.account, known: reader.known };
}

export type LiveThreadModel = ReturnType<typeof useLiveThread>;
