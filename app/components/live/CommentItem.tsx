'use client';

import { AuthorBadges } from './AuthorBadges';
import { memo, Suspense, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { ClientComment } from '../../../lib/client/threadState';
import { itemView } from '../../../lib/client/threadView';
import type { CommentAction } from '../../../lib/contract/socket';
import { pathsTo, type TreeNode } from '../../../lib/domain/tree';
import { MAX_VISIBLE_DEPTH } from '../clientComments';
import { useTranslator } from '../../i18n/I18nProvider';
import { hiddenAuthorText, hiddenCommentText, replyCountLabel } from '../labels';
import { SignInToComment } from './SignInToComment';
import { CommentForm } from './CommentForm';
import { CommentHtml } from './CommentHtml';
import { LikeButton } from './LikeButton';
import { ThreadTime } from './RelativeTime';
import { ReportDialog } from './ReportDialog';
import { ModeratorControls, UndoRemove } from './staffOnly';
import { MutedFold } from './MutedFold';
import { foldMuted } from '../../../lib/client/readerMutes';
import { useMutes } from './useReaderMutes';
import { useCommentThread, useThreadView } from './useCommentThread';

/** How long a comment that just arrived stays highlighted. */
const FRESH_MS = 4000;

/** The actions a comment's own controls offer; approving and rejecting are the moderation desk's. */
export type ModeratorAction = Exclude<CommentAction, 'approve' | 'reject'>;

export function CommentList({ nodes, level }: { nodes: TreeNode<ClientComment>[]; level: number }) {
  // Consecutive comments of people the reader muted fold into one (issue 19); none until the reader's mutes are read, after hydration.
  const { muted } = useMutes();
  const entries = useMemo(() => foldMuted(nodes, muted), [nodes, muted]);
  const item = (node: TreeNode<ClientComment>) => (
    <li key={node.item.id} className="thread-item">
      {level === 1 ? <Branch node={node} /> : <CommentItem node={node} level={level} />}
    </li>
  );
  return (
    <ol className={level === 1 ? 'thread' : 'replies'} data-level={level}>
      {entries.map((entry) =>
        entry.kind === 'shown' ? (
          item(entry.node)
        ) : (
          <li key={`muted-${entry.id}`} className="thread-item thread-item-muted">
            <MutedFold entry={entry}>{(folded) => <ol className="muted-fold-list">{folded.map(item)}</ol>}</MutedFold>
          </li>
        ),
      )}
    </ol>
  );
}

/**
 * A top-level comment with its replies, hydrated apart from the rest of the page. React hydrates
 * the page's root in one blocking pass but each server-rendered Suspense boundary later, at a
 * low priority that yields to the browser between comments (and at once where the reader clicks
 * or types): a 2,000-comment thread's hydration is then many short tasks, not one of seconds.
 * Memoised on the node, so a re-render of the list (a comment arriving elsewhere) does not give
 * a boundary not yet hydrated new props, which would make React hydrate it there and then. Until
 * every branch has hydrated, comments render the page as the server did (useCommentThreadValue).
 */
const Branch = memo(function Branch({ node }: { node: TreeNode<ClientComment> }) {
  return (
    <Suspense fallback={null}>
      <CommentItem node={node} level={1} />
      <BranchHydrated id={node.item.id} />
    </Suspense>
  );
});

/** Tells the thread once its branch has hydrated: the comments read the page's live view from then on (useCommentThreadValue). */
function BranchHydrated({ id }: { id: string }) {
  const { branchHydrated } = useCommentThread();
  useEffect(() => branchHydrated(id), [branchHydrated, id]);
  return null;
}

/**
 * One comment and its replies. Memoised on its node, which stays the same object while the
 * comment and everything under it are unchanged (useVisibleTree): a change elsewhere in the
 * thread does not re-render it. What it shows of the page around it (focus, the open reply box,
 * the clock…) it picks itself (useThreadView), so a change there re-renders only the comments
 * it concerns.
 */
const CommentItem = memo(function CommentItem({ node, level }: { node: TreeNode<ClientComment>; level: number }) {
  const t = useTranslator();
  const c = node.item;
  const { actions } = useCommentThread();
  const ctx = useThreadView((view) => itemView(view, c));
  // Any reader may mute a comment's author (the context changes only when a mute does).
  const { mute } = useMutes();
  const anchor = `c-${c.id}`;
  const hasReplies = node.children.length > 0;
  const cut = hasReplies && level >= MAX_VISIBLE_DEPTH;
  const { folded, newWhileFolded, blocked, editable } = ctx;
  // The author sees their own held comment; everyone else never receives its text.
  const shown = c.status === 'visible' || (c.status === 'pending' && c.mine);
  const [editing, setEditing] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const { settle } = actions;
  useEffect(() => {
    if (!c.fresh) return;
    const timer = setTimeout(() => settle(c.id), FRESH_MS);
    return () => clearTimeout(timer);
  }, [c.fresh, c.id, settle]);

  const classes = ['comment', `comment-${c.status}`, c.fresh ? 'comment-fresh' : '', c.mine ? 'comment-mine' : '', c.local ? `comment-${c.local.state}` : '', c.pinned ? 'comment-pinned' : '', ctx.answer ? 'comment-answer' : '']
    .filter(Boolean)
    .join(' ');

  const self = useRef<HTMLElement>(null);
  // Just removed by this moderator: Undo (`unremove`) puts it back as it was, pin and reports included.
  const [undoable, setUndoable] = useState(false);
  const act = async (action: ModeratorAction, note?: string): Promise<boolean> => {
    const error = await actions.moderate(c.id, action, note);
    setProblem(error);
    if (!error && action === 'remove') setUndoable(true);
    return error === null;
  };
  const undo = async () => setProblem(await actions.moderate(c.id, 'unremove'));
  const closeUndo = useCallback((hadFocus: boolean) => {
    setUndoable(false);
    if (hadFocus) self.current?.focus();
  }, []);

  return (
    <article ref={self} className={classes} id={anchor} aria-label={shown ? t.t('comment.by', { name: c.author.name ?? t.t('comment.anonymous') }) : hiddenCommentText(t, c.status)} data-depth={c.depth} data-comment-id={c.id} tabIndex={ctx.focused ? 0 : -1}>
      <details open={!folded} className="comment-fold" onToggle={(e) => actions.fold(c.id, e.currentTarget.open)}>
        <summary className="comment-header">
          <span className="fold-toggle" aria-hidden="true" />
          {shown ? (
            <bdi className="comment-author">{c.author.name ?? t.t('comment.anonymous')}</bdi>
          ) : (
            <span className="comment-author comment-author-hidden">{hiddenAuthorText(t, c.status)}</span>
          )}
          {shown ? <AuthorBadges badges={c.authorBadges} /> : null}
          {c.mine && shown ? <span className="badge badge-mine">{t.t('comment.you')}</span> : null}
          {c.pinned ? <span className="badge badge-pinned">{t.t('comment.featured')}</span> : null}
          {ctx.question ? <span className={`badge ${c.answerId ? 'badge-answered' : 'badge-question'}`}>{t.t(c.answerId ? 'qa.answered' : 'qa.question')}</span> : null}
          {ctx.answer ? <span className="badge badge-answer">{t.t('qa.answer')}</span> : null}
          {c.locked ? <span className="badge badge-locked">{t.t('comment.repliesLocked')}</span> : null}
          {c.createdAt && !c.local ? <ThreadTime iso={c.createdAt} /> : null}
          {c.editedAt ? <span className="comment-edited">{t.t('comment.edited')}</span> : null}
          {hasReplies ? (
            <span className="fold-count">
              {t.t('comment.hiddenReplies', { replies: replyCountLabel(t, node.descendantCount) })}
              {newWhileFolded > 0 ? <strong className="fold-new"> · {t.t('count.newReplies', { count: newWhileFolded })}</strong> : null}
            </span>
          ) : null}
        </summary>

        {!shown ? (
          <p className="comment-body comment-placeholder">{hiddenCommentText(t, c.status)}</p>
        ) : editing ? (
          <EditBox
            initial={c.body}
            onCancel={() => setEditing(false)}
            onSave={async (body) => {
              const error = await actions.edit(c.id, body);
              if (error) setProblem(error);
              else setEditing(false);
            }}
          />
        ) : c.html === '' ? (
          // Our own comment before the server's answer brings its HTML: the text as written, line breaks kept.
          <div className="comment-body comment-body-plain" dir="auto">
            {c.body}
          </div>
        ) : (
          <CommentHtml id={c.id} html={c.html} />
        )}

        {c.status === 'pending' && c.mine && !c.local ? (
          <p className="comment-status comment-status-pending" role="status">
            {t.t('comment.awaiting')}
          </p>
        ) : null}
        {c.local?.state === 'sending' ? (
          <p className="comment-status" role="status">
            {t.t('comment.sending')}
          </p>
        ) : null}
        {problem ? (
          <p className="comment-status comment-status-failed" role="alert">
            {problem}
          </p>
        ) : null}
        {notice ? (
          <p className="comment-status" role="status">
            {notice}
          </p>
        ) : null}
        {undoable ? (
          <Suspense fallback={null}>
            <UndoRemove onUndo={() => void undo()} onClose={closeUndo} />
          </Suspense>
        ) : null}

        {/* Links and buttons stay out of the <summary>: it is itself a button (no nested controls). */}
        {!c.local ? (
          <div className="comment-actions">
            <a className="permalink" href={`#${anchor}`} aria-label={t.t('comment.permalink')}>
              #
            </a>
            {c.status === 'visible' ? <LikeButton comment={c} live={ctx.live} onToggle={actions.like} slug={ctx.slug} sort={ctx.sort} /> : null}
            {c.status === 'visible' && !blocked ? (
              <a
                className="action-link"
                href={`/articles/${ctx.slug}?replyTo=${c.id}#reply-${c.id}`}
                onClick={(e) => {
                  if (!ctx.live) return;
                  e.preventDefault();
                  actions.setReplyTo(ctx.replying ? null : c.id);
                }}
              >
                {t.t('comment.reply')}
              </a>
            ) : null}
            {editable && !editing ? (
              <button type="button" className="link-button action-link" onClick={() => setEditing(true)}>
                {t.t('comment.edit')}
              </button>
            ) : null}
            {c.mine && ctx.keepsIdentity && ctx.live && shown ? (
              <button
                type="button"
                className="link-button action-link"
                onClick={async () => {
                  if (!window.confirm(t.t('comment.deleteConfirm'))) return;
                  setProblem(await actions.remove(c.id));
                }}
              >
                {t.t('comment.delete')}
              </button>
            ) : null}
            {!c.mine && c.status === 'visible' && ctx.live && !ctx.moderator ? (
              <ReportDialog
                send={(report) => actions.report(c.id, report)}
                onReported={() => {
                  setProblem(null);
                  setNotice(t.t('comment.reported'));
                }}
              />
            ) : null}
            {!c.mine && c.status === 'visible' && c.author.key !== undefined && ctx.live ? (
              <button type="button" className="link-button action-link" onClick={() => mute(c)}>
                {t.t('mute.person', { name: c.author.name ?? t.t('comment.anonymous') })}
              </button>
            ) : null}
            {ctx.moderator && ctx.live ? (
              <Suspense fallback={null}>
                <ModeratorControls comment={c} act={act} answer={ctx.qa && c.depth > 1 ? ctx.answer : null} />
              </Suspense>
            ) : null}
          </div>
        ) : null}

        {ctx.replying && c.status === 'visible' && ctx.signInHref !== null ? <SignInToComment href={ctx.signInHref} framed={false} /> : null}
        {ctx.replying && c.status === 'visible' && ctx.signInHref === null ? (
          <CommentForm
            slug={ctx.slug}
            parentId={c.id}
            clientId={ctx.clientId ?? ''}
            disabled={blocked !== null}
            disabledReason={blocked ?? undefined}
            waitNote={ctx.waitNote}
            preModeration={ctx.preModeration}
            guestReview={ctx.guestReview}
            onSend={ctx.live ? (draft) => actions.send(c.id, draft) : null}
            connected={ctx.connected}
            onTyping={() => actions.typed(c.id)}
            onCancel={ctx.live ? () => actions.setReplyTo(null) : undefined}
            autoFocus={ctx.live}
          />
        ) : null}

        {cut ? (
          <DeeperReplies node={node} level={level} slug={ctx.slug} />
        ) : hasReplies ? (
          <CommentList nodes={node.children} level={level + 1} />
        ) : null}
        {/* Under the replies, where the one being written will land (replies are oldest first). */}
        {ctx.typing ? <p className="typing-notice">{t.t('comment.someoneReplying')}</p> : null}
      </details>
    </article>
  );
});

/**
 * Replies below the depth a page nests to: behind "Continue this thread", except the reader's own,
 * which stay where they wrote them (with the replies on the way to them), so a reply posted here
 * does not vanish for its author.
 */
function DeeperReplies({ node, level, slug }: { node: TreeNode<ClientComment>; level: number; slug: string }) {
  const t = useTranslator();
  const own = pathsTo(node.children, (c) => c.mine);
  const waiting = node.descendantCount - own.count;
  return (
    <>
      {own.nodes.length > 0 ? <CommentList nodes={own.nodes} level={level + 1} /> : null}
      {waiting > 0 ? (
        <p className="continue-thread">
          <a href={`/articles/${slug}/comments/${node.item.id}`}>
            {own.count > 0 ? t.t('comment.continueMore', { count: waiting }) : t.t('comment.continue', { replies: replyCountLabel(t, waiting) })}
          </a>
        </p>
      ) : null}
    </>
  );
}

function EditBox({ initial, onSave, onCancel }: { initial: string; onSave: (body: string) => Promise<void>; onCancel: () => void }) {
  const t = useTranslator();
  const id = useId();
  const [body, setBody] = useState(initial);
  const [saving, setSaving] = useState(false);
  return (
    <form
      className="comment-form comment-edit"
      onSubmit={async (e) => {
        e.preventDefault();
        setSaving(true);
        await onSave(body);
        setSaving(false);
      }}
    >
      <label className="visually-hidden" htmlFor={id}>
        {t.t('comment.editLabel')}
      </label>
      <textarea id={id} className="form-textarea" rows={3} value={body} onChange={(e) => setBody(e.target.value)} autoFocus />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={saving}>
          {t.t('comment.save')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t.t('comment.cancel')}
        </button>
      </div>
    </form>
  );
}
