'use client';

import { useId, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import type { ReportRequest } from '../../../lib/contract/api';
import { REASON_MAX_LENGTH, REPORT_CATEGORIES, type ReportCategory } from '../../../lib/contract/reports';
import { useTranslator } from '../../i18n/I18nProvider';
import { reportCategoryLabel } from '../labels';

/**
 * A comment's Report action: a modal dialog (the browser's own <dialog>, so
 * focus stays inside it and Escape closes it) offering the reasons the server
 * knows (lib/contract/reports.ts), with room for the reader's own words, which
 * "Something else" needs. What the reader chose and typed stays until the
 * report is sent, through a cancel or a refusal; focus goes back to the
 * Report button when the dialog closes. The dialog is in the page only while
 * open: every comment has a Report button, and a long thread would otherwise
 * carry a form per comment (half its elements), making every page of
 * comments slower to add.
 */
export function ReportDialog({ send, onReported }: { send: (report: ReportRequest) => Promise<string | null>; onReported: () => void }) {
  const t = useTranslator();
  const id = useId();
  const opener = useRef<HTMLButtonElement>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const firstChoice = useRef<HTMLInputElement>(null);
  const words = useRef<HTMLTextAreaElement>(null);
  const [category, setCategory] = useState<ReportCategory | null>(null);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<{ text: string; field: 'category' | 'reason' | null } | null>(null);
  const [sending, setSending] = useState(false);
  const [open, setOpen] = useState(false);

  useLayoutEffect(() => {
    if (open) dialog.current?.showModal();
  }, [open]);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (sending) return;
    if (category === null) {
      setProblem({ text: t.t('report.chooseReason'), field: 'category' });
      firstChoice.current?.focus();
      return;
    }
    const text = reason.trim();
    if (category === 'other' && text === '') {
      setProblem({ text: t.t('report.sayWhat'), field: 'reason' });
      words.current?.focus();
      return;
    }
    setSending(true);
    const error = await send(text === '' ? { category } : { category, reason: text });
    setSending(false);
    if (error) return setProblem({ text: error, field: null });
    setCategory(null);
    setReason('');
    setProblem(null);
    dialog.current?.close();
    onReported();
  };

  const problemId = `${id}-problem`;
  const describedBy = (field: 'category' | 'reason') => (problem?.field === field ? problemId : undefined);
  return (
    <>
      <button ref={opener} type="button" className="link-button action-link" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        {t.t('comment.report')}
      </button>
      {open ? (
        <dialog
          ref={dialog}
          className="report-dialog"
          aria-labelledby={`${id}-title`}
          onClose={() => {
            setOpen(false);
            opener.current?.focus();
          }}
          // Keys typed here are the dialog's: the page's own shortcuts (j/k, Escape for a reply box) stay out of it.
          onKeyDown={(e) => e.stopPropagation()}
        >
          <form className="report-form" onSubmit={(e) => void submit(e)} noValidate>
            <h2 id={`${id}-title`} className="report-title">
              {t.t('report.title')}
            </h2>
            <fieldset className="report-reasons" aria-describedby={describedBy('category')}>
              <legend>{t.t('report.question')}</legend>
              {REPORT_CATEGORIES.map((value, i) => (
                <label key={value} className="report-choice">
                  <input
                    ref={i === 0 ? firstChoice : undefined}
                    type="radio"
                    name={`${id}-category`}
                    value={value}
                    checked={category === value}
                    onChange={() => {
                      setCategory(value);
                      setProblem(null);
                    }}
                  />
                  {reportCategoryLabel(t, value)}
                </label>
              ))}
            </fieldset>
            <label className="form-label" htmlFor={`${id}-reason`}>
              {category === 'other' ? t.t('report.detailsNeeded') : t.t('report.details')}
            </label>
            <textarea
              ref={words}
              id={`${id}-reason`}
              className="form-textarea"
              rows={3}
              maxLength={REASON_MAX_LENGTH}
              value={reason}
              aria-invalid={problem?.field === 'reason' || undefined}
              aria-describedby={describedBy('reason')}
              onChange={(e) => setReason(e.target.value)}
            />
            {problem ? (
              <p id={problemId} className="form-note form-error" role="alert">
                {problem.text}
              </p>
            ) : null}
            <div className="form-actions">
              <button type="submit" className="button button-primary" disabled={sending}>
                {sending ? t.t('comment.sending') : t.t('report.send')}
              </button>
              <button type="button" className="button" onClick={() => dialog.current?.close()}>
                {t.t('comment.cancel')}
              </button>
            </div>
          </form>
        </dialog>
      ) : null}
    </>
  );
}
