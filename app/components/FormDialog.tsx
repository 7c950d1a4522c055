'use client';

import { useLayoutEffect, type ReactNode, type Ref } from 'react';
import { useTranslator } from '../i18n/I18nProvider';
import type { FormDialogState } from './useFormDialog';

/**
 * A small modal form in the browser's own <dialog> (modal: focus stays inside it, Escape closes
 * it): a title, the caller's fields, the problem if any, and the send and Cancel buttons. Keys
 * typed in it are its own: the page's shortcuts (j/k and the rest) stay out of it. `onClose`
 * puts focus back where the dialog was opened from. The dialog is in the page only while open
 * (`dialog.open()`): a page with many of them (a Report per comment) carries none of their forms.
 */
export function FormDialog<Field extends string>({
  dialog,
  title,
  submitLabel,
  onSubmit,
  onClose,
  children,
}: {
  dialog: FormDialogState<Field>;
  title: string;
  submitLabel: string;
  onSubmit: () => void;
  onClose: () => void;
  children: ReactNode;
}) {
  const t = useTranslator();
  const { isOpen, ref, closed } = dialog;
  useLayoutEffect(() => {
    if (isOpen && !ref.current?.open) ref.current?.showModal();
  }, [isOpen, ref]);
  if (!isOpen) return null;
  return (
    <dialog
      ref={ref}
      className="form-dialog"
      aria-labelledby={dialog.titleId}
      onClose={() => {
        closed();
        onClose();
      }}
      onKeyDown={(e) => e.stopPropagation()}
    >
      <form
        className="form-dialog-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!dialog.sending) onSubmit();
        }}
      >
        <h2 id={dialog.titleId} className="form-dialog-title">
          {title}
        </h2>
        {children}
        {dialog.problem ? (
          <p id={dialog.problemId} className="form-note form-error" role="alert">
            {dialog.problem.text}
          </p>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={dialog.sending}>
            {dialog.sending ? t.t('comment.sending') : submitLabel}
          </button>
          <button type="button" className="button" onClick={dialog.close}>
            {t.t('comment.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** A group of radio choices in a FormDialog (the report's reasons, a ban's length). */
export function DialogChoices<Value extends string | number>({
  legend,
  name,
  choices,
  value,
  onChange,
  describedBy,
  firstRef,
}: {
  legend: string;
  name: string;
  choices: readonly { value: Value; label: string }[];
  value: Value | null;
  onChange: (value: Value) => void;
  describedBy?: string;
  firstRef?: Ref<HTMLInputElement>;
}) {
  return (
    <fieldset className="dialog-choices" aria-describedby={describedBy}>
      <legend>{legend}</legend>
      {choices.map((choice, i) => (
        <label key={choice.value} className="dialog-choice">
          <input ref={i === 0 ? firstRef : undefined} type="radio" name={name} value={choice.value} checked={value === choice.value} onChange={() => onChange(choice.value)} />
          {choice.label}
        </label>
      ))}
    </fieldset>
  );
}
