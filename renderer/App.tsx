// Top level: the lock screen until the store is unlocked, then the sidebar shell with one section at a time.

import { useState } from 'react';
import { transportKind, type AppError } from './api/client';
import { ErrorBanner } from './components/ErrorBanner';
import { Icon } from './components/Icon';
import { KeychainToggle } from './components/KeychainToggle';
import { Spinner } from './components/Progress';
import { ProgressCenter } from './components/ProgressCenter';
import { ThemeToggle } from './components/ThemeToggle';
import { ToastProvider, useToasts } from './components/Toasts';
import { routeHref, useLocation } from './lib/router';
import { SessionProvider, useSession } from './lib/session';
import { LockScreen } from './screens/LockScreen';
import { SCREENS } from './screens/screens';

function Shell() {
  const { route, param } = useLocation();
  const { lock } = useSession();
  const toasts = useToasts();
  const [locking, setLocking] = useState(false);
  const screen = SCREENS.find((s) => s.route === route) ?? SCREENS[0]!;

  async function lockNow() {
    setLocking(true);
    const error = await lock();
    setLocking(false);
    if (error) toasts.showError('Could not lock the store', error);
  }

  return (
    <div className="shell">
      <a className="skip-link" href="#main" onClick={(e) => {
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}>
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Sections">
        <div className="brand">
          <img src="./favicon.svg" alt="" />
          <span>Declaration Signer</span>
        </div>
        <ul className="nav">
          {SCREENS.map((s) => (
            <li key={s.route}>
              <a href={routeHref(s.route)} aria-current={s.route === route ? 'page' : undefined}>
                <Icon name={s.icon} />
                {s.title}
              </a>
            </li>
          ))}
        </ul>
        <div className="sidebar-footer">
          {transportKind() === 'browser' && <span className="mode-badge">Browser mode · 127.0.0.1 only</span>}
          <KeychainToggle />
          <div className="sidebar-actions">
            <button type="button" className="button ghost" onClick={() => void lockNow()} disabled={locking}>
              <Icon name="lock" />
              Lock
            </button>
            <ThemeToggle />
          </div>
        </div>
      </nav>
      <main className="main" id="main" tabIndex={-1}>
        <div className="page">
          <header className="page-header">
            <div>
              <h1>{screen.title}</h1>
              <p>{screen.description}</p>
            </div>
          </header>
          {screen.render(param)}
        </div>
      </main>
      <ProgressCenter />
    </div>
  );
}

function Unavailable({ error, retry }: { error: AppError; retry(): void }) {
  return (
    <main className="lock-screen" id="main">
      <section className="panel lock-card" aria-labelledby="unavailable-title">
        <header>
          <img src="./favicon.svg" alt="" />
          <h1 id="unavailable-title">Cannot reach the key store</h1>
        </header>
        <ErrorBanner error={error} />
        <button type="button" className="button wide" onClick={retry}>
          Try again
        </button>
      </section>
    </main>
  );
}

function Gate() {
  const { state, refresh } = useSession();
  switch (state.phase) {
    case 'loading':
      return (
        <main className="lock-screen" id="main">
          <Spinner label="Opening the key store…" />
        </main>
      );
    case 'unavailable':
      return <Unavailable error={state.error} retry={() => void refresh()} />;
    case 'needs-init':
      return <LockScreen mode="create" />;
    case 'locked':
      return <LockScreen mode="unlock" />;
    case 'unlocked':
      return <Shell />;
  }
}

export function App() {
  return (
    <ToastProvider>
      <SessionProvider>
        <Gate />
      </SessionProvider>
    </ToastProvider>
  );
}
