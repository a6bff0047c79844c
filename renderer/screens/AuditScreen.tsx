// The audit log, newest first, with older entries fetched on demand (keyset on the entry id).

import { useCallback, useEffect, useState } from 'react';
import { call, type AppError, type OutputOf } from '../api/client';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { Spinner } from '../components/Progress';
import { formatUtc } from '../lib/format';
import { useSession } from '../lib/session';

type Entry = OutputOf<'audit.list'>['entries'][number];
const PAGE = 100;

function details(entry: Entry): string {
  return Object.entries(entry.details)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}

export function AuditScreen() {
  const { noticeError } = useSession();
  const [entries, setEntries] = useState<Entry[]>([]);
  const [more, setMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<AppError>();

  const load = useCallback(
    async (before?: number) => {
      setLoading(true);
      const result = await call('audit.list', { limit: PAGE, ...(before !== undefined ? { before_id: before } : {}) });
      setLoading(false);
      if (!result.ok) {
        setError(result.error);
        noticeError(result.error);
        return;
      }
      setEntries((current) => (before === undefined ? result.value.entries : [...current, ...result.value.entries]));
      setMore(result.value.entries.length === PAGE);
    },
    [noticeError],
  );

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="stack">
      {error && <ErrorBanner error={error} onDismiss={() => setError(undefined)} />}
      <div className="panel">
        {loading && entries.length === 0 ? (
          <Spinner label="Loading the audit log…" />
        ) : entries.length === 0 ? (
          <EmptyState icon="list" title="No activity yet" text="Key, declaration and relay changes are recorded here as they happen." />
        ) : (
          <table className="table compact" aria-label="Audit log">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Actor</th>
                <th scope="col">Subject</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} data-action={entry.action}>
                  <td className="nowrap">{formatUtc(entry.at)}</td>
                  <td className="mono">{entry.action}</td>
                  <td className="mono" title={entry.actor}>
                    {entry.actor.length > 16 ? `${entry.actor.slice(0, 12)}…` : entry.actor}
                  </td>
                  <td className="mono" title={entry.subject_id ?? undefined}>
                    {entry.subject_type ?? '—'} {entry.subject_id ? `${entry.subject_id.slice(0, 8)}…` : ''}
                  </td>
                  <td className="details-cell">{details(entry)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {more && (
        <div>
          <button type="button" className="button" disabled={loading} onClick={() => void load(entries.at(-1)?.id)}>
            Load older entries
          </button>
        </div>
      )}
    </div>
  );
}
