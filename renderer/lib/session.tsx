// Whether the store exists and is unlocked, for the whole app. Any Result with `store_locked`, and the shell's
// `store.lock` progress event (idle lock, screen lock), send the user back to the lock screen.

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { call, onProgress, type AppError } from '../api/client';

export type SessionState =
  | { phase: 'loading' }
  | { phase: 'unavailable'; error: AppError }
  | { phase: 'needs-init' }
  | { phase: 'locked' }
  | { phase: 'unlocked' };

/** Whether the OS keychain can unlock this store: `unavailable` outside the desktop app (browser mode, CLI). */
export type KeychainState = 'unavailable' | 'off' | 'on';

interface SessionApi {
  state: SessionState;
  keychain: KeychainState;
  /** After store.keychain (enable/disable) answered with the new status. */
  setKeychain(state: KeychainState): void;
  refresh(): Promise<void>;
  /** Screens report results here so a lock elsewhere is noticed at once. */
  noticeError(error: AppError): void;
  setUnlocked(): void;
  lock(): Promise<AppError | undefined>;
}

const SessionContext = createContext<SessionApi | null>(null);

interface StoreStatus {
  initialized: boolean;
  unlocked: boolean;
  keychain?: KeychainState;
}

function isStoreStatus(value: unknown): value is StoreStatus {
  const v = value as Partial<StoreStatus> | null;
  return typeof v === 'object' && v !== null && typeof v.initialized === 'boolean' && typeof v.unlocked === 'boolean';
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ phase: 'loading' });
  const [keychain, setKeychain] = useState<KeychainState>('unavailable');

  const refresh = useCallback(async () => {
    const result = await call('store.status', {});
    if (!result.ok) setState({ phase: 'unavailable', error: result.error });
    else if (!isStoreStatus(result.value))
      setState({ phase: 'unavailable', error: { code: 'internal_error', message: 'store.status answered in an unexpected shape' } });
    else {
      setKeychain(result.value.keychain ?? 'unavailable');
      setState({ phase: !result.value.initialized ? 'needs-init' : result.value.unlocked ? 'unlocked' : 'locked' });
    }
  }, []);

  useEffect(() => {
    void refresh();
    return onProgress((progress) => {
      if (progress.operation === 'store.lock') setState((s) => (s.phase === 'unlocked' ? { phase: 'locked' } : s));
    });
  }, [refresh]);

  // Stable identity: screens list it as an effect dependency.
  const noticeError = useCallback((error: AppError) => {
    if (error.code === 'store_locked') setState({ phase: 'locked' });
  }, []);

  const api = useMemo<SessionApi>(
    () => ({
      state,
      keychain,
      setKeychain,
      refresh,
      noticeError,
      setUnlocked: () => setState({ phase: 'unlocked' }),
      lock: async () => {
        const result = await call('store.lock', {});
        if (!result.ok) return result.error;
        setState({ phase: 'locked' });
        return undefined;
      },
    }),
    [state, keychain, refresh, noticeError],
  );

  return <SessionContext.Provider value={api}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const api = useContext(SessionContext);
  if (!api) throw new Error('useSession must be used inside <SessionProvider>');
  return api;
}
