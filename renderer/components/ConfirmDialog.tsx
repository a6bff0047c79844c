// A modal confirmation on the native <dialog>: focus is trapped, Escape cancels, the backdrop is inert.
// Destructive actions can demand that a phrase (a key label, a fingerprint group) be typed first.

import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  tone?: 'default' | 'danger';
  /** When set, the confirm button stays disabled until exactly this text is typed. */
  confirmPhrase?: string;
  busy?: boolean;
  /** False while what confirming does is still being read: the confirm button waits for it, Cancel does not. */
  ready?: boolean;
  onConfirm(): void;
  onCancel(): void;
}

export function ConfirmDialog(props: ConfirmDialogProps) {
  const { open, title, children, confirmLabel, tone = 'default', confirmPhrase, busy = false, ready = true, onConfirm, onCancel } = props;
  const ref = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState('');
  const titleId = useId();
  const phraseId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setTyped('');
      dialog.showModal();
    } else if (!open && dialog.open) dialog.close();
  }, [open]);

  const phraseOk = confirmPhrase === undefined || typed === confirmPhrase;
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          if (phraseOk && ready && !busy) onConfirm();
        }}
      >
        <div className="dialog-body">
          <h2 id={titleId}>{title}</h2>
          {children}
          {confirmPhrase !== undefined && (
            <div className="field">
              <label htmlFor={phraseId}>
                Type <code>{confirmPhrase}</code> to confirm
              </label>
              <input id={phraseId} className="input" autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.target.value)} />
            </div>
          )}
        </div>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onCancel} disabled={busy} autoFocus={confirmPhrase === undefined}>
            Cancel
          </button>
          <button type="submit" className={tone === 'danger' ? 'button danger' : 'button primary'} disabled={!phraseOk || !ready || busy}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
