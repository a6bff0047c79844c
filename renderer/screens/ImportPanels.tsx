// The parts of Import & verify around the verifier: what an import did (counts and each declaration's fate), fetching
// from relays (import.relays), and the quarantine of refused events with the check that refused them.

import { useId, useState, type FormEvent } from 'react';
import { type OutputOf } from '../api/client';
import { Badge, type BadgeTone } from '../components/Badge';
import { firstWhen, ShowMoreList } from '../components/ShowMore';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { Icon } from '../components/Icon';
import { NotAvailable } from '../components/NotAvailable';
import { Spinner } from '../components/Progress';
import { useToasts } from '../components/Toasts';
import { isUnavailableOperation } from '../lib/availability';
import { downloadText } from '../lib/download';
import { formatUtc, fromInputUtc, shorten } from '../lib/format';
import { routeHref } from '../lib/router';
import { useAction } from '../lib/useAction';
import { useDiscoveryImports } from '../lib/discovery';
import { useOperation } from '../lib/useOperation';

type ImportResult = OutputOf<'import.relays'>;
type DeclarationResult = ImportResult['declarations'][number];

/** Declarations listed at a time in an import's result (a bulk import has thousands). */
const RESULTS_STEP = 50;
const STATUS_TONES: Record<DeclarationResult['status'], BadgeTone> = { new: 'success', updated: 'info', unchanged: 'neutral', quarantined: 'danger' };

export function ImportResultView({ result }: { result: ImportResult }) {
  const { counts } = result;
  return (
    <section className="panel import-result" aria-label="Import result" data-testid="import-result">
      <dl className="counts">
        {(
          [
            ['verified', 'Verified', 'success'],
            ['quarantined', 'Quarantined', counts.quarantined > 0 ? 'danger' : 'neutral'],
            ['duplicates', 'Duplicates', 'neutral'],
            ['superseded', 'Superseded', 'neutral'],
          ] as const
        ).map(([key, label, tone]) => (
          <div key={key} className={`count ${tone}`} data-count={key}>
            <dt>{label}</dt>
            <dd>{counts[key]}</dd>
          </div>
        ))}
      </dl>
      {result.relays && result.relays.length > 0 && (
        <table className="table compact" aria-label="Relays queried">
          <thead>
            <tr>
              <th scope="col">Relay</th>
              <th scope="col">Events</th>
              <th scope="col">Ended</th>
              <th scope="col">Relay’s answer</th>
            </tr>
          </thead>
          <tbody>
            {result.relays.map((r) => (
              <tr key={r.relay} data-relay={r.relay} data-end={r.end}>
                <td className="mono break">{r.relay}</td>
                <td>{r.events}</td>
                <td>{r.end}</td>
                <td className="break">{r.reason || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {result.declarations.length > 0 && (
        <ShowMoreList
          items={firstWhen(result.declarations, (d) => d.quarantined.length > 0, RESULTS_STEP)}
          step={RESULTS_STEP}
          keyOf={(d, index) => `${d.declaration_uuid ?? 'unknown'}-${index}`}
          render={(d) => <DeclarationOutcome d={d} />}
          wrap={(children) => <ul className="plain-list import-declarations">{children}</ul>}
          noun="declarations"
          orderNote={result.counts.quarantined > 0 ? 'those with quarantined events first' : undefined}
        />
      )}
    </section>
  );
}

/** One declaration's fate in an import, with the check that refused each quarantined event. */
function DeclarationOutcome({ d }: { d: DeclarationResult }) {
  return (
    <li data-status={d.status}>
      <Badge tone={STATUS_TONES[d.status]}>{d.status}</Badge>{' '}
      {d.declaration_uuid && d.status !== 'quarantined' ? (
        <a className="mono" href={routeHref('declarations', d.declaration_uuid)}>
          {d.declaration_uuid}
        </a>
      ) : (
        <span className="mono">{d.declaration_uuid ?? 'no UUID'}</span>
      )}
      {d.in_force === false && <span className="muted"> · not in force</span>}
      {d.quarantined.map((q, i) => (
        <span key={i} className="quarantine-reason">
          {' '}
          · <code>{q.check}</code> {q.message}
        </span>
      ))}
    </li>
  );
}

/** One pubkey per line or separated by commas or spaces (hex or npub). */
function parseAuthors(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((a) => a.trim())
    .filter(Boolean);
}

export function RelayImportPanel() {
  const relays = useOperation('relays.list', {});
  const action = useAction();
  const toasts = useToasts();
  const [chosen, setChosen] = useState<string[]>();
  const [authors, setAuthors] = useState('');
  const [d, setD] = useState('');
  const [since, setSince] = useState('');
  const [result, setResult] = useState<ImportResult>();
  const ids = { authors: useId(), d: useId(), since: useId() };
  const relayRows = relays.value?.relays ?? [];
  const selection = chosen ?? relayRows.filter((r) => r.enabled && r.read).map((r) => r.url);

  if (isUnavailableOperation(relays.error)) return <NotAvailable what="Fetching from relays" />;

  async function fetchNow(event: FormEvent) {
    event.preventDefault();
    const sinceIso = fromInputUtc(since);
    const answer = await action.run('import.relays', {
      relays: selection,
      ...(authors.trim() ? { authors: parseAuthors(authors) } : {}),
      ...(d.trim() ? { d: d.trim() } : {}),
      ...(sinceIso ? { since: Math.floor(Date.parse(sinceIso) / 1000) } : {}),
    });
    if (answer) {
      setResult(answer);
      toasts.show({ tone: answer.counts.quarantined > 0 ? 'info' : 'success', title: 'Fetched from relays', message: `${answer.counts.verified} verified · ${answer.counts.quarantined} quarantined` });
    }
  }

  return (
    <div className="stack">
      <form className="stack tight" onSubmit={(e) => void fetchNow(e)} aria-label="Fetch from relays">
        {action.error && <ErrorBanner error={action.error} onDismiss={() => action.setError(undefined)} />}
        {relays.loading && !relays.value ? (
          <Spinner label="Loading relays…" />
        ) : relayRows.length === 0 ? (
          <p className="muted">
            No relays configured. <a href={routeHref('relays')}>Add a relay</a> first.
          </p>
        ) : (
          <fieldset className="choice-group compact">
            <legend>Relays to read from</legend>
            {relayRows.map((relay) => (
              <label key={relay.url} className="checkbox">
                <input type="checkbox" checked={selection.includes(relay.url)} onChange={(e) => setChosen(e.target.checked ? [...selection, relay.url] : selection.filter((u) => u !== relay.url))} />
                <span className="mono">{relay.url}</span>
                {!relay.read && <Badge>write only</Badge>}
              </label>
            ))}
          </fieldset>
        )}
        <div className="field-row">
          <div className="field span-2">
            <label htmlFor={ids.authors}>Authors (optional)</label>
            <textarea id={ids.authors} className="input mono" rows={2} spellCheck={false} value={authors} onChange={(e) => setAuthors(e.target.value)} placeholder="npub1… or hex, one per line" />
            <span className="hint">Empty: this store’s Nostr keys and the pinned Nostr anchors.</span>
          </div>
          <div className="stack tight">
            <div className="field">
              <label htmlFor={ids.d}>Declaration UUID (d tag, optional)</label>
              <input id={ids.d} className="input mono" value={d} onChange={(e) => setD(e.target.value)} placeholder="any" />
            </div>
            <div className="field">
              <label htmlFor={ids.since}>Since (UTC, optional)</label>
              <input id={ids.since} className="input" type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} />
            </div>
          </div>
        </div>
        <div>
          <button type="submit" className="button primary" disabled={action.busy || selection.length === 0}>
            <Icon name="download" />
            {action.busy ? 'Fetching…' : 'Fetch from relays'}
          </button>
        </div>
      </form>
      {result && <ImportResultView result={result} />}
    </div>
  );
}

export function QuarantinePanel() {
  const list = useOperation('import.quarantine', { limit: 200 });
  // Live discovery quarantines too: show what it refused as it happens.
  useDiscoveryImports((batch) => {
    if (batch.quarantined > 0) list.reload();
  });
  const action = useAction();
  const toasts = useToasts();

  if (isUnavailableOperation(list.error)) return <NotAvailable what="The quarantine" />;

  async function exportAll() {
    const exported = await action.run('import.quarantineExport', {});
    if (!exported) return;
    downloadText('quarantine.jsonl', exported.jsonl, 'application/jsonl');
    toasts.show({ tone: 'success', title: 'Quarantine exported', message: `${exported.count} event(s)` });
  }

  const items = list.value?.items ?? [];
  return (
    <div className="stack">
      <p className="muted">Events an import refused. They are kept as received, never shown as declarations, and counted again if they come back.</p>
      <div className="inline-actions">
        <button type="button" className="button" onClick={() => list.reload()}>
          <Icon name="refresh" />
          Refresh
        </button>
        <button type="button" className="button" disabled={action.busy || items.length === 0} onClick={() => void exportAll()}>
          <Icon name="download" />
          Export (JSON Lines)
        </button>
      </div>
      {action.error && <ErrorBanner error={action.error} onDismiss={() => action.setError(undefined)} />}
      {list.error && <ErrorBanner error={list.error} onDismiss={list.dismissError} />}
      {list.loading && !list.value ? (
        <Spinner label="Loading the quarantine…" />
      ) : items.length === 0 ? (
        <EmptyState icon="shieldCheck" title="Quarantine is empty" text="Nothing has been refused. Events that fail verification on import land here with the check that failed." />
      ) : (
        <table className="table compact quarantine" aria-label="Quarantine">
          <thead>
            <tr>
              <th scope="col">Failed check</th>
              <th scope="col">Message</th>
              <th scope="col">Claims</th>
              <th scope="col">Source</th>
              <th scope="col">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id} data-check={item.failed_check}>
                <td>
                  <Badge tone="danger">{item.failed_check}</Badge>
                </td>
                <td className="break">{item.failed_message}</td>
                <td>
                  <span className="cell-sub mono" title={item.claimed_uuid ?? undefined}>
                    {item.claimed_uuid ?? 'no UUID'}
                  </span>
                  <span className="cell-sub mono" title={item.claimed_event_id ?? undefined}>
                    event {shorten(item.claimed_event_id, 8)}
                  </span>
                </td>
                <td className="break">{item.source}</td>
                <td className="nowrap">
                  {formatUtc(item.last_seen_at)}
                  {item.times_seen > 1 ? ` · ${item.times_seen}×` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
