// Publish: send a signed declaration's events to chosen relays and follow each relay's answer live. `#/publish/<uuid>`
// comes from a declaration's Publish action; without one the screen offers the signed declarations. The table is the
// outbox as publish.status reports it, updated by each recorded answer (progress events) while a round runs.

import { useEffect, useId, useRef, useState } from 'react';
import { call, onProgress, type OutputOf } from '../api/client';
import { Badge, type BadgeTone } from '../components/Badge';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { Icon } from '../components/Icon';
import { NotAvailable } from '../components/NotAvailable';
import { Spinner } from '../components/Progress';
import { useToasts } from '../components/Toasts';
import { isUnavailableOperation } from '../lib/availability';
import { copyText } from '../lib/clipboard';
import { formatUtc, PUBLISH_STATE_LABELS, STATUS_TONES, TYPE_LABELS } from '../lib/format';
import { navigate, routeHref } from '../lib/router';
import { useAction } from '../lib/useAction';
import { useOperation } from '../lib/useOperation';

type Item = OutputOf<'declarations.list'>['items'][number];
type SendView = OutputOf<'publish.status'>['sends'][number];
type SendState = SendView['state'];

const STATE_TONES: Record<SendState, BadgeTone> = { pending: 'neutral', published: 'success', retrying: 'warning', failed: 'danger' };
/** While a send waits for its next try, the table refreshes this often (the app's outbox retries in the background). */
const REFRESH_WHILE_WAITING_MS = 5000;

function SignedDeclarations() {
  const [items, setItems] = useState<Item[]>();
  useEffect(() => {
    void Promise.all([call('declarations.list', { status: 'Signed', limit: 100 }), call('declarations.list', { status: 'Published', limit: 100 })]).then(([signed, published]) => {
      setItems([...(signed.ok ? signed.value.items : []), ...(published.ok ? published.value.items : [])]);
    });
  }, []);
  if (!items) return <Spinner label="Loading signed declarations…" />;
  if (items.length === 0) {
    return (
      <EmptyState
        icon="send"
        title="Nothing to publish yet"
        text="Sign a declaration first; signed declarations can then be published to your relays."
        action={{ label: 'Go to Declarations', onClick: () => navigate('declarations') }}
      />
    );
  }
  return (
    <div className="stack tight">
      <p className="muted">Choose a signed declaration to send to your relays; its page shows each relay’s answer.</p>
      <ul className="panel pick-list" aria-label="Signed declarations">
        {items.map((item) => (
          <li key={item.declaration_uuid}>
            <a href={routeHref('publish', item.declaration_uuid)}>
              <span className="cell-title">{TYPE_LABELS[item.declaration_type]}</span>
              <span className="cell-sub mono">{item.declaration_uuid}</span>
              {item.nostr_publish_status ? (
                <Badge tone={STATE_TONES[item.nostr_publish_status]}>{PUBLISH_STATE_LABELS[item.nostr_publish_status]}</Badge>
              ) : (
                <Badge tone={STATUS_TONES[item.status]}>{item.is_local ? item.status : 'Imported'}</Badge>
              )}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A share link with a copy button (the link is selected instead when the clipboard is refused). */
function ShareLink({ label, value }: { label: string; value: string }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'copied' | 'selected'>();

  async function copy() {
    if (await copyText(value)) {
      setCopied('copied');
      return;
    }
    input.current?.focus();
    input.current?.select();
    setCopied('selected');
  }

  return (
    <div className="field share-link">
      <label htmlFor={id}>{label}</label>
      <div className="share-row">
        <input id={id} ref={input} className="input mono" readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" className="button" onClick={() => void copy()} aria-label={`Copy ${label}`}>
          {copied === 'copied' ? <Icon name="check" /> : null}
          {copied === 'copied' ? 'Copied' : 'Copy'}
        </button>
      </div>
      {copied === 'selected' && <span className="hint">The clipboard is not available here; the link is selected — press Ctrl+C (⌘C) to copy it.</span>}
    </div>
  );
}

function sendKey(send: { relay: string; event_id: string }): string {
  return `${send.relay} ${send.event_id}`;
}

function SendsTable({ sends, live }: { sends: readonly SendView[]; live: ReadonlyMap<string, { state: SendState; reason: string | null }> }) {
  return (
    <table className="table compact sends" aria-label="Relay answers">
      <thead>
        <tr>
          <th scope="col">Relay</th>
          <th scope="col">Event</th>
          <th scope="col">State</th>
          <th scope="col">Attempts</th>
          <th scope="col">Next try</th>
          <th scope="col">Relay’s answer</th>
        </tr>
      </thead>
      <tbody>
        {sends.map((send) => {
          const now = live.get(sendKey(send));
          const state = now?.state ?? send.state;
          const reason = now ? now.reason : send.reason;
          return (
            <tr key={sendKey(send)} data-relay={send.relay} data-state={state}>
              <td className="mono break">{send.relay}</td>
              <td>
                <span className="cell-title">{send.role}</span>
                <span className="cell-sub mono" title={send.event_id}>
                  {send.event_id.slice(0, 12)}…
                </span>
              </td>
              <td>
                <Badge tone={STATE_TONES[state]}>{PUBLISH_STATE_LABELS[state]}</Badge>
              </td>
              <td>{send.attempts}</td>
              <td className="nowrap">{state === 'retrying' && send.next_attempt_at ? formatUtc(send.next_attempt_at, { seconds: true }) : '—'}</td>
              <td className="send-reason">
                {send.prefix && <code className="reason-prefix">{send.prefix}</code>} {reason ?? (state === 'published' ? 'accepted' : '—')}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function PublishDeclaration({ uuid }: { uuid: string }) {
  const relays = useOperation('relays.list', {});
  const status = useOperation('publish.status', { uuid });
  const action = useAction();
  const toasts = useToasts();
  const [chosen, setChosen] = useState<string[]>();
  const [live, setLive] = useState<Map<string, { state: SendState; reason: string | null }>>(new Map());
  const [running, setRunning] = useState(false);
  const relayRows = relays.value?.relays ?? [];
  const writable = relayRows.filter((r) => r.enabled && r.write);
  // Enabled write relays are ticked until the administrator changes the choice.
  const selection = chosen ?? writable.map((r) => r.url);
  const { reload } = status;
  const sends = status.value?.sends ?? [];
  const known = useRef(new Set<string>());
  known.current = new Set(sends.map(sendKey));
  const runningRef = useRef(false);
  runningRef.current = running;

  // Each recorded answer of a running round updates its row at once; a send the table does not show yet (queued by
  // this round) brings the rows in.
  useEffect(
    () =>
      onProgress((progress) => {
        if (progress.operation !== 'publish.start' && progress.operation !== 'publish.retry') return;
        const detail = (progress.event as { detail?: { uuid?: unknown; event_id?: unknown; relay?: unknown; state?: unknown; reason?: unknown } } | null)?.detail;
        if (!detail) {
          if (runningRef.current) reload();
          return;
        }
        if (detail.uuid !== uuid || typeof detail.relay !== 'string' || typeof detail.event_id !== 'string' || typeof detail.state !== 'string') return;
        const key = sendKey({ relay: detail.relay, event_id: detail.event_id });
        const next = { state: detail.state as SendState, reason: typeof detail.reason === 'string' ? detail.reason : null };
        setLive((current) => new Map(current).set(key, next));
        if (!known.current.has(key)) reload();
      }),
    [uuid, reload],
  );

  const waiting = sends.some((s) => s.state === 'retrying' || s.state === 'pending');
  useEffect(() => {
    if (!waiting || running) return;
    const timer = setInterval(reload, REFRESH_WHILE_WAITING_MS);
    return () => clearInterval(timer);
  }, [waiting, running, reload]);

  async function run(kind: 'start' | 'retry') {
    setRunning(true);
    setLive(new Map());
    const result = kind === 'start' ? await action.run('publish.start', { uuid, relays: selection }) : await action.run('publish.retry', { uuid });
    setRunning(false);
    setLive(new Map());
    reload();
    if (result) {
      const { published, retrying, failed } = result.round;
      toasts.show({ tone: failed > 0 ? 'info' : 'success', title: result.ok ? 'Published' : 'Publishing round finished', message: `${published} published · ${retrying} retrying · ${failed} failed` });
    }
  }

  if (isUnavailableOperation(status.error) || isUnavailableOperation(relays.error)) return <NotAvailable what="Publishing to relays" />;

  const view = status.value;
  return (
    <div className="stack">
      {action.error && <ErrorBanner error={action.error} onDismiss={() => action.setError(undefined)} />}
      {relays.error && <ErrorBanner error={relays.error} onDismiss={relays.dismissError} />}
      <section className="panel form-panel" aria-label="Relays to publish to">
        <h2>Relays</h2>
        {relays.loading && !relays.value ? (
          <Spinner label="Loading relays…" />
        ) : relayRows.length === 0 ? (
          <p className="muted">
            No relays configured. <a href={routeHref('relays')}>Add a relay</a> first.
          </p>
        ) : (
          <fieldset className="choice-group compact">
            <legend className="visually-hidden">Relays</legend>
            {relayRows.map((relay) => (
              <label key={relay.url} className="checkbox">
                <input
                  type="checkbox"
                  checked={selection.includes(relay.url)}
                  onChange={(e) => setChosen(e.target.checked ? [...selection, relay.url] : selection.filter((u) => u !== relay.url))}
                />
                <span className="mono">{relay.url}</span>
                {!relay.enabled && <Badge>disabled</Badge>}
                {relay.enabled && !relay.write && <Badge>read only</Badge>}
                {relay.auth_required && <Badge tone="info">AUTH</Badge>}
              </label>
            ))}
            <span className="hint">Enabled write relays are ticked. Each relay’s answer is kept; a relay that is down is retried later with backoff.</span>
          </fieldset>
        )}
        <div className="inline-actions">
          <button type="button" className="button primary" disabled={running || selection.length === 0} onClick={() => void run('start')}>
            <Icon name="send" />
            {running ? 'Publishing…' : 'Publish'}
          </button>
          <button type="button" className="button" disabled={running || !sends.some((s) => s.state !== 'published')} onClick={() => void run('retry')}>
            <Icon name="refresh" />
            Retry now
          </button>
          {view?.publish_status && (
            <span className="toolbar-note">
              Status: <strong>{PUBLISH_STATE_LABELS[view.publish_status]}</strong>
              {view.published_at ? ` · first published ${formatUtc(view.published_at)}` : ''}
            </span>
          )}
        </div>
      </section>
      <section className="panel" aria-label="Relay answers">
        {status.loading && status.value === undefined ? (
          <Spinner label="Loading publication status…" />
        ) : status.error ? (
          <ErrorBanner error={status.error} onDismiss={status.dismissError} />
        ) : sends.length === 0 ? (
          <EmptyState icon="send" title="Not published yet" text="Each relay’s acknowledgement (or refusal, with its reason) appears here." />
        ) : (
          <SendsTable sends={sends} live={live} />
        )}
      </section>
      {view?.links && (
        <section className="panel form-panel" aria-label="Share links">
          <h2>Share</h2>
          <p className="muted">Nostr links to this declaration, with the relays it was sent to as hints. The naddr always names its newest version; the nevent names this exact event.</p>
          <ShareLink label="naddr (newest version)" value={`nostr:${view.links.naddr}`} />
          <ShareLink label="nevent (this event)" value={`nostr:${view.links.nevent}`} />
        </section>
      )}
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
