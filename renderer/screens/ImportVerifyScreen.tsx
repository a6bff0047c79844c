// Phase-1 body of Import & verify: paste text, run verify.text, report how many items were checked.

import { useId, useState } from 'react';
import { call, type AppError } from '../api/client';
import { ErrorBanner } from '../components/ErrorBanner';
import { useSession } from '../lib/session';

function reportCount(value: unknown): number | undefined {
  const reports = Array.isArray(value) ? value : (value as { reports?: unknown } | null)?.reports;
  return Array.isArray(reports) ? reports.length : undefined;
}

export function ImportVerifyScreen() {
  const { noticeError } = useSession();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError>();
  const [checked, setChecked] = useState<number>();
  const inputId = useId();

  async function verify() {
    setBusy(true);
    setError(undefined);
    setChecked(undefined);
    const result = await call('verify.text', { text });
    setBusy(false);
    if (result.ok) setChecked(reportCount(result.value));
    else {
      setError(result.error);
      noticeError(result.error);
    }
  }

  return (
    <div className="stack">
      {error && <ErrorBanner error={error} onDismiss={() => setError(undefined)} />}
      <div className="panel dialog-body">
        <div className="field">
          <label htmlFor={inputId}>Bundle, event, JSON array or JSON Lines</label>
          <textarea
            id={inputId}
            className="input mono"
            rows={10}
            spellCheck={false}
            value={text}
            placeholder='{"kind":31106,…}'
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        <div>
          <button type="button" className="button primary" disabled={busy || text.trim() === ''} onClick={() => void verify()}>
            {busy ? 'Verifying…' : 'Verify'}
          </button>
        </div>
        {checked !== undefined && <p role="status">{checked} item(s) checked.</p>}
      </div>
    </div>
  );
}
