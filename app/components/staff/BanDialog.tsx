'use client';

import { useId, useRef, useState } from 'react';
import { REASON_MAX_LENGTH } from '../../../lib/contract/reports';
import { BAN_LENGTHS, banUntil, DEFAULT_BAN_LENGTH, type BanLength } from '../../../lib/client/banLength';
import { useTranslator } from '../../i18n/I18nProvider';
import { DialogChoices, FormDialog } from '../FormDialog';
import { serverApi } from '../serverApi';
import { useOpenedFormDialog, type OpenedDialogProps } from '../useFormDialog';

/**
 * The desk's Ban: a modal dialog (FormDialog) asking why, which the audit log keeps and a ban
 * needs, and for how long. What was typed stays through a cancel or a refusal (the desk keeps
 * one per guest: its key).
 */
export function BanDialog({
  guest,
  asked,
  onBanned,
  onClose,
}: OpenedDialogProps & {
  guest: { guestId: string; name: string | null; kind?: 'guest' | 'account' };
  onBanned: (message: string) => void;
}) {
  const t = useTranslator();
  const id = useId();
  const dialog = useOpenedFormDialog<'reason'>(asked);
  const reasonField = useRef<HTMLInputElement>(null);
  const [reason, setReason] = useState('');
  const [length, setLength] = useState<BanLength>(DEFAULT_BAN_LENGTH);
  // A guest's network too (its /24 or /64): a guest sheds a ban with its cookie, not as easily with its network.
  const [range, setRange] = useState(false);
  const name = guest.name ?? t.t('desk.thisGuest');

  const submit = async () => {
    const text = reason.trim();
    if (text === '') return dialog.refuse(t.t('ban.sayWhy'), 'reason', reasonField.current);
    const until = banUntil(length, Date.now());
    const sent = await dialog.send(async () => {
      const result = await serverApi.ban({ guestId: guest.guestId, reason: text, until, ...(range && { addressRange: true as const }) });
      return result.ok ? null : t.t(result.error.message);
    });
    if (!sent) return;
    setReason('');
    const who = guest.name ?? t.t('desk.theGuest');
    onBanned(until ? t.t('desk.bannedUntil', { name: who, until: t.localDate(until) }) : t.t('desk.bannedForGood', { name: who }));
  };

  return (
    <FormDialog dialog={dialog} title={t.t('ban.title', { name })} submitLabel={t.t('ban.send')} onSubmit={() => void submit()} onClose={onClose}>
      <label className="form-label" htmlFor={`${id}-reason`}>
        {t.t('ban.reason')}
      </label>
      <input
        ref={reasonField}
        id={`${id}-reason`}
        className="form-input"
        type="text"
        required
        maxLength={REASON_MAX_LENGTH}
        value={reason}
        aria-invalid={dialog.problem?.field === 'reason' || undefined}
        aria-describedby={dialog.describedBy('reason')}
        onChange={(e) => setReason(e.target.value)}
      />
      <DialogChoices
        legend={t.t('ban.length')}
        name={`${id}-length`}
        choices={BAN_LENGTHS.map((value) => ({ value, label: value === 'forGood' ? t.t('ban.forGood') : t.t('ban.days', { count: value }) }))}
        value={length}
        onChange={setLength}
      />
      {guest.kind === 'account' ? null : (
        <label className="form-check">
          <input type="checkbox" checked={range} onChange={(e) => setRange(e.target.checked)} /> {t.t(guest.kind === 'guest' ? 'ban.range' : 'ban.rangeIfGuest')}
        </label>
      )}
    </FormDialog>
  );
}
