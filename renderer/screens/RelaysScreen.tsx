// Relays declarations are published to and imported from: add (wss://…), inspect (NIP-11), remove (confirmed), follow live
// (discovery keeps a subscription open while the app runs; each followed relay shows its state), and which of the
// store's Nostr keys answers a relay that requires NIP-42 AUTH to read (none unless chosen: it tells the relay who reads).

import { useEffect, useId, useState, type FormEvent } from 'react';
import type { OutputOf } from '../api/client';
import { Badge, type BadgeTone } from '../components/Badge';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { Icon } from '../components/Icon';
import { Modal } from '../components/Modal';
import { NotAvailable } from '../components/NotAvailable';
import { Spinner } from '../components/Progress';
import { useToasts } from '../components/Toasts';
import { isUnavailableOperation } from '../lib/availability';
import { useDiscoveryImports } from '../lib/discovery';
import { formatUtc } from '../lib/format';
import { useAction } from '../lib/useAction';
import { useOperation } from '../lib/useOperation';
import { RelayListsPanel } from './RelayListsPanel';

type RelayItem = OutputOf<'relays.list'>['relays'][number];
type LiveStatus = OutputOf<'discovery.status'>['relays'][number];

/** Discovery state is re-read this often, besides after every import and every change made here. */
const STATUS_REFRESH_MS = 5_000;

const STATE_BADGES: Record<LiveStatus['state'], { tone: BadgeTone; label: string }> = {
  connecting: { tone: 'info', label: 'Connecting' },
  open: { tone: 'info', label: 'Catching up' },
  live: { tone: 'success', label: 'Live' },
  error: { tone: 'danger', label: 'Error' },
  closed: { tone: 'neutral', label: 'Closed' },
};

/** Beside the "Follow live" switch: how following goes, nothing while the switch is off. */
function LiveState({ relay, status, running }: { relay: RelayItem; status: LiveStatus | undefined; running: boolean }) {
  if (!relay.subscribe) return null;
  if (!relay.enabled || !relay.read) return <span className="cell-sub">{relay.enabled ? 'Not read from' : 'Disabled'}</span>;
  if (!status) return <span className="cell-sub">{running ? 'Starting…' : 'Not running here'}</span>;
  const badge = STATE_BADGES[status.state];
  const retry = status.state === 'error' && status.retry_in_ms !== null ? ` Retrying in ${Math.ceil(status.retry_in_ms / 1000)} s.` : '';
  const title = `${badge.label} since ${formatUtc(status.since)}.${status.last_error ? ` Last error: ${status.last_error}.` : ''}${retry}`;
  const { verified, quarantined } = status.counts;
  return (
    <span className="live-state" data-testid="live-state" data-state={status.state}>
      <Badge tone={badge.tone} title={title}>
        {badge.label}
      </Badge>
      <span className="cell-sub" title={status.cursor !== null ? `Resumes from ${formatUtc(new Date(status.cursor * 1000).toISOString())}` : undefined}>
        {verified} verified{quarantined > 0 ? ` · ${quarantined} quarantined` : ''}
      </span>
    </span>
  );
}

/**
 * The relay's latest error as a line under its URL: in the same cell, a screen reader reads it with the relay, and
 * the words "Last error" say what it is where the colour and the icon cannot.
 */
function RelayError({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <span className="relay-error">
      <Icon name="alert" />
      <span>
        <span className="visually-hidden">Last error: </span>
        {message}
      </span>
    </span>
  );
}

export function RelaysScreen() {
  const relays = useOperation('relays.list', {});
  const discovery = useOperation('discovery.status', {});
  const nostrKeys = useOperation('keys.list', { algorithm: 'nostr' });
  const action = useAction();
  const [url, setUrl] = useState('');
  const [info, setInfo] = useState<{ url: string; value: unknown }>();
  const [removing, setRemoving] = useState<RelayItem>();
  const toasts = useToasts();
  const urlId = useId();
  const reloadStatus = discovery.reload;

  useDiscoveryImports(reloadStatus);
  useEffect(() => {
    const timer = setInterval(reloadStatus, STATUS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [reloadStatus]);

  if (isUnavailableOperation(relays.error)) return <NotAvailable what="Managing relays" />;

  const changed = () => {
    relays.reload();
    reloadStatus();
  };

  async function add(event: FormEvent) {
    event.preventDefault();
    if (await action.run('relays.add', { url: url.trim() })) {
      setUrl('');
      changed();
    }
  }

  async function remove() {
    if (!removing) return;
    const removed = await action.run('relays.remove', { url: removing.url });
    setRemoving(undefined);
    if (!removed) return;
    const dropped = removed.dropped_sends;
    toasts.show({
      tone: 'success',
      title: 'Relay removed',
      message: dropped === 0 ? removed.url : `${removed.url} · ${dropped} unfinished send${dropped === 1 ? '' : 's'} dropped`,
    });
    changed();
  }

  async function follow(relay: RelayItem, subscribe: boolean) {
    if (await action.run('relays.update', { url: relay.url, subscribe })) changed();
  }

  async function chooseAuthKey(relay: RelayItem, keyId: string) {
    if (await action.run('relays.update', { url: relay.url, auth_key: keyId === '' ? null : keyId })) changed();
  }

  async function showInfo(relay: RelayItem) {
    const value = await action.run('relays.info', { url: relay.url });
    if (value !== undefined) setInfo({ url: relay.url, value });
  }

  // A failing status call only hides the badges; the relay list stays usable.
  const live = new Map((discovery.value?.relays ?? []).map((status) => [status.relay, status]));
  const running = discovery.value?.running ?? false;
  const rows = relays.value?.relays ?? [];
  const signingKeys = (nostrKeys.value?.keys ?? []).filter((key) => key.has_private_key);
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
          <table className="table compact relays-table" aria-label="Relays">
            <thead>
              <tr>
                <th scope="col">Relay</th>
                <th scope="col">Used for</th>
                <th scope="col">Follow live</th>
                <th scope="col" title="The key that answers a relay which requires NIP-42 AUTH to read; the relay learns that this key reads from it">
                  Reads as
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((relay) => (
                <tr key={relay.url} className={relay.enabled ? undefined : 'muted'} data-relay={relay.url}>
                  <td>
                    <span className="cell-title mono">{relay.url}</span>
                    {relay.name && <span className="cell-sub">{relay.name}</span>}
                    <RelayError message={live.get(relay.url)?.last_error ?? relay.last_error} />
                  </td>
                  <td>
                    <span className="badges">
                      {relay.read && <Badge>Read</Badge>}
                      {relay.write && <Badge>Write</Badge>}
                      {!relay.enabled && <Badge tone="warning">Disabled</Badge>}
                    </span>
                  </td>
                  <td>
                    <div className="follow-live">
                      <label className="switch" title={relay.read ? 'Keep a subscription open while the app runs and import new declarations as they are published' : 'Only a relay read from can be followed'}>
                        <input
                          type="checkbox"
                          role="switch"
                          aria-label={`Follow ${relay.url} live`}
                          checked={relay.subscribe}
                          disabled={action.busy || !relay.read}
                          onChange={(e) => void follow(relay, e.target.checked)}
                        />
                        <span className="switch-track" aria-hidden="true" />
                      </label>
                      <LiveState relay={relay} status={live.get(relay.url)} running={running} />
                    </div>
                  </td>
                  <td>
                    <select
                      className="input auth-key-select"
                      aria-label={`Key answering NIP-42 AUTH for ${relay.url}`}
                      value={relay.auth_key?.keypair_uuid ?? ''}
                      disabled={action.busy || !relay.read}
                      onChange={(e) => void chooseAuthKey(relay, e.target.value)}
                    >
                      <option value="">No key (AUTH not answered)</option>
                      {relay.auth_key && !signingKeys.some((key) => key.id === relay.auth_key!.keypair_uuid) && (
                        <option value={relay.auth_key.keypair_uuid}>{relay.auth_key.label || relay.auth_key.canonical_name}</option>
                      )}
                      {signingKeys.map((key) => (
                        <option key={key.id} value={key.id}>
                          {key.label || key.canonical_name}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="row-actions">
                    <button type="button" className="button small" onClick={() => void showInfo(relay)} aria-label={`Information about ${relay.url} (NIP-11)`}>
                      Info
                    </button>
                    <button type="button" className="button small ghost danger-text" onClick={() => setRemoving(relay)} aria-label={`Remove ${relay.url}`}>
                      Remove…
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <RelayListsPanel onChanged={changed} />
      <ConfirmDialog
        open={removing !== undefined}
        title={`Remove relay “${removing?.url ?? ''}”?`}
        confirmLabel="Remove relay"
        tone="danger"
        busy={action.busy}
        onConfirm={() => void remove()}
        onCancel={() => setRemoving(undefined)}
      >
        <p>
          Declarations are no longer published to it{removing?.read ? ' or fetched from it' : ''}
          {removing?.subscribe ? ', and it is no longer followed live' : ''}. Sends still waiting for it (pending or retrying) are
          dropped; where declarations were already published stays on record.
        </p>
        <p>You can add it again at any time; publish a declaration again to send it there.</p>
      </ConfirmDialog>
      <Modal open={info !== undefined} title={`Relay information — ${info?.url ?? ''}`} wide onClose={() => setInfo(undefined)}>
        <pre className="code-block">{JSON.stringify(info?.value, null, 2)}</pre>
      </Modal>
    </div>
  );
}
