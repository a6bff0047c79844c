// NIP-65 on the Relays screen: read the relay lists (kind 10002) of this store's keys and anchors to see where they
// publish and read, add a suggested relay with one click, and publish our own list. Suggestions change nothing until
// the administrator adds one; only lists whose signature verified are used (the operation checks them).

import { useState } from 'react';
import type { OutputOf } from '../api/client';
import { Badge } from '../components/Badge';
import { ErrorBanner } from '../components/ErrorBanner';
import { Icon } from '../components/Icon';
import { useAction } from '../lib/useAction';

type Suggestions = OutputOf<'relays.suggest'>;
type Suggestion = Suggestions['publish'][number];
type PublishedList = OutputOf<'relays.publishList'>;

function SuggestionTable({ title, items, use, busy, onAdd }: { title: string; items: readonly Suggestion[]; use: 'read' | 'write'; busy: boolean; onAdd(url: string): void }) {
  return (
    <div className="relay-suggestions" data-testid={`suggest-${use}`}>
      <h3>{title}</h3>
      {items.length === 0 ? (
        <p className="cell-sub">None: no list names one.</p>
      ) : (
        <table className="table compact" aria-label={title}>
          <tbody>
            {items.map((item) => (
              <tr key={item.url} data-suggested={item.url}>
                <td>
                  <span className="cell-title mono">{item.url}</span>
                  <span className="cell-sub">{item.reasons.join(' · ')}</span>
                </td>
                <td className="row-actions">
                  {item.listed ? (
                    <Badge>Listed</Badge>
                  ) : (
                    <button type="button" className="button small" disabled={busy} onClick={() => onAdd(item.url)} aria-label={`Add ${item.url} for ${use === 'read' ? 'reading' : 'writing'}`}>
                      <Icon name="plus" />
                      Add for {use === 'read' ? 'reading' : 'writing'}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function RelayListsPanel({ onChanged }: { onChanged(): void }) {
  const action = useAction();
  const [suggestions, setSuggestions] = useState<Suggestions>();
  const [published, setPublished] = useState<PublishedList>();

  async function lookUp() {
    const value = await action.run('relays.suggest', {});
    if (value !== undefined) setSuggestions(value);
  }

  async function add(url: string, use: 'read' | 'write') {
    if (await action.run('relays.add', use === 'read' ? { url, read: true, write: false } : { url, read: false, write: true })) {
      onChanged();
      await lookUp(); // the row now shows as listed
    }
  }

  async function publish() {
    const value = await action.run('relays.publishList', {});
    if (value !== undefined) {
      setPublished(value);
      onChanged(); // each relay's last error now says how publishing went
    }
  }

  const unanswered = suggestions?.relays.filter((relay) => relay.end !== 'eose') ?? [];
  return (
    <section className="panel relay-lists" aria-labelledby="relay-lists-title">
      <h2 id="relay-lists-title">Relay lists (NIP-65)</h2>
      <p className="muted">
        Administrators announce where they publish and where they read. Look up the lists of your keys and pinned anchors to see which relays to add; nothing is added until you choose it.
      </p>
      <div className="toolbar">
        <button type="button" className="button" disabled={action.busy} onClick={() => void lookUp()}>
          <Icon name="search" />
          Look up relay lists
        </button>
        <button type="button" className="button" disabled={action.busy} onClick={() => void publish()} title="Sign a kind-10002 list of your enabled relays with your default Nostr key and send it to them">
          <Icon name="upload" />
          Publish my relay list
        </button>
      </div>
      {action.error && <ErrorBanner error={action.error} onDismiss={() => action.setError(undefined)} />}
      {published && (
        <p className="relay-list-result" data-testid="relay-list-published">
          Relay list {published.event.id.slice(0, 12)}… —{' '}
          {published.relays.map((relay) => (
            <span key={relay.relay} className="relay-list-outcome" title={relay.reason}>
              <span className="mono">{relay.relay}</span> <Badge tone={relay.state === 'published' ? 'success' : relay.state === 'failed' ? 'danger' : 'warning'}>{relay.state}</Badge>
            </span>
          ))}
        </p>
      )}
      {suggestions && (
        <>
          <ul className="relay-list-authors" aria-label="Relay lists found">
            {suggestions.authors.map((author) => (
              <li key={author.pubkey} data-pubkey={author.pubkey}>
                <span className="cell-title">
                  {author.name ?? `${author.npub.slice(0, 16)}…`}
                  {author.own && ' (yours)'}
                </span>{' '}
                <span className="cell-sub">
                  {author.event_id === null ? 'no relay list found' : `writes to ${author.write.length}, reads from ${author.read.length} relay${author.read.length === 1 ? '' : 's'}`}
                </span>
              </li>
            ))}
          </ul>
          <div className="relay-suggestion-columns">
            <SuggestionTable title="Publish to" items={suggestions.publish} use="write" busy={action.busy} onAdd={(url) => void add(url, 'write')} />
            <SuggestionTable title="Read from" items={suggestions.read} use="read" busy={action.busy} onAdd={(url) => void add(url, 'read')} />
          </div>
          {(unanswered.length > 0 || suggestions.refused > 0) && (
            <p className="muted break">
              {unanswered.map((relay) => `${relay.relay}: ${relay.end}${relay.reason ? ` (${relay.reason})` : ''}`).join('; ')}
              {suggestions.refused > 0 && ` ${suggestions.refused} event(s) ignored: not a valid relay list by these keys.`}
            </p>
          )}
        </>
      )}
    </section>
  );
}
