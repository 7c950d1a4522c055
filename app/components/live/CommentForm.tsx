'use client';

import { Suspense, useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import { acceptsPost, bodyLength, type Draft } from '../../../lib/client/composer';
import { BODY_MAX, NAME_MAX } from '../../../lib/contract/limits';
import { useTranslator } from '../../i18n/I18nProvider';
import type { ApiResult } from '../serverApi';
import { statusText, tooLongText } from './composerText';
import { useComposer } from './useComposer';
import { useCommenter } from './accountContext';
import { ComposerIdentity } from './ComposerIdentity';
import { MentionSuggest, wantsSuggestion } from './mentionSuggestChunk';

export type CommentDraft = Draft;

interface Props {
  slug: string;
  parentId: string | null;
  /** For the no-JavaScript post: the server drops a second submit with the same id. */
  clientId: string;
  disabled: boolean;
  disabledReason?: string;
  /** Null before the page is live: the form then posts as a plain HTML form. Resolves once the server has answered. */
  onSend: ((draft: CommentDraft) => Promise<ApiResult<unknown>>) | null;
  /** The page's connection is live: a post held for want of one goes then. */
  connected?: boolean;
  onTyping?: () => void;
  onCancel?: () => void;
  autoFocus?: boolean;
  error?: string | null;
  /** What became of the last post, when it is not on the page (held for review). */
  notice?: string | null;
  /** Why the next post must wait: slow mode (and for how long), or a page that must be reloaded first. */
  waitNote?: string | null;
  preModeration?: boolean;
  /** A guest under `guests-premoderated` (lib/domain/commentPolicy.ts). */
  guestReview?: boolean;
}

/** Ctrl+Enter (Cmd+Enter on a Mac) posts from either field, as in most comment systems. */
function postsOnKey(e: KeyboardEvent<HTMLFormElement>): boolean {
  return e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey;
}

/**
 * A comment box. Without JavaScript it is a plain form posting to the server;
 * live, it sends over the socket. What is typed stays in the box, and in the
 * draft saved per thread and reply, until the server has stored it (useComposer);
 * what stands in the way of posting is said next to the Post button.
 */
export function CommentForm(props: Props) {
  const t = useTranslator();
  const { slug, parentId } = props;
  const id = useId();
  const live = props.onSend !== null;
  const reply = parentId !== null;
  const { account } = useCommenter();
  // The `@` suggestion's chunk loads on the first `@` typed in a live box (mentionSuggestChunk.ts).
  const [suggesting, setSuggesting] = useState(false);
  const box = useComposer({ slug, parentId, onSend: props.onSend, connected: props.connected ?? false, blocked: props.disabled || Boolean(props.waitNote), accountName: account?.displayName ?? null });

  // Code points of what the server will store: an emoji is one character.
  const remaining = BODY_MAX - bodyLength(box.body);
  const tooLong = remaining < 0;
  const sending = box.status.state === 'sending';
  const said = statusText(t, box.status, { reply, waiting: Boolean(props.waitNote) });
  // Post stays focusable when it cannot be used (aria-disabled), so focus is not lost from under a keyboard user.
  const unusable = Boolean(props.waitNote) || tooLong || !acceptsPost(box.status);
  const notes = { said: `${id}-said`, long: `${id}-long`, wait: `${id}-wait`, error: `${id}-error` };
  const describedBy = [said && notes.said, tooLong && notes.long, props.waitNote && !props.disabled && notes.wait, props.error && notes.error].filter(Boolean).join(' ') || undefined;
  const bodyInvalid = tooLong || (box.status.state === 'invalid' && box.status.problem.field === 'body');
  const nameInvalid = box.status.state === 'invalid' && box.status.problem.field === 'authorName';

  const submit = (e: FormEvent<HTMLFormElement>) => {
    if (!live) return; // not live yet: let the browser post the form
    e.preventDefault();
    if (props.disabled || unusable) return;
    box.post();
  };

  /** What both fields share: the id their label points at, the name the no-JavaScript post sends, and the form's state. */
  const field = (key: 'name' | 'body', name: keyof CommentDraft, invalid: boolean) => ({
    id: `${id}-${key}`,
    name,
    // Live, the box says itself (in the page's language, next to Post) what is missing.
    required: !live,
    disabled: props.disabled,
    // On its way: what is sent is what the box shows.
    readOnly: sending,
    'aria-invalid': invalid || undefined,
    'aria-describedby': invalid ? describedBy : undefined,
  });

  return (
    <form
      className="comment-form"
      method="post"
      action={`/articles/${slug}/comments`}
      onSubmit={submit}
      onKeyDown={(e) => {
        if (!live || !postsOnKey(e)) return;
        e.preventDefault();
        e.currentTarget.requestSubmit();
      }}
      noValidate={live}
      id={reply ? `reply-${parentId}` : 'comment-form'}
      aria-label={reply ? t.t('form.reply') : t.t('form.addComment')}
    >
      <input type="hidden" name="clientId" value={props.clientId} />
      {reply ? <input type="hidden" name="parentId" value={parentId} /> : null}
      {/* Signed in, the box posts under the account's name: no name to type (the top box says whose it is). */}
      {account ? (
        reply ? null : <ComposerIdentity />
      ) : (
        <>
          <label className="form-label" htmlFor={`${id}-name`}>
            {t.t('form.name')}
          </label>
          <input
            {...field('name', 'authorName', nameInvalid)}
            ref={box.nameField}
            className="form-input"
            maxLength={NAME_MAX}
            autoComplete="nickname"
            value={box.authorName}
            onChange={(e) => box.editName(e.target.value)}
          />
          {reply ? null : <ComposerIdentity />}
        </>
      )}
      <label className="form-label" htmlFor={`${id}-body`}>
        {reply ? t.t('form.replyLabel') : t.t('form.comment')}
      </label>
      <textarea
        {...field('body', 'body', bodyInvalid)}
        ref={box.bodyField}
        className="form-textarea"
        rows={reply ? 3 : 4}
        // maxLength counts UTF-16 units: twice the limit lets any BODY_MAX code points through; the counter says the rest.
        maxLength={2 * BODY_MAX}
        autoFocus={props.autoFocus}
        value={box.body}
        onChange={(e) => {
          box.editBody(e.target.value);
          if (live && !suggesting && wantsSuggestion(e.target.value)) setSuggesting(true);
          props.onTyping?.();
        }}
      />
      {suggesting ? (
        <Suspense fallback={null}>
          <MentionSuggest field={box.bodyField} slug={slug} body={box.body} onChange={box.editBody} t={t} nameMax={NAME_MAX} />
        </Suspense>
      ) : null}
      {props.disabled && props.disabledReason ? (
        <p className="form-note form-locked" role="status">
          {props.disabledReason}
        </p>
      ) : null}
      {props.preModeration && !props.disabled ? <p className="form-note">{t.t('form.preModeration')}</p> : null}
      {props.guestReview && !props.disabled ? <p className="form-note" data-testid="guest-review-note">{t.t('form.guestReview')}</p> : null}
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={props.disabled}
          aria-disabled={(live && unusable) || undefined}
          aria-describedby={describedBy}
          aria-keyshortcuts={live ? 'Control+Enter Meta+Enter' : undefined}
        >
          {reply ? t.t('form.postReply') : t.t('form.postComment')}
        </button>
        {props.onCancel ? (
          <button type="button" className="button" onClick={props.onCancel}>
            {t.t('form.cancel')}
          </button>
        ) : null}
        {remaining < 500 ? <span className={tooLong ? 'form-count form-count-over' : 'form-count'}>{t.t('form.charsLeft', { count: remaining })}</span> : null}
      </div>
      {/* Right under the button: whatever stands between the writer and a posted comment. */}
      {said ? (
        <p className="form-note form-error" role="alert" id={notes.said}>
          {said}
        </p>
      ) : null}
      {tooLong ? (
        <p className="form-note form-error" role="status" id={notes.long}>
          {tooLongText(t)}
        </p>
      ) : null}
      {/* Not a live region: it ticks every second. The refusal above, or the button's description, says it once. */}
      {props.waitNote && !props.disabled ? (
        <p className="form-note form-wait" id={notes.wait}>
          {props.waitNote}
        </p>
      ) : null}
      {props.error ? (
        <p className="form-note form-error" role="alert" id={notes.error}>
          {props.error}
        </p>
      ) : null}
      {props.notice ? (
        <p className="form-note form-held" role="status">
          {props.notice}
        </p>
      ) : null}
    </form>
  );
}
