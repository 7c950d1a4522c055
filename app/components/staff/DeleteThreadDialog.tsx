'use client';

import { useId, useState } from 'react';
import type { AdminThreadSummary, DeletedThread } from '../../../lib/contract/api';
import { REASON_MAX_LENGTH } from '../../../lib/contract/reports';
import { useTranslator } from '../../i18n/I18nProvider';
import { FormDialog } from '../FormDialog';
import { useOpenedFormDialog, type OpenedDialogProps } from '../useFormDialog';
import { threadAdminApi } from './threadAdminApi';

/**
 * "Delete for good?": the confirmation a deletion needs (it cannot be undone), naming the thread
 * and what goes with it, with an optional reason for the audit log.
 */
export function DeleteThreadDialog({
  thread,
  asked,
  onDeleted,
  onClose,
}: OpenedDialogProps & {
  thread: AdminThreadSummary;
  onDeleted: (deleted: DeletedThread) => void;
}) {
  const t = useTranslator();
  const id = useId();
  const dialog = useOpenedFormDialog<'reason'>(asked);
  const [reason, setReason] = useState('');

  const submit = async () => {
    let deleted: DeletedThread | null = null;
    const sent = await dialog.send(async () => {
      const result = await threadAdminApi.deleteThread(thread.slug, reason.trim() === '' ? null : reason.trim());
      if (!result.ok) return t.t(result.error.message);
      deleted = result.data;
      return null;
    });
    if (sent && deleted) onDeleted(deleted);
  };

  return (
    <FormDialog dialog={dialog} title={t.t('threads.deleteTitle', { title: thread.title })} submitLabel={t.t('threads.deleteSend')} onSubmit={() => void submit()} onClose={onClose}>
      <p className="form-note">{t.t('threads.deleteText', { count: thread.commentCount })}</p>
      <label className="form-label" htmlFor={`${id}-reason`}>
        {t.t('threads.deleteReason')}
      </label>
      <input id={`${id}-reason`} className="form-input" type="text" maxLength={REASON_MAX_LENGTH} value={reason} onChange={(e) => setReason(e.target.value)} />
    </FormDialog>
  );
}
