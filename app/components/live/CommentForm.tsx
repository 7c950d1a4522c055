'use client';

import { useEffect, useId, useState, type FormEvent } from 'react';
import { BODY_MAX, NAME_MAX } from '../../../lib/contract/api';
import { characterCount } from '../../../lib/contract/text';
import { useTranslator } from '../../i18n/I18nProvider';

export interface CommentDraft {
  body: string;
  authorName: string;
}

interface Props {
  slug: string;
  parentId: string | null;
  /** For the no-JavaScript post: the server drops a second submit with the same id. */
  clientId: string;
  /** For the no-JavaScript post: proves it came from this page. */
  formToken: string;
  disabled: boolean;
  disabledReason?: string;
  /** Null before the page is live: the form then posts as a plain HTML form. */
  onSend: ((draft: CommentDraft) => void) | null;
  onTyping?: () => void;
  onCancel?: () => void;
  autoFocus?: boolean;
  error?: string | null;
  /** Why the next post must wait: slow mode (and for how long), or a page that must be reloaded first. */
  waitNote?: string | null;
  preModeration?: boolean;
}

const NAME_KEY = 'threadline:name';
const draftKey = (slug: string, parentId: string | null) => `threadline:draft:${slug}:${parentId ?? 'top'}`;

function load(key: string): string {
  try {
    return localStorage.getItem(key) ?? '';
  } catch {
    return '';
  }
}

function save(key: string, value: string): void {
  try {
    if (value) localStorage.setItem(key, value);
    else localStorage.removeItem(key);
  } catch {
    // Private mode or a full quota: the draft just isn't kept.
  }
}

/**
 * A comment box. Without JavaScript it is a plain form posting to the server;
 * live, it sends over the socket. What is typed is kept (per thread and
 * reply) across reloads until it is sent, and kept when the thread locks.
 */
export function CommentForm(props: Props) {
  const t = useTranslator();
  const { slug, parentId } = props;
  const id = useId();
  const [body, setBody] = useState('');
  const [authorName, setAuthorName] = useState('');

  useEffect(() => {
    setBody(load(draftKey(slug, parentId)));
    setAuthorName(load(NAME_KEY));
  }, [slug, parentId]);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    if (!props.onSend) return; // not live yet: let the browser post the form
    e.preventDefault();
    if (props.disabled || props.waitNote || !body.trim() || !authorName.trim()) return;
    props.onSend({ body, authorName });
    setBody('');
    save(draftKey(slug, parentId), '');
  };

  /** What both fields share: the id their label points at, the name the no-JavaScript post sends, and the form's state. */
  const field = (key: 'name' | 'body', name: keyof CommentDraft) => ({ id: `${id}-${key}`, name, required: true, disabled: props.disabled });

  // Code points, as the server counts them: an emoji is one character.
  const remaining = BODY_MAX - characterCount(body.trim());
  return (
    <form
      className="comment-form"
      method="post"
      action={`/articles/${slug}/comments`}
      onSubmit={submit}
      id={parentId === null ? 'comment-form' : `reply-${parentId}`}
      aria-label={parentId === null ? t.t('form.addComment') : t.t('form.reply')}
    >
      <input type="hidden" name="clientId" value={props.clientId} />
      <input type="hidden" name="formToken" value={props.formToken} />
      {parentId !== null ? <input type="hidden" name="parentId" value={parentId} /> : null}
      <label className="form-label" htmlFor={`${id}-name`}>
        {t.t('form.name')}
      </label>
      <input
        {...field('name', 'authorName')}
        className="form-input"
        maxLength={NAME_MAX}
        autoComplete="nickname"
        value={authorName}
        onChange={(e) => {
          setAuthorName(e.target.value);
          save(NAME_KEY, e.target.value);
        }}
      />
      <label className="form-label" htmlFor={`${id}-body`}>
        {parentId === null ? t.t('form.comment') : t.t('form.replyLabel')}
      </label>
      <textarea
        {...field('body', 'body')}
        className="form-textarea"
        rows={parentId === null ? 4 : 3}
        // maxLength counts UTF-16 units: twice the limit lets any BODY_MAX code points through; the counter says the rest.
        maxLength={2 * BODY_MAX}
        autoFocus={props.autoFocus}
        value={body}
        onChange={(e) => {
          setBody(e.target.value);
          save(draftKey(slug, parentId), e.target.value);
          props.onTyping?.();
        }}
      />
      {props.disabled && props.disabledReason ? (
        <p className="form-note form-locked" role="status">
          {props.disabledReason}
        </p>
      ) : null}
      {props.preModeration && !props.disabled ? <p className="form-note">{t.t('form.preModeration')}</p> : null}
      {props.waitNote && !props.disabled ? (
        <p className="form-note form-wait" role="status">
          {props.waitNote}
        </p>
      ) : null}
      {props.error ? (
        <p className="form-note form-error" role="alert">
          {props.error}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={props.disabled || Boolean(props.waitNote)}>
          {parentId === null ? t.t('form.postComment') : t.t('form.postReply')}
        </button>
        {props.onCancel ? (
          <button type="button" className="button" onClick={props.onCancel}>
            {t.t('form.cancel')}
          </button>
        ) : null}
        {remaining < 500 ? <span className={remaining < 0 ? 'form-count form-count-over' : 'form-count'}>{t.t('form.charsLeft', { count: remaining })}</span> : null}
      </div>
    </form>
  );
}
