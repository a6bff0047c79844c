// Relays declarations are published to and imported from: add (wss://…), inspect (NIP-11), remove.

import { useId, useState, type FormEvent } from 'react';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { Icon } from '../components/Icon';
import { Modal } from '../components/Modal';
import { NotAvailable } from '../components/NotAvailable';
import { Spinner } from '../components/Progress';
import { RecordTable, rowsOf, type Row } from '../components/RecordTable';
import { isUnavailableOperation } from '../lib/availability';
import { useAction } from '../lib/useAction';
import { useOperation } from '../lib/useOperation';

function relayUrl(row: Row): string {
  return String(row.url ?? row.relay_url ?? row.id ?? '');
}

export function RelaysScreen() {
  const relays = useOperation('relays.list', {});
  const action = useAction();
  const [url, setUrl] = useState('');
  const [info, setInfo] = useState<{ url: string; value: unknown }>();
  const urlId = useId();

  if (isUnavailableOperation(relays.error)) return <NotAvailable what="Managing relays" />;

  async function add(event: FormEvent) {
    event.preventDefault();
    if (await action.run('relays.add', { url: url.trim() })) {
      setUrl('');
      relays.reload();
    }
  }

  async function remove(row: Row) {
    if (await action.run('relays.remove', { url: relayUrl(row) })) relays.reload();
  }

  async function showInfo(row: Row) {
    const value = await action.run('relays.info', { url: relayUrl(row) });
    if (value !== undefined) setInfo({ url: relayUrl(row), value });
  }

  const rows = rowsOf(relays.value);
  return (
    <div className="stack">
      <form className="toolbar" onSubmit={(e) => void add(e)}>
        <label htmlFor={urlId} className="visually-hidden">
          Relay URL
        </label>
        <input id={urlId} className="input grow mono" placeholder="wss://relay.example.org" value={url} onChange={(e) => setUrl(e.target.value)} />
        <button type="submit" className="button primary" disabled={action.busy || url.trim() === ''}>
          <Icon name="plus" />
          Add relay
        </button>
      </form>
      {action.error && <ErrorBanner error={action.error} onDismiss={() => action.setError(undefined)} />}
      {relays.error && <ErrorBanner error={relays.error} onDismiss={relays.dismissError} />}
      <div className="panel">
        {relays.loading && relays.value === undefined ? (
          <Spinner label="Loading relays…" />
        ) : rows.length === 0 ? (
          <EmptyState icon="server" title="No relays configured" text="Add a relay (wss://…) to publish declarations and fetch those of other administrators." />
        ) : (
          <RecordTable
            rows={rows}
            label="Relays"
            actions={(row) => (
              <>
                <button type="button" className="button small" onClick={() => void showInfo(row)}>
                  Info
                </button>
                <button type="button" className="button small ghost danger-text" onClick={() => void remove(row)} aria-label={`Remove ${relayUrl(row)}`}>
                  Remove
                </button>
              </>
            )}
          />
        )}
      </div>
      <Modal open={info !== undefined} title={`Relay information — ${info?.url ?? ''}`} wide onClose={() => setInfo(undefined)}>
        <pre className="code-block">{JSON.stringify(info?.value, null, 2)}</pre>
      </Modal>
    </div>
  );
}
