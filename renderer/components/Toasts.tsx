// Transient notices. Successes fade after a few seconds; errors stay until dismissed, since they carry a code to report.

import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import type { AppError } from '../api/client';
import { Icon } from './Icon';

export interface Toast {
  id: number;
  tone: 'info' | 'success' | 'error';
  title: string;
  message?: string;
}

interface ToastApi {
  show(toast: Omit<Toast, 'id'>): void;
  showError(title: string, error: AppError): void;
}

const ToastContext = createContext<ToastApi | null>(null);
const AUTO_DISMISS_MS = 5000;
/** More than this and the oldest success notices give way: errors stay until dismissed. */
const MAX_VISIBLE = 3;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((current) => current.filter((t) => t.id !== id)), []);
  const show = useCallback(
    (toast: Omit<Toast, 'id'>) => {
      const id = nextId.current++;
      setToasts((current) => {
        const next = [...current, { ...toast, id }];
        while (next.length > MAX_VISIBLE) {
          const oldest = next.findIndex((t) => t.tone !== 'error');
          if (oldest === -1) break;
          next.splice(oldest, 1);
        }
        return next;
      });
      if (toast.tone !== 'error') setTimeout(() => dismiss(id), AUTO_DISMISS_MS);
    },
    [dismiss],
  );
  const api = useMemo<ToastApi>(
    () => ({ show, showError: (title, error) => show({ tone: 'error', title, message: `${error.code}: ${error.message}` }) }),
    [show],
  );

  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toasts" role="region" aria-label="Notifications" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className={`toast ${toast.tone}`} role={toast.tone === 'error' ? 'alert' : 'status'}>
            <div className="toast-body">
              <div className="toast-title">{toast.title}</div>
              {toast.message && <div className="toast-message">{toast.message}</div>}
            </div>
            <button type="button" className="button ghost" onClick={() => dismiss(toast.id)} aria-label="Dismiss notification">
              <Icon name="close" />
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToasts(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error('useToasts must be used inside <ToastProvider>');
  return api;
}
