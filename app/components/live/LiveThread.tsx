'use client';

import { Suspense, useMemo, useState } from 'react';
import type { Account, CommentView } from '../../../lib/contract/api';
import { answerIds, newWhilePaused, picksOf, shownCount, visibleCount, visibleTree, type ThreadStart } from '../../../lib/client/threadState';
import type { ThreadView } from '../../../lib/client/threadView';
import { errorMessage } from '../../i18n/errorMessage';
import { useTranslator } from '../../i18n/I18nProvider';
import type { Translator } from '../../i18n/translator';
import { ClosedThreadBanner, RemovedNotice } from '../LockedBanner';
import { ClosingNotice } from './ClosingNotice';
import { newCommentsLabel } from '../labels';
import { TOP } from '../../../lib/client/typing';
import { shownToDepth } from '../../../lib/domain/tree';
import { MAX_VISIBLE_DEPTH } from '../clientComments';
import { ArrivalsPill } from './ArrivalsPill';
import { CommentForm } from './CommentForm';
import { CommentList } from './CommentItem';
import { DiscussionHeader } from './DiscussionHeader';
import { IdentityNote } from './IdentityNote';
import { PicksStrip } from './PicksStrip';
import { CommenterContext } from './accountContext';
import { MoreComments } from './MoreComments';
import { ReplyNotice } from './ReplyNotice';
import { ThreadModeration } from './staffOnly';
import { ThreadWatchBar } from './personOnly';
import { UpdateNotice } from './UpdateNotice';
import { signInHref, SignInToComment } from './SignInToComment';
import { DEFAULT_COMMENT_POLICY, effectivePolicy, guestMay, type CommentPolicy } from '../../../lib/domain/commentPolicy';
import { useArrivals } from './useArrivals';
import { useCommentKeys } from './useCommentKeys';
import { CommentThreadProvider, useCommentThreadValue } from './useCommentThread';
import { useLiveThread } from './useLiveThread';
import { useNewCommentAnnouncer } from './useNewCommentAnnouncer';
import { useVisibleTree } from './useVisibleTree';
import { PauseLive } from './PauseLive';
import { isMutedComment } from '../../../lib/client/readerMutes';
import { ReaderMutesProvider, useReaderMutes } from './useReaderMutes';

export interface LiveThreadProps extends ThreadStart {
  comments: (CommentView & { mine: boolean })[];
  /** Where the next page of branches starts; null when the page holds them all. */
  nextCursor: string | null;
  /** The thread's visible comments, including those in branches not on this page. */
  total: number;
  /** Set when this page starts after a cursor (the no-JavaScript "More comments" link). */
  after?: string | null;
  /** Set on a branch page: the comment the page is rooted at. */
  rootId: string | null;
  /** `?replyTo=` (the no-JavaScript reply link): open that comment's reply form. */
  replyTo: string | null;
  /** A refused no-JavaScript like, sent back as `?likeError=<code>`. */
  likeError?: string | null;
  /** A refused no-JavaScript post, sent back as `?error=`. */
  formError: { code: string; field: string | null } | null;
  /** A no-JavaScript post held for review, sent back as `?held=<id>` (the page everyone gets does not show it). */
  held?: boolean;
  /** Who may comment on the site where the thread does not say (its own policy is `commentPolicy`); `guests` when absent. */
  sitePolicy?: CommentPolicy;
  /** The no-JavaScript form's idempotency keys' seed: one per thread version (requestViewer.ts); a live page takes its own. */
  clientIdSeed: string;
  /** The site offers commenters a way to sign in (lib/services/signIn/methods.ts): the box links to it. */
  signIn?: boolean;
  /** When the server rendered the page (ms): what "Comments close in 2 hours" is counted from until the browser's clock takes over. */
  renderedAt?: number;
}

/** What the island's host does when the reader turns out to be signed in as staff (app/islands/thread.tsx: the header's links). */
export interface LiveThreadHost {
  onStaff?: (staff: { username: string; role: 'moderator' | 'admin' }) => void;
  /** Who is signed in (null: a guest), once the reader's own state is read. */
  onAccount?: (account: Account | null) => void;
  /** In the embed's frame (the guest cookie the reader's first read sets must work there). */
  framed?: boolean;
}

function formErrorMessage(t: Translator, error: LiveThreadProps['formError']): string | null {
  if (!error) return null;
  const reason = errorMessage(t, error, 'error.notPosted');
  return `${t.t('thread.notPosted', { reason })}${error.field ? ` (${error.field})` : ''}`;
}

/**
 * The discussion, live: server-rendered as plain HTML (readable and postable
 * without JavaScript), then kept up to date from the thread's event stream.
 * State and actions are useLiveThread's; this only renders them.
 */
export function LiveThread(props: LiveThreadProps & LiveThreadHost) {
  const t = useTranslator();
  const { state, gone, conn, live, now, replyTo, waitNote, blockedReason, actions, staff, account, known } = useLiveThread(props);
  const signedIn = account !== null;
  const mutes = useReaderMutes({ known, signedIn });
  const heldCount = useMemo(() => newWhilePaused(state), [state]);
  // Shown before anyone types: a guest is asked to sign in (`accounts`) or told their comment is reviewed (`guests-premoderated`).
  const asGuest = guestMay(effectivePolicy(state.commentPolicy, props.sitePolicy ?? DEFAULT_COMMENT_POLICY));
  const guest = !signedIn && staff === null;
  const mustSignIn = guest && asGuest === 'sign-in';
  const framed = props.framed ?? false;
  const commenter = useMemo(
    () => ({ account, framed, offered: props.signIn ?? false, path: `/${framed ? 'embed' : 'articles'}/${props.slug}` }),
    [account, framed, props.signIn, props.slug],
  );
  // A page that opened on an open thread keeps its comment box when the thread locks: disabled, text kept.
  const [openedUnlocked] = useState(!props.locked);
  const tree = useVisibleTree(state, props.rootId);
  // What the page shows of its comments (replies nested too deep wait behind "Continue this thread"), for the reply notice's link.
  const noticing = state.replies.length > 0;
  // A reply held behind the pill (it came while the page loaded) counts as shown: its notice reveals what is held and goes there.
  const revealed = useMemo(() => (noticing && state.held.length > 0 ? visibleTree({ ...state, held: [] }, props.rootId === null ? {} : { rootId: props.rootId }) : tree), [noticing, state, props.rootId, tree]);
  const shown = useMemo(() => (noticing ? shownToDepth(revealed, MAX_VISIBLE_DEPTH, (c) => c.mine) : null), [noticing, revealed]);
  // What changes the comments on the page: their tree (the same object while no comment changed) and the folds.
  const shape = useMemo(() => ({ tree, collapsed: state.collapsed }), [tree, state.collapsed]);
  const focusedId = useCommentKeys({ enabled: live, replyTo, setReplyTo: actions.setReplyTo, version: shape });
  const arrivals = useArrivals({ state, tree, presence: conn.status, synced: conn.synced, rootId: props.rootId, muted: mutes.muted, reveal: actions.reveal });
  // What came while the page was away is told by the arrivals pill, once, not announced again here.
  const announcement = useNewCommentAnnouncer({ comments: state.comments, label: (n) => newCommentsLabel(t, n), quiet: arrivals.away, muted: mutes.muted });
  const picks = useMemo(() => picksOf(state), [state]);
  const answers = useMemo(() => answerIds(state), [state]);
  const preModeration = state.preModeration && staff === null;
  const guestReview = guest && asGuest === 'post-reviewed' && !preModeration;
  const onTop = props.rootId === null;

  const view: ThreadView = {
    slug: props.slug,
    sort: state.sort,
    // A hidden thread takes no edits either (only staff see it, and the server refuses them).
    locked: state.locked || state.hidden,
    now,
    live,
    replyTo,
    moderator: staff !== null,
    keepsIdentity: conn.identity === 'lasting',
    blocked: blockedReason,
    waitNote,
    preModeration,
    guestReview,
    signInHref: mustSignIn ? signInHref(props.slug) : null,
    clientIdFor: actions.clientIdFor,
    collapsed: state.collapsed,
    typing: conn.typing,
    focusedId,
    connected: conn.status === 'live',
    qa: state.qa,
    answers,
  };
  // The branches on the page: a folded one (a muted person's, issue 19) is not, and will never say it hydrated.
  const thread = useCommentThreadValue(view, actions, tree.filter((node) => !isMutedComment(node.item, mutes.muted)).map((node) => node.item.id));

  // Deleted, or hidden from this reader: the discussion is gone from the page at once, comment box and all.
  if (gone) return <RemovedNotice />;

  return (
    <CommenterContext.Provider value={commenter}>
      {onTop ? <DiscussionHeader slug={props.slug} sort={state.sort} count={visibleCount(state)} live={live} status={conn.status} reading={conn.status === 'live' ? conn.reading : null} qa={state.qa} /> : null}
      {/* A closed thread takes no new comments: nothing to pause for (one paused before it closed can still resume). */}
      {onTop && !state.outdated && (state.paused !== null || (!state.locked && !state.hidden)) ? <PauseLive live={live} paused={state.paused !== null} count={heldCount} onToggle={actions.togglePause} /> : null}
      {state.outdated ? <UpdateNotice /> : null}

      {props.likeError ? (
        <p className="banner banner-like-error" role="alert">
          {t.t('like.failed', { reason: errorMessage(t, { code: props.likeError }, 'error.invalid_request') })}
        </p>
      ) : null}
      {/* New comments from others, announced politely and in batches (useNewCommentAnnouncer); always present so the first batch is read. */}
      <p className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="new-comments-announcer">
        {announcement}
      </p>

      <ClosedThreadBanner hidden={state.hidden} locked={state.locked} />
      {!state.locked && !state.hidden ? <ClosingNotice closesAt={state.closesAt} renderedAt={props.renderedAt ?? null} /> : null}
      {state.slowModeSeconds > 0 && !state.locked && !state.hidden ? (
        <p className="banner banner-slow" role="status">
          {t.t('thread.slowMode', { count: state.slowModeSeconds })}
        </p>
      ) : null}

      {staff && live ? (
        <Suspense fallback={null}>
          <ThreadModeration slug={props.slug} locked={state.locked} slowModeSeconds={state.slowModeSeconds} preModeration={state.preModeration} qa={state.qa} closesAt={state.closesAt} />
        </Suspense>
      ) : null}
      {signedIn && live && onTop ? (
        <Suspense fallback={null}>
          <ThreadWatchBar slug={props.slug} />
        </Suspense>
      ) : null}
      {state.qa && onTop && !state.hidden ? (
        <p className="banner banner-qa" role="status">
          {t.t('qa.banner')}
        </p>
      ) : null}
      {picks.length > 0 && onTop ? <PicksStrip slug={props.slug} picks={picks} /> : null}

      {conn.identity === 'connection' && !state.locked && !state.hidden ? <IdentityNote /> : null}
      {onTop && !state.hidden && (!state.locked || openedUnlocked) && mustSignIn ? <SignInToComment href={signInHref(props.slug)} framed={props.framed === true} /> : null}
      {onTop && !state.hidden && (!state.locked || openedUnlocked) && !mustSignIn ? (
        <CommentForm
          slug={props.slug}
          parentId={null}
          clientId={actions.clientIdFor(null)}
          disabled={state.locked}
          disabledReason={blockedReason(null) ?? undefined}
          waitNote={waitNote}
          preModeration={preModeration}
          guestReview={guestReview}
          onSend={live ? (draft) => actions.send(null, draft) : null}
          connected={view.connected}
          onTyping={() => actions.typed(null)}
          error={formErrorMessage(t, props.formError)}
          notice={props.held ? t.t('form.held') : null}
        />
      ) : null}

      <ArrivalsPill view={arrivals.view} onGo={arrivals.goTo} onDismiss={arrivals.dismiss} />
      {/* Where a new top-level comment will land: at the top of the list, behind the pill. */}
      {onTop && conn.typing[TOP] !== undefined ? <p className="typing-notice typing-notice-top">{t.t('thread.someoneWriting', { count: conn.typing[TOP] })}</p> : null}

      {/* Comments held behind the pill are comments: the thread is not empty. */}
      {tree.length === 0 && state.held.length === 0 ? (
        <p className="empty-state">{t.t(state.sort === 'picks' ? 'picks.empty' : 'thread.empty')}</p>
      ) : (
        <CommentThreadProvider value={thread}>
          <ReaderMutesProvider value={mutes}>
            <CommentList nodes={tree} level={1} />
          </ReaderMutesProvider>
        </CommentThreadProvider>
      )}

      {live ? (
        <ReplyNotice replies={state.replies} slug={props.slug} isShown={(id) => shown?.has(id) ?? false} isHeld={(id) => state.held.includes(id)} onReveal={actions.reveal} onDismiss={actions.dismissReply} />
      ) : null}

      {/* An outdated page reads nothing more from this server: the link loads the next page whole, in the new version. */}
      {onTop ? <MoreComments slug={props.slug} sort={state.sort} cursor={state.nextCursor} shown={shownCount(state)} total={visibleCount(state)} onLoad={live && !state.outdated ? actions.loadMore : null} /> : null}
    </CommenterContext.Provider>
  );
}
