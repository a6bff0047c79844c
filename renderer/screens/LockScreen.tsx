// First thing the app shows: create the store (first run) or unlock it. The passphrase goes straight to the
// operation and is dropped from state as soon as the call returns.

import { useId, useRef, useState, type FormEvent } from 'react';
import { call, type AppError } from '../api/client';
import { ErrorBanner } from '../components/ErrorBanner';
import { Icon } from '../components/Icon';
import { ThemeToggle } from '../components/ThemeToggle';
import { useSession } from '../lib/session';

const MIN_PASSPHRASE = 12;

export function LockScreen({ mode }: { mode: 'create' | 'unlock' }) {
  const { setUnlocked, keychain } = useSession();
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError>();
  const passId = useId();
  const confirmId = useId();
  const hintId = useId();
  const passphraseRef = useRef<HTMLInputElement>(null);

  const creating = mode === 'create';
  const tooShort = creating && passphrase.length > 0 && passphrase.length < MIN_PASSPHRASE;
  const mismatch = creating && confirmation.length > 0 && confirmation !== passphrase;
  const canSubmit = !busy && passphrase.length > 0 && (!creating || (passphrase.length >= MIN_PASSPHRASE && confirmation === passphrase));

  async function unlockWithKeychain() {
    setBusy(true);
    setError(undefined);
    const result = await call('store.keychain', { action: 'unlock' });
    setBusy(false);
    if (result.ok) setUnlocked();
    else setError(result.error);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!canSubmit) return;
    setBusy(true);
    setError(undefined);
    const result = await call(creating ? 'store.init' : 'store.unlock', { passphrase });
    setBusy(false);
    setPassphrase('');
    setConfirmation('');
    if (result.ok) setUnlocked();
    else {
      setError(result.error);
      // Straight back to typing; the banner is announced as an alert.
      passphraseRef.current?.focus();
    }
  }

  return (
    <main className="lock-screen" id="main">
      <section className="panel lock-card" aria-labelledby="lock-title">
        <header>
          <img src="./favicon.svg" alt="" />
          <h1 id="lock-title">{creating ? 'Create your key store' : 'Unlock Declaration Signer'}</h1>
          <p>
            {creating
              ? 'Your signing keys are encrypted with this passphrase. It cannot be recovered if lost.'
              : 'Enter the passphrase that protects your signing keys.'}
          </p>
        </header>
        {error && <ErrorBanner error={error} onDismiss={() => setError(undefined)} />}
        <form onSubmit={(e) => void submit(e)} noValidate>
          <div className="field">
            <label htmlFor={passId}>Passphrase</label>
            <input
              id={passId}
              ref={passphraseRef}
              className="input"
              type="password"
              autoComplete={creating ? 'new-password' : 'current-password'}
              autoFocus
              value={passphrase}
              aria-invalid={tooShort}
              aria-describedby={creating ? hintId : undefined}
              onChange={(e) => setPassphrase(e.target.value)}
            />
            {creating && (
              <span className="hint" id={hintId}>
                At least {MIN_PASSPHRASE} characters. A few unrelated words are easier to type and harder to guess.
              </span>
            )}
          </div>
          {creating && (
            <div className="field">
              <label htmlFor={confirmId}>Repeat passphrase</label>
              <input
                id={confirmId}
                className="input"
                type="password"
                autoComplete="new-password"
                value={confirmation}
                aria-invalid={mismatch}
                onChange={(e) => setConfirmation(e.target.value)}
              />
              {mismatch && <span className="hint">The passphrases do not match.</span>}
            </div>
          )}
          <button type="submit" className="button primary wide" disabled={!canSubmit}>
            {busy ? (creating ? 'Creating…' : 'Unlocking…') : creating ? 'Create store' : 'Unlock'}
          </button>
        </form>
        {!creating && keychain === 'on' && (
          <div className="keychain-unlock">
            <span className="divider-text">or</span>
            <button type="button" className="button wide" disabled={busy} onClick={() => void unlockWithKeychain()}>
              <Icon name="key" />
              Unlock with OS keychain
            </button>
          </div>
        )}
        <div className="lock-footer">
          <span>Keys never leave this computer.</span>
          <ThemeToggle />
        </div>
      </section>
    </main>
  );
}
