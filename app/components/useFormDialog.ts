'use client';

import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';

/** What is wrong with what was entered, tied to the field at fault (null: the server's refusal). */
export interface DialogProblem<Field extends string> {
  text: string;
  field: Field | null;
}

/**
 * The state of a small modal form (FormDialog): whether it is open, the <dialog> itself, the
 * problem it shows and whether it is sending. What was chosen and typed is the caller's, and stays until it is sent.
 */
export function useFormDialog<Field extends string>() {
  const id = useId();
  const ref = useRef<HTMLDialogElement>(null);
  const [problem, setProblem] = useState<DialogProblem<Field> | null>(null);
  const [sending, setSending] = useState(false);
  // Open or not is state, not only the <dialog>'s: FormDialog puts the dialog in the page only while open.
  const [isOpen, setOpen] = useState(false);
  const open = useCallback(() => setOpen(true), []);
  const closed = useCallback(() => setOpen(false), []);
  const problemId = `${id}-problem`;

  /** Shows why nothing was sent, and puts focus on the field to fix. */
  const refuse = useCallback((text: string, field: Field, focus: HTMLElement | null) => {
    setProblem({ text, field });
    focus?.focus();
  }, []);

  /** Sends; closes the dialog if it went (true), or shows the refusal and stays open (false). */
  const send = useCallback(async (run: () => Promise<string | null>): Promise<boolean> => {
    setSending(true);
    const error = await run();
    setSending(false);
    setProblem(error ? { text: error, field: null } : null);
    if (!error) ref.current?.close();
    return !error;
  }, []);

  return useMemo(
    () => ({
      ref,
      titleId: `${id}-title`,
      problem,
      problemId,
      sending,
      isOpen,
      open,
      close: () => ref.current?.close(),
      /** The <dialog> closed (sent, Cancel, Escape): FormDialog takes it out of the page. */
      closed,
      /** `aria-describedby` for a field: the problem, while it is this field's. */
      describedBy: (field: Field) => (problem?.field === field ? problemId : undefined),
      clearProblem: () => setProblem(null),
      refuse,
      send,
    }),
    [id, problem, problemId, sending, isOpen, open, closed, refuse, send],
  );
}

export type FormDialogState<Field extends string> = ReturnType<typeof useFormDialog<Field>>;

/**
 * What a page gives a dialog it opens from outside (the desk's Ban, the thread list's Delete):
 * `asked` opens it, and again each time it changes; `onClose` puts focus back where it was opened from.
 */
export interface OpenedDialogProps {
  asked: number;
  onClose: () => void;
}

/** `useFormDialog` for such a dialog: open at first, and again each time `asked` changes. */
export function useOpenedFormDialog<Field extends string>(asked: number): FormDialogState<Field> {
  const dialog = useFormDialog<Field>();
  const { open } = dialog;
  useEffect(() => open(), [asked, open]);
  return dialog;
}
