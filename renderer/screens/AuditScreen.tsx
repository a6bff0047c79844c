// The audit log, newest first, with older entries fetched on demand (keyset on the entry id).

import { useCallback, useEffect, useState } from 'react';
import { call, type AppError, type OutputOf } from '../api/client';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { Spinner } from '../components/Progress';
import { formatUtc, shortUuid } from '../lib/format';
import { useKeyDirectory, type KeyDirectory } from '../lib/keyDirectory';
import { routeHref } from '../lib/router';
import { useSession } from '../lib/session';
import { useOperation } from '../lib/useOperation';

type Entry = OutputOf<'audit.list'>['entries'][number];
const PAGE = 100;

function details(entry: Entry): string {
  return Object.entries(entry.details)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}

/** Date over time (to the second, UTC): a narrow column, so the details keep their room. */
function When({ at }: { at: string }) {
  const [date, ...time] = formatUtc(at, { seconds: true }).split(' ');
  return (
    <>
      <span className="cell-title">{date}</span>
      <span className="cell-sub">{time.join(' ')}</span>
    </>
  );
}

const FINGERPRINT = /^[0-9a-f]{64}$/;

/** Who acted: `local`, `authority`, or a signing key's fingerprint, shown by the key's name when this store knows it. */
function Actor({ actor, directory }: { actor: string; directory: KeyDirectory }) {
  if (!FINGERPRINT.test(actor)) return <span className="mono">{actor}</span>;
  const shown = directory.display(actor);
  return (
    <span title={actor}>
      <span className="cell-title">{shown.title}</span>
      {shown.sub && <span className="cell-sub mono">{shown.sub}</span>}
    </span>
  );
}

/** What it acted on, whole where a cut would hide the point (a relay URL), linked where the app can open it. */
function Subject({ entry, directory, keyLabels }: { entry: Entry; directory: KeyDirectory; keyLabels: ReadonlyMap<string, string> }) {
  const id = entry.subject_id;
  const type = entry.subject_type ?? '—';
  if (!id) return <span className="mono">{type}</span>;
  switch (entry.subject_type) {
    case 'declaration':
      return (
        <span>
          <span className="cell-sub">declaration</span>
          <a className="mono" href={routeHref('declarations', id)} title={id}>
            {shortUuid(id)}…
          </a>
        </span>
      );
    case 'relay':
      return (
        <span>
          <span className="cell-sub">relay</span>
          <span className="mono break">{id}</span>
        </span>
      );
    case 'keypair':
    case 'anchor': {
      const label = entry.subject_type === 'keypair' ? keyLabels.get(id) : FINGERPRINT.test(id) ? directory.display(id).title : undefined;
      return (
        <span title={id}>
          <span className="cell-sub">{entry.subject_type === 'keypair' ? 'key' : 'anchor'}</span>
          {label ?? <span className="mono">{id.slice(0, 8)}…</span>}
        </span>
      );
    }
    default:
      return (
        <span title={id}>
          <span className="cell-sub">{type}</span>
          <span className="mono">{id.length > 16 ? `${id.slice(0, 8)}…` : id}</span>
        </span>
      );
  }
}

export function AuditScreen() {
  const { noticeError } = useSession();
  const [entries, setEntries] = useState<Entry[]>([]);
  const [more, setMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<AppError>();
  const directory = useKeyDirectory();
  const keys = useOperation('keys.list', {});
  const keyLabels = new Map((keys.value?.keys ?? []).map((k) => [k.id, k.label]));

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
                  <td className="nowrap">
                    <When at={entry.at} />
                  </td>
                  <td className="mono">{entry.action}</td>
                  <td className="audit-actor">
                    <Actor actor={entry.actor} directory={directory} />
                  </td>
                  <td className="audit-subject">
                    <Subject entry={entry} directory={directory} keyLabels={keyLabels} />
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
