// A modal form on the native <dialog> (focus trapped, Escape cancels). ConfirmDialog is the yes/no special case;
// this one holds a whole form and its own error banner.

import { useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';

export interface ModalProps {
  open: boolean;
  title: string;
  children: ReactNode;
  /** The primary button; omit for an informational dialog with only Close. */
  submitLabel?: string;
  submitTone?: 'primary' | 'danger';
  canSubmit?: boolean;
  busy?: boolean;
  wide?: boolean;
  onSubmit?(): void;
  onClose(): void;
}

export function Modal({ open, title, children, submitLabel, submitTone = 'primary', canSubmit = true, busy = false, wide = false, onSubmit, onClose }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    else if (!open && dialog.open) dialog.close();
  }, [open]);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (canSubmit && !busy) onSubmit?.();
  }

  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog wide' : 'dialog'}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onClose();
      }}
    >
      {open && (
        <form onSubmit={submit} noValidate>
          <div className="dialog-body">
            <h2 id={titleId}>{title}</h2>
            {children}
          </div>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onClose} disabled={busy}>
              {submitLabel ? 'Cancel' : 'Close'}
            </button>
            {submitLabel && (
              <button type="submit" className={`button ${submitTone}`} disabled={!canSubmit || busy}>
                {busy ? 'Working…' : submitLabel}
              </button>
            )}
          </div>
        </form>
      )}
    </dialog>
  );
}
