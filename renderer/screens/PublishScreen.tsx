// Publish: send a signed declaration's events to chosen relays and follow each relay's answer. `#/publish/<uuid>`
// comes from a declaration's Publish action; without one the screen offers the signed declarations.

import { useEffect, useState } from 'react';
import { call, type OutputOf } from '../api/client';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { Icon } from '../components/Icon';
import { NotAvailable } from '../components/NotAvailable';
import { Spinner } from '../components/Progress';
import { RecordTable, rowsOf } from '../components/RecordTable';
import { isUnavailableOperation } from '../lib/availability';
import { TYPE_LABELS } from '../lib/format';
import { navigate, routeHref } from '../lib/router';
import { useAction } from '../lib/useAction';
import { useOperation } from '../lib/useOperation';

type Item = OutputOf<'declarations.list'>['items'][number];

function SignedDeclarations() {
  const [items, setItems] = useState<Item[]>();
  useEffect(() => {
    void Promise.all([call('declarations.list', { status: 'Signed', limit: 100 }), call('declarations.list', { status: 'Published', limit: 100 })]).then(([signed, published]) => {
      setItems([...(signed.ok ? signed.value.items : []), ...(published.ok ? published.value.items : [])]);
    });
  }, []);
  if (!items) return <Spinner label="Loading signed declarations…" />;
  if (items.length === 0) return <EmptyState icon="send" title="Nothing to publish yet" text="Sign a declaration first; signed declarations can then be published to your relays." />;
  return (
    <ul className="pick-list" aria-label="Signed declarations">
      {items.map((item) => (
        <li key={item.declaration_uuid}>
          <a href={routeHref('publish', item.declaration_uuid)}>
            <span className="cell-title">{TYPE_LABELS[item.declaration_type]}</span>
            <span className="cell-sub mono">{item.declaration_uuid}</span>
            <span className="badge">{item.nostr_publish_status ?? item.status}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

function PublishDeclaration({ uuid }: { uuid: string }) {
  const relays = useOperation('relays.list', {});
  const status = useOperation('publish.status', { uuid });
  const action = useAction();
  const [chosen, setChosen] = useState<string[]>([]);
  const relayRows = rowsOf(relays.value);
  const urls = relayRows.map((r) => String(r.url ?? r.relay_url ?? '')).filter(Boolean);

  if (isUnavailableOperation(status.error) || isUnavailableOperation(relays.error)) return <NotAvailable what="Publishing to relays" />;

  async function publish() {
    if (await action.run('publish.start', { uuid, ...(chosen.length ? { relays: chosen } : {}) })) status.reload();
  }
  async function retry() {
    if (await action.run('publish.retry', { uuid })) status.reload();
  }

  const results = rowsOf(status.value);
  return (
    <div className="stack">
      {action.error && <ErrorBanner error={action.error} onDismiss={() => action.setError(undefined)} />}
      {relays.error && <ErrorBanner error={relays.error} onDismiss={relays.dismissError} />}
      <section className="panel form-panel" aria-label="Relays to publish to">
        <h2>Relays</h2>
        {urls.length === 0 ? (
          <p className="muted">
            No relays configured. <a href={routeHref('relays')}>Add a relay</a> first.
          </p>
        ) : (
          <fieldset className="choice-group compact">
            <legend className="visually-hidden">Relays</legend>
            {urls.map((url) => (
              <label key={url} className="checkbox mono">
                <input type="checkbox" checked={chosen.includes(url)} onChange={(e) => setChosen(e.target.checked ? [...chosen, url] : chosen.filter((u) => u !== url))} />
                {url}
              </label>
            ))}
            <span className="hint">None ticked: every relay marked for writing.</span>
          </fieldset>
        )}
        <div className="inline-actions">
          <button type="button" className="button primary" disabled={action.busy || urls.length === 0} onClick={() => void publish()}>
            <Icon name="send" />
            Publish
          </button>
          <button type="button" className="button" disabled={action.busy} onClick={() => void retry()}>
            <Icon name="refresh" />
            Retry failed relays
          </button>
        </div>
      </section>
      <section className="panel" aria-label="Relay answers">
        {status.loading && status.value === undefined ? (
          <Spinner label="Loading publication status…" />
        ) : status.error ? (
          <ErrorBanner error={status.error} onDismiss={status.dismissError} />
        ) : results.length === 0 ? (
          <EmptyState icon="send" title="Not published yet" text="Each relay’s acknowledgement (or refusal, with its reason) appears here." />
        ) : (
          <RecordTable rows={results} label="Relay answers" />
        )}
      </section>
    </div>
  );
}

export function PublishScreen({ param }: { param: string | undefined }) {
  return (
    <div className="stack">
      {param && (
        <div className="toolbar">
          <a className="back-link" href={routeHref('declarations', param)}>
            <Icon name="back" />
            Back to the declaration
          </a>
          <span className="toolbar-note mono">{param}</span>
          <button type="button" className="button ghost" onClick={() => navigate('publish')}>
            Choose another
          </button>
        </div>
      )}
      {param ? <PublishDeclaration key={param} uuid={param} /> : <SignedDeclarations />}
    </div>
  );
}
