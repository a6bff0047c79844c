// Trust anchors: the Master Admin keys this administrator trusts as the roots of every authority chain. A key is
// pinned by its npub, its hex public key with the algorithm, or the fingerprint of a key this store already knows;
// fingerprints are shown in groups of four so two administrators can compare them over the phone. Above them, like
// a messenger's "safety number changed", every key that signs under a pinned anchor's name without being that anchor.

import { useId, useState, type FormEvent } from 'react';
import type { KeyAlgorithm } from '../../electron/core/keys/types';
import { type InputOf, type OutputOf } from '../api/client';
import { Badge } from '../components/Badge';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { Fingerprint } from '../components/Fingerprint';
import { Icon } from '../components/Icon';
import { NotAvailable } from '../components/NotAvailable';
import { Spinner } from '../components/Progress';
import { useToasts } from '../components/Toasts';
import { isUnavailableOperation } from '../lib/availability';
import { ALGORITHM_LABELS, formatUtc, ROLE_LABELS, shortUuid } from '../lib/format';
import { fingerprintGroups } from '../lib/fingerprint';
import { routeHref } from '../lib/router';
import { useAction } from '../lib/useAction';
import { useOperation } from '../lib/useOperation';

type Anchor = OutputOf<'anchors.list'>['anchors'][number];
type KeyChangeWarning = OutputOf<'anchors.list'>['key_change_warnings'][number];

/** How many declarations a key-change card links before it says "and N more". */
const LISTED_DECLARATIONS = 8;
type Mode = 'npub' | 'hex' | 'known';

const HEX_ALGORITHMS: readonly KeyAlgorithm[] = ['nostr', 'ed25519', 'rsa', 'ml-dsa-65'];

function PinForm({ onPinned }: { onPinned(anchor: OutputOf<'anchors.add'>): void }) {
  const action = useAction();
  const knownKeys = useOperation('keys.list', {});
  const [mode, setMode] = useState<Mode>('npub');
  const [text, setText] = useState('');
  const [algorithm, setAlgorithm] = useState<KeyAlgorithm>('ed25519');
  const [label, setLabel] = useState('');
  const ids = { key: useId(), algorithm: useId(), label: useId(), mode: useId() };

  function input(): InputOf<'anchors.add'> {
    const named = label.trim() ? { label: label.trim() } : {};
    if (mode === 'npub') return { npub: text.trim(), ...named };
    if (mode === 'hex') return { public_key: text.trim(), algorithm, ...named };
    return { fingerprint: text.replace(/[\s:]/g, ''), ...named };
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const pinned = await action.run('anchors.add', input());
    if (pinned) {
      setText('');
      setLabel('');
      onPinned(pinned);
    }
  }

  const masterKeys = (knownKeys.value?.keys ?? []).filter((k) => k.role === 'master-admin');
  return (
    <form className="panel form-panel" onSubmit={(e) => void submit(e)} aria-label="Pin a trust anchor">
      <h2>Pin a Master Admin key</h2>
      <p className="muted">
        Only keys pinned here are anchors. <strong>Generating or importing a Master Admin key does not pin it</strong> — pin your own and your peers’ Master Admin keys here, after comparing the
        fingerprint with their owner over a channel you trust.
      </p>
      {action.error && <ErrorBanner error={action.error} onDismiss={() => action.setError(undefined)} />}
      <div className="segmented" role="radiogroup" aria-labelledby={ids.mode}>
        <span id={ids.mode} className="visually-hidden">
          Identify the key by
        </span>
        {(
          [
            ['npub', 'npub'],
            ['hex', 'Hex public key'],
            ['known', 'Fingerprint of a known key'],
          ] as const
        ).map(([value, name]) => (
          <button key={value} type="button" role="radio" aria-checked={mode === value} onClick={() => setMode(value)}>
            {name}
          </button>
        ))}
      </div>
      <div className="field-row">
        <div className="field span-2">
          <label htmlFor={ids.key}>{mode === 'npub' ? 'npub' : mode === 'hex' ? 'Public key (hex)' : 'Fingerprint (64 hex characters)'}</label>
          {mode === 'hex' ? (
            <textarea id={ids.key} className="input mono" rows={3} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} placeholder="64 hex characters for Nostr or Ed25519; longer for RSA and ML-DSA" />
          ) : (
            <input id={ids.key} className="input mono" spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} placeholder={mode === 'npub' ? 'npub1…' : 'ab12 cd34 … (spaces are ignored)'} />
          )}
          {mode === 'known' && masterKeys.length > 0 && (
            <span className="hint">
              Master Admin keys in this store:{' '}
              {masterKeys.map((k, i) => (
                <span key={k.id}>
                  {i > 0 ? ', ' : ''}
                  <button type="button" className="link-button" onClick={() => setText(k.fingerprint)}>
                    {k.label}
                  </button>
                </span>
              ))}
            </span>
          )}
        </div>
        {mode === 'hex' ? (
          <div className="field">
            <label htmlFor={ids.algorithm}>Algorithm</label>
            <select id={ids.algorithm} className="input" value={algorithm} onChange={(e) => setAlgorithm(e.target.value as KeyAlgorithm)}>
              {HEX_ALGORITHMS.map((a) => (
                <option key={a} value={a}>
                  {ALGORITHM_LABELS[a]}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <div className="field">
            <label htmlFor={ids.label}>Name</label>
            <input id={ids.label} className="input" placeholder="e.g. Example Org root" value={label} onChange={(e) => setLabel(e.target.value)} />
          </div>
        )}
      </div>
      {mode === 'hex' && (
        <div className="field">
          <label htmlFor={ids.label}>Name</label>
          <input id={ids.label} className="input" placeholder="e.g. Example Org root" value={label} onChange={(e) => setLabel(e.target.value)} />
        </div>
      )}
      <div>
        <button type="submit" className="button primary" disabled={action.busy || text.trim() === ''}>
          <Icon name="anchor" />
          Pin anchor
        </button>
      </div>
    </form>
  );
}

/** The warnings of one key presenting itself under one pinned name: the same impostor (or new key) seen once. */
interface KeyChange {
  label: string;
  pinned: string[];
  presented: string;
  declarations: string[];
}

function groupKeyChanges(warnings: readonly KeyChangeWarning[]): KeyChange[] {
  const groups = new Map<string, KeyChange>();
  for (const warning of warnings) {
    const id = `${warning.label}\n${warning.presented_fingerprint}`;
    const group = groups.get(id) ?? { label: warning.label, pinned: warning.pinned_fingerprints, presented: warning.presented_fingerprint, declarations: [] };
    group.declarations.push(warning.declaration_uuid);
    groups.set(id, group);
  }
  return [...groups.values()];
}

function KeyChangeWarnings({ warnings, keyLabel }: { warnings: readonly KeyChangeWarning[]; keyLabel(fingerprint: string): string | undefined }) {
  const changes = groupKeyChanges(warnings);
  if (changes.length === 0) return null;
  return (
    <section className="panel key-changes" aria-labelledby="key-changes-title" data-testid="key-change-warnings">
      <h2 id="key-changes-title">
        <Icon name="alert" />
        {changes.length === 1 ? 'A key signs under the name of a pinned anchor' : `${changes.length} keys sign under the names of pinned anchors`}
      </h2>
      <p>
        Nothing is trusted because of a name: these declarations grant nothing through the anchor. If the anchor’s owner really has a new key, compare its fingerprint with them over a channel
        you trust and pin it; otherwise treat these declarations as an impersonation attempt.
      </p>
      <ul className="key-change-list">
        {changes.map((change) => {
          const presentedName = keyLabel(change.presented);
          const shown = change.declarations.slice(0, LISTED_DECLARATIONS);
          return (
            <li key={`${change.label}-${change.presented}`} className="key-change" data-label={change.label} data-presented={change.presented}>
              <h3>“{change.label}” — signed with a key that is not the pinned one</h3>
              <dl className="key-change-keys">
                <dt>Pinned as “{change.label}”</dt>
                <dd>
                  {change.pinned.map((fingerprint) => (
                    <Fingerprint key={fingerprint} value={fingerprint} block />
                  ))}
                </dd>
                <dt>Presented by{presentedName ? ` ${presentedName} (in this store)` : ' a key this store does not know'}</dt>
                <dd>
                  <Fingerprint value={change.presented} block />
                </dd>
                <dt>{change.declarations.length === 1 ? 'In the declaration' : `In ${change.declarations.length} declarations`}</dt>
                <dd className="key-change-declarations">
                  {shown.map((uuid) => (
                    <a key={uuid} className="mono" href={routeHref('declarations', uuid)} title={uuid}>
                      {shortUuid(uuid)}…
                    </a>
                  ))}
                  {change.declarations.length > shown.length && <span className="muted">and {change.declarations.length - shown.length} more</span>}
                </dd>
              </dl>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function AnchorCard({ anchor, claimed, onRemove }: { anchor: Anchor; claimed: boolean; onRemove(): void }) {
  return (
    <li className="anchor-card" data-fingerprint={anchor.fingerprint}>
      <div className="anchor-head">
        <div>
          <span className="cell-title">{anchor.label ?? 'Unnamed anchor'}</span>
          <span className="cell-sub mono" title={anchor.canonical_name}>
            {anchor.canonical_name}
          </span>
        </div>
        <span className="badges">
          <Badge tone="info">{ALGORITHM_LABELS[anchor.algorithm]}</Badge>
          {anchor.local_key ? (
            <Badge tone="success" title={`${anchor.local_key.label} — ${ROLE_LABELS[anchor.local_key.role as keyof typeof ROLE_LABELS] ?? anchor.local_key.role}`}>
              In this store: {anchor.local_key.label}
            </Badge>
          ) : (
            <Badge>Not in this store</Badge>
          )}
          {claimed && (
            <Badge tone="warning" title="Another key signs declarations under this anchor's name; see the warning above">
              Name used by another key
            </Badge>
          )}
        </span>
        <button type="button" className="button small ghost danger-text" onClick={onRemove} aria-label={`Remove anchor ${anchor.label ?? anchor.canonical_name}`}>
          Remove…
        </button>
      </div>
      <div className="anchor-fingerprint">
        <span className="field-label">Fingerprint — read it aloud, group by group</span>
        <Fingerprint value={anchor.fingerprint} block />
      </div>
      <span className="cell-sub">Pinned {formatUtc(anchor.pinned_at)}</span>
    </li>
  );
}

export function AnchorsScreen() {
  const anchors = useOperation('anchors.list', {});
  const action = useAction();
  const toasts = useToasts();
  const [removing, setRemoving] = useState<Anchor>();
  const list = anchors.value?.anchors;
  const knownKeys = useOperation('keys.list', {});

  if (isUnavailableOperation(anchors.error)) return <NotAvailable what="Managing trust anchors" />;

  async function remove() {
    if (!removing) return;
    const removed = await action.run('anchors.remove', { fingerprint: removing.fingerprint });
    setRemoving(undefined);
    if (removed) {
      toasts.show({ tone: 'success', title: 'Anchor removed', message: removing.label ?? removing.canonical_name });
      anchors.reload();
    }
  }

  const warnings = anchors.value?.key_change_warnings ?? [];
  const claimed = new Set(warnings.flatMap((w) => w.pinned_fingerprints));
  const keyLabels = new Map((knownKeys.value?.keys ?? []).map((k) => [k.fingerprint, k.label]));
  return (
    <div className="stack">
      <KeyChangeWarnings warnings={warnings} keyLabel={(fingerprint) => keyLabels.get(fingerprint)} />
      <PinForm
        onPinned={(anchor) => {
          toasts.show({ tone: 'success', title: anchor.created === false ? 'Anchor updated' : 'Anchor pinned', message: anchor.label ?? anchor.canonical_name });
          anchors.reload();
        }}
      />
      {action.error && <ErrorBanner error={action.error} onDismiss={() => action.setError(undefined)} />}
      {anchors.error && <ErrorBanner error={anchors.error} onDismiss={anchors.dismissError} />}
      <section className="panel" aria-label="Trust anchors">
        {anchors.loading && list === undefined ? (
          <Spinner label="Loading anchors…" />
        ) : !list || list.length === 0 ? (
          <EmptyState icon="anchor" title="No trust anchors" text="Pin the Master Admin keys you trust; authority is then checked by following delegations back to them. Until then, authority is not evaluated." />
        ) : (
          <ul className="anchor-list">
            {list.map((anchor) => (
              <AnchorCard key={anchor.fingerprint} anchor={anchor} claimed={claimed.has(anchor.fingerprint)} onRemove={() => setRemoving(anchor)} />
            ))}
          </ul>
        )}
      </section>
      <ConfirmDialog
        open={removing !== undefined}
        title={`Remove anchor “${removing?.label ?? removing?.canonical_name ?? ''}”?`}
        confirmLabel="Remove anchor"
        tone="danger"
        busy={action.busy}
        onConfirm={() => void remove()}
        onCancel={() => setRemoving(undefined)}
      >
        <p>
          Authority is no longer traced back to this key: declarations whose chain starts at it show as not authorized until you pin it
          again. Fingerprint starts <code>{removing ? fingerprintGroups(removing.fingerprint).slice(0, 4).join(' ') : ''}</code>.
        </p>
        {removing?.local_key && <p>Only the pin goes: the key “{removing.local_key.label}” stays on the Keys screen.</p>}
      </ConfirmDialog>
    </div>
  );
}
