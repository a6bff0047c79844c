// Whether the OS keychain may unlock this store (desktop app only; hidden where there is none, as in browser mode).
// Enabling needs the unlocked store; the passphrase keeps working either way.

import { useState } from 'react';
import { call } from '../api/client';
import { useSession } from '../lib/session';
import { useToasts } from './Toasts';

export function KeychainToggle() {
  const { keychain, setKeychain, noticeError } = useSession();
  const toasts = useToasts();
  const [busy, setBusy] = useState(false);
  if (keychain === 'unavailable') return null;

  async function toggle(enable: boolean) {
    setBusy(true);
    const result = await call('store.keychain', { action: enable ? 'enable' : 'disable' });
    setBusy(false);
    if (result.ok) {
      setKeychain(result.value.keychain);
      toasts.show({ tone: 'success', title: enable ? 'The OS keychain can now unlock this store' : 'The OS keychain no longer unlocks this store' });
    } else {
      noticeError(result.error);
      toasts.showError('Could not change the keychain setting', result.error);
    }
  }

  return (
    <label className="checkbox keychain-toggle" title="Store a copy of the store’s key in the operating system’s keychain, so you can unlock without typing the passphrase.">
      <input type="checkbox" checked={keychain === 'on'} disabled={busy} onChange={(e) => void toggle(e.target.checked)} />
      Unlock with OS keychain
    </label>
  );
}
