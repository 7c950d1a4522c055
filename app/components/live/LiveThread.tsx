'use client';

import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { CatchUpSchema, ThreadResponseSchema, type CommentView, type Sort } from '../../../lib/contract/api';
import { initialState, pinned, reduce, replyBlocked, visibleCount, visibleTree, type ClientComment, type ThreadState } from '../../../lib/client/threadState';
import { renderCommentHtml } from '../../../lib/domain/markdown';
import { errorMessage } from '../../i18n/errorMessage';
import { useTranslator } from '../../i18n/I18nProvider';
import type { MessageKey, Translator } from '../../i18n/translator';
import { LockedBanner } from '../LockedBanner';
import { commentCountLabel, newCommentsLabel } from '../labels';
import { CommentForm, type CommentDraft } from './CommentForm';
import { CommentList, type ModeratorAction, type ThreadContext } from './CommentItem';
import { ReplyNotice } from './ReplyNotice';
import { ThreadModeration } from './ThreadModeration';
import { useCommentKeys } from './useCommentKeys';
import { useNewCommentAnnouncer } from './useNewCommentAnnouncer';
import { useThreadConnection, type ConnectionStatus } from './useThreadConnection';

export interface LiveThreadProps {
  slug: string;
  sort: Sort;
  seq: number;
  locked: boolean;
  slowModeSeconds: number;
  preModeration: boolean;
  comments: (CommentView & { mine: boolean })[];
  /** Where the next page of branches starts; null when the page holds them all. */
  nextCursor: string | null;
  /** The thread's visible comments, including those in branches not on this page. */
  total: number;
  /** Set when this page starts after a cursor (the no-JavaScript "More comments" link). */
  after?: string | null;
  /** The signed-in moderator or admin, if any. */
  staff: { username: string; role: 'moderator' | 'admin' } | null;
  /** Set on a branch page: the comment the page is rooted at. */
  rootId: string | null;
  /** `?replyTo=` (the no-JavaScript reply link): open that comment's reply form. */
  replyTo: string | null;
  /** A refused no-JavaScript like, sent back as `?likeError=<code>`. */
  likeError?: string | null;
  /** A refused no-JavaScript post, sent back as `?error=`. */
  formError: { code: string; field: string | null } | null;
  /** Random per page view, so client ids differ between pages and posts. */
  clientIdSeed: string;
  /** Proves a no-JavaScript post came from this page (docs/security.md). */
  formToken: string;
  /** The reader's comments on the thread, including those in branches not on this page (for the reply notice). */
  ownIds?: string[];
}

const STATUS_LABEL: Record<ConnectionStatus, MessageKey> = {
  connecting: 'thread.connecting',
  live: 'thread.live',
  reconnecting: 'thread.reconnecting',
  offline: 'thread.offline',
};

function formErrorMessage(t: Translator, error: LiveThreadProps['formError']): string | null {
  if (!error) return null;
  const reason = errorMessage(t, error, 'error.notPosted');
  return `${t.t('thread.notPosted', { reason })}${error.field ? ` (${error.field})` : ''}`;
}

/**
 * The discussion, live: server-rendered as plain HTML (readable and postable
 * without JavaScript), then kept up to date from the thread's event stream.
 */
export function LiveThread(props: LiveThreadProps) {
  const t = useTranslator();
  const [state, dispatch] = useReducer(reduce, props, (p): ThreadState =>
    initialState({ slug: p.slug, sort: p.sort, seq: p.seq, locked: p.locked, slowModeSeconds: p.slowModeSeconds, preModeration: p.preModeration, comments: p.comments, nextCursor: p.nextCursor, total: p.total, ownIds: p.ownIds }),
  );
  const stateRef = useRef(state);
  stateRef.current = state;
  const conn = useThreadConnection({ slug: props.slug, state, stateRef, dispatch });
  const [live, setLive] = useState(false);
  const [now, setNow] = useState<number | null>(null);
  const [replyTo, setReplyTo] = useState<string | null>(props.replyTo);
  const sendCount = useRef(0);
  const [clientIds, setClientIds] = useState<Record<string, string>>({});
  // A page that opened on an open thread keeps its comment box when the thread locks: disabled, text kept.
  const [openedUnlocked] = useState(!props.locked);
  const [nextPostAt, setNextPostAt] = useState(0);

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

  const clientIdFor = useCallback(
    (parentId: string | null) => clientIds[parentId ?? 'top'] ?? `${props.clientIdSeed}-${parentId ?? 'top'}`,
    [clientIds, props.clientIdSeed],
  );

  const { send: sendOverConnection } = conn;
  const deliver = useCallback(
    async (clientId: string, parentId: string | null, draft: CommentDraft) => {
      const result = await sendOverConnection({ parentId, body: draft.body, authorName: draft.authorName, clientId });
      if (result.ok) {
        dispatch({ type: 'sent', clientId, comment: result.comment });
        const slow = stateRef.current.slowModeSeconds;
        if (slow > 0) setNextPostAt(Date.now() + slow * 1000);
      } else {
        dispatch({ type: 'send-failed', clientId, error: errorMessage(t, result.error) });
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
      setClientIds((ids) => ({ ...ids, [parentId ?? 'top']: `${props.clientIdSeed}-${parentId ?? 'top'}-${sendCount.current}` }));
      dispatch({ type: 'send', clientId, parentId, body: draft.body.trim(), authorName: draft.authorName.trim(), html: renderCommentHtml(draft.body.trim()) });
      if (parentId !== null) setReplyTo(null);
      void deliver(clientId, parentId, draft);
    },
    [clientIdFor, deliver, props.clientIdSeed],
  );

  const retry = useCallback(
    (comment: ClientComment) => {
      if (!comment.local) return;
      dispatch({ type: 'retry', clientId: comment.local.clientId });
      void deliver(comment.local.clientId, comment.parentId, { body: comment.body, authorName: comment.author.name ?? '' });
    },
    [deliver],
  );

  const request = useCallback(async (method: 'PATCH' | 'DELETE', id: string, body?: string): Promise<string | null> => {
    try {
      const res = await fetch(`/api/comments/${id}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify({ body }),
      });
      const json = (await res.json()) as { comment?: CommentView; error?: { code: string } };
      if (res.ok && json.comment) {
        dispatch({ type: 'changed', comment: json.comment });
        return null;
      }
      return errorMessage(t, json.error);
    } catch {
      return t.t('error.offline');
    }
  }, [t]);

  const moderate = useCallback(async (id: string, action: ModeratorAction): Promise<string | null> => {
    const res = await fetch(`/api/comments/${id}/${action}`, { method: 'POST' }).catch(() => null);
    if (!res) return t.t('error.offline');
    if (res.ok) return null;
    const json = (await res.json().catch(() => ({}))) as { error?: { code: string } };
    return errorMessage(t, json.error);
  }, [t]);

  const report = useCallback(async (id: string, reason: string): Promise<string | null> => {
    const res = await fetch(`/api/comments/${id}/report`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason }) }).catch(() => null);
    if (!res) return t.t('error.offline');
    if (res.ok) return null;
    const json = (await res.json().catch(() => ({}))) as { error?: { code: string } };
    return errorMessage(t, json.error, 'error.reportFailed');
  }, [t]);

  const { like: likeOverConnection } = conn;
  const like = useCallback(
    async (comment: ClientComment): Promise<string | null> => {
      const liked = !(comment.likedByMe ?? false);
      dispatch({ type: 'like', id: comment.id, liked });
      const result = await likeOverConnection(comment.id, liked);
      if (result.ok) {
        dispatch({ type: 'like-done', id: comment.id, liked: result.liked, likes: result.likes, changed: result.changed });
        return null;
      }
      dispatch({ type: 'like-failed', id: comment.id, liked });
      return errorMessage(t, result.error);
    },
    [likeOverConnection, t],
  );

  const fold = useCallback((id: string, open: boolean) => {
    if (open !== (stateRef.current.collapsed[id] === undefined)) dispatch({ type: 'fold', id, open });
  }, []);
  const settle = useCallback((id: string) => dispatch({ type: 'settle', id }), []);
  const { signalTyping } = conn;

  const waitSeconds = now !== null && nextPostAt > now ? Math.ceil((nextPostAt - now) / 1000) : 0;
  const waitNote = waitSeconds > 0 ? t.t('thread.wait', { seconds: waitSeconds }) : null;
  const blockedReason = (id: string | null): string | null => {
    const why = replyBlocked(state, id);
    if (why === 'thread') return t.t('thread.lockedThread');
    if (why === 'branch') return t.t('thread.lockedBranch');
    return null;
  };

  const tree = useMemo(() => visibleTree(state, props.rootId === null ? {} : { rootId: props.rootId }), [state, props.rootId]);
  const held = state.held.length;
  const focusedId = useCommentKeys({ enabled: live, replyTo, setReplyTo, version: tree });
  const announcement = useNewCommentAnnouncer({ comments: state.comments, label: (n) => newCommentsLabel(t, n) });

  const ctx: ThreadContext = {
    slug: props.slug,
    sort: state.sort,
    locked: state.locked,
    now,
    live,
    replyTo,
    moderator: props.staff !== null,
    blocked: blockedReason,
    waitNote,
    preModeration: state.preModeration && props.staff === null,
    clientIdFor,
    formToken: props.formToken,
    collapsedNew: state.collapsed,
    typing: conn.typing,
    setReplyTo,
    send,
    retry,
    fold,
    settle,
    edit: (id, body) => request('PATCH', id, body),
    remove: (id) => request('DELETE', id),
    moderate,
    report,
    typed: signalTyping,
    like,
    focusedId,
  };
  // The next page of branches; then whatever changed in them since that page was read,
  // which arrived while they were not here and was skipped.
  const loadMore = async () => {
    const cursor = stateRef.current.nextCursor;
    if (cursor === null) return false;
    const res = await fetch(`/api/threads/${props.slug}?sort=${stateRef.current.sort}&after=${cursor}`, { headers: { accept: 'application/json' } }).catch(() => null);
    if (!res?.ok) return false;
    const page = ThreadResponseSchema.parse(await res.json());
    dispatch({ type: 'page', comments: page.comments, nextCursor: page.nextCursor });
    if (page.thread.seq < stateRef.current.seq) {
      const since = await fetch(`/api/threads/${props.slug}/events?after=${page.thread.seq}`).catch(() => null);
      const catchUp = since?.ok ? CatchUpSchema.safeParse(await since.json()) : null;
      if (catchUp?.success && !catchUp.data.resync) dispatch({ type: 'backfill', events: catchUp.data.missed });
    }
    return true;
  };
  const featured = pinned(state);


  return (
    <>
      {props.rootId === null ? (
        <div className="discussion-header">
          <h2 id="comments-heading">{commentCountLabel(t, visibleCount(state))}</h2>
          <div className="discussion-meta">
            {live ? (
              <span className={`connection connection-${conn.status}`} role="status" aria-live="polite">
                <span className="connection-dot" aria-hidden="true" />
                {t.t(STATUS_LABEL[conn.status])}
              </span>
            ) : null}
            {conn.reading !== null ? <span className="reading-now">{t.t('count.reading', { count: conn.reading })}</span> : null}
            {live ? (
              <p className="keyboard-hint" id="keyboard-hint">
                <span className="visually-hidden">{t.t('thread.keyboardLabel')} </span>
                <KeyboardHint text={t.t('thread.keyboardHint')} />
              </p>
            ) : null}
            <nav className="sort-links" aria-label={t.t('thread.sortNav')}>
              <span className="sort-label">{t.t('thread.sortLabel')}</span>
              <SortLink sort="oldest" current={state.sort} slug={props.slug} label={t.t('thread.oldest')} />
              <SortLink sort="newest" current={state.sort} slug={props.slug} label={t.t('thread.newest')} />
              <SortLink sort="top" current={state.sort} slug={props.slug} label={t.t('thread.top')} />
            </nav>
          </div>
        </div>
      ) : null}

      {props.likeError ? (
        <p className="banner banner-like-error" role="alert">
          {t.t('like.failed', { reason: errorMessage(t, { code: props.likeError }, 'error.invalid_request') })}
        </p>
      ) : null}
      {/* New comments from others, announced politely and in batches (useNewCommentAnnouncer); always present so the first batch is read. */}
      <p className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="new-comments-announcer">
        {announcement}
      </p>

      {state.locked ? <LockedBanner /> : null}
      {state.slowModeSeconds > 0 && !state.locked ? (
        <p className="banner banner-slow" role="status">
          {t.t('thread.slowMode', { count: state.slowModeSeconds })}
        </p>
      ) : null}

      {props.staff && live ? <ThreadModeration slug={props.slug} locked={state.locked} slowModeSeconds={state.slowModeSeconds} preModeration={state.preModeration} /> : null}

      {featured.length > 0 && props.rootId === null ? (
        <section className="featured" aria-label={t.t('thread.featured')}>
          <h3 className="featured-title">{t.t('thread.featuredTitle')}</h3>
          {featured.map((c) => (
            <blockquote key={c.id} className="featured-comment">
              <div className="comment-body" dir="auto" dangerouslySetInnerHTML={{ __html: c.html }} />
              <footer>
                — <bdi>{c.author.name ?? t.t('comment.anonymous')}</bdi> · <a href={`#c-${c.id}`}>{t.t('thread.inContext')}</a>
              </footer>
            </blockquote>
          ))}
        </section>
      ) : null}

      {props.rootId === null && (!state.locked || openedUnlocked) ? (
        <CommentForm
          slug={props.slug}
          parentId={null}
          clientId={clientIdFor(null)}
          formToken={props.formToken}
          disabled={state.locked}
          disabledReason={blockedReason(null) ?? undefined}
          waitNote={waitNote}
          preModeration={state.preModeration && props.staff === null}
          onSend={live ? (draft) => send(null, draft) : null}
          onTyping={() => signalTyping(null)}
          typingNotice={conn.typing.top !== undefined}
          error={formErrorMessage(t, props.formError)}
        />
      ) : null}

      {held > 0 ? (
        <button type="button" className="new-comments" onClick={() => dispatch({ type: 'reveal' })}>
          {newCommentsLabel(t, held)}
        </button>
      ) : null}

      {tree.length === 0 ? <p className="empty-state">{t.t('thread.empty')}</p> : <CommentList nodes={tree} level={1} ctx={ctx} />}

      {live ? <ReplyNotice replies={state.replies} slug={props.slug} isHere={(id) => state.comments[id] !== undefined} onDismiss={(id) => dispatch({ type: 'dismiss-reply', id })} /> : null}

      {state.nextCursor !== null && props.rootId === null ? (
        <MoreComments slug={props.slug} sort={state.sort} cursor={state.nextCursor} onLoad={live ? loadMore : null} />
      ) : null}
    </>
  );
}

/**
 * More branches: a link without JavaScript (the next page, server-rendered),
 * a button that appends them in place with it.
 */
function MoreComments({ slug, sort, cursor, onLoad }: { slug: string; sort: Sort; cursor: string; onLoad: (() => Promise<boolean>) | null }) {
  const t = useTranslator();
  const [state, setState] = useState<'idle' | 'loading' | 'failed'>('idle');
  const href = `/articles/${slug}?sort=${sort}&after=${cursor}#comments`;
  if (!onLoad) {
    return (
      <p className="more-comments">
        <a href={href}>{t.t('thread.more')}</a>
      </p>
    );
  }
  return (
    <p className="more-comments">
      <button
        type="button"
        disabled={state === 'loading'}
        onClick={async () => {
          setState('loading');
          setState((await onLoad()) ? 'idle' : 'failed');
        }}
      >
        {state === 'loading' ? t.t('thread.loading') : t.t('thread.more')}
      </button>
      {state === 'failed' ? (
        <span role="alert">
          {' '}
          {t.t('thread.moreFailed')} <a href={href}>{t.t('thread.nextPage')}</a>
        </span>
      ) : null}
    </p>
  );
}

function SortLink({ sort, current, slug, label }: { sort: Sort; current: Sort; slug: string; label: string }) {
  return (
    <a href={`/articles/${slug}?sort=${sort}#comments`} aria-current={sort === current ? 'true' : undefined} className="sort-link">
      {label}
    </a>
  );
}

/** The shortcut hint with its keys in <kbd>: `{j}` in the message becomes <kbd>j</kbd>. */
function KeyboardHint({ text }: { text: string }) {
  const KEYS: Record<string, string> = { j: 'j', k: 'k', r: 'r', esc: 'Esc' };
  return (
    <>
      {text.split(/(\{\w+\})/).map((part, i) => {
        const key = /^\{(\w+)\}$/.exec(part)?.[1];
        return key && KEYS[key] ? <kbd key={i}>{KEYS[key]}</kbd> : part;
      })}
    </>
  );
}
