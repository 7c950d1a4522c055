'use client';

import { useId, useRef, useState } from 'react';
import type { ReportRequest } from '../../../lib/contract/api';
import { REASON_MAX_LENGTH, REPORT_CATEGORIES, type ReportCategory } from '../../../lib/contract/reports';
import { useTranslator } from '../../i18n/I18nProvider';
import { DialogChoices, FormDialog } from '../FormDialog';
import { reportCategoryLabel } from '../labels';
import { useFormDialog } from '../useFormDialog';

/**
 * A comment's Report action: a modal dialog (FormDialog) offering the reasons the server knows
 * (lib/contract/reports.ts), with room for the reader's own words, which "Something else" needs.
 * What the reader chose and typed stays until the report is sent, through a cancel or a refusal;
 * focus goes back to the Report button when the dialog closes. The dialog is in the page only while
 * open (FormDialog): every comment has a Report button, and a long thread would otherwise carry a
 * form per comment (half its elements), making every page of comments slower to add.
 */
export function ReportDialog({ send, onReported }: { send: (report: ReportRequest) => Promise<string | null>; onReported: () => void }) {
  const t = useTranslator();
  const id = useId();
  const dialog = useFormDialog<'category' | 'reason'>();
  const opener = useRef<HTMLButtonElement>(null);
  const firstChoice = useRef<HTMLInputElement>(null);
  const words = useRef<HTMLTextAreaElement>(null);
  const [category, setCategory] = useState<ReportCategory | null>(null);
  const [reason, setReason] = useState('');

  const submit = async () => {
    if (category === null) return dialog.refuse(t.t('report.chooseReason'), 'category', firstChoice.current);
    const text = reason.trim();
    if (category === 'other' && text === '') return dialog.refuse(t.t('report.sayWhat'), 'reason', words.current);
    if (!(await dialog.send(() => send(text === '' ? { category } : { category, reason: text })))) return;
    setCategory(null);
    setReason('');
    onReported();
  };

  return (
    <>
      <button ref={opener} type="button" className="link-button action-link" aria-haspopup="dialog" onClick={dialog.open}>
        {t.t('comment.report')}
      </button>
      <FormDialog dialog={dialog} title={t.t('report.title')} submitLabel={t.t('report.send')} onSubmit={() => void submit()} onClose={() => opener.current?.focus()}>
        <DialogChoices
          legend={t.t('report.question')}
          name={`${id}-category`}
          choices={REPORT_CATEGORIES.map((value) => ({ value, label: reportCategoryLabel(t, value) }))}
          value={category}
          onChange={(value) => {
            setCategory(value);
            dialog.clearProblem();
          }}
          describedBy={dialog.describedBy('category')}
          firstRef={firstChoice}
        />
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
          aria-invalid={dialog.problem?.field === 'reason' || undefined}
          aria-describedby={dialog.describedBy('reason')}
          onChange={(e) => setReason(e.target.value)}
        />
      </FormDialog>
    </>
  );
}
