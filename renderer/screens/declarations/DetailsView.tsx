// One declaration: tabs for each part, the actions its status allows, and edits only while it is a Draft.

import { useEffect, useId, useState } from 'react';
import { call, type AppError, type OutputOf } from '../../api/client';
import { AuthorityPicture } from '../../components/AuthorityPicture';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Fingerprint } from '../../components/Fingerprint';
import { Icon } from '../../components/Icon';
import { NostrAuthor } from '../../components/NostrAuthor';
import { NotAvailable } from '../../components/NotAvailable';
import { Spinner } from '../../components/Progress';
import { Tabs } from '../../components/Tabs';
import { useToasts } from '../../components/Toasts';
import { isUnavailableOperation } from '../../lib/availability';
import { useKeyDirectory, type KeyDirectory } from '../../lib/keyDirectory';
import { emptyContentForm } from '../../lib/content';
import { downloadText } from '../../lib/download';
import { ALGORITHM_LABELS, formatUtc, fromInputUtc, PUBLISH_STATE_LABELS, toInputUtc, TYPE_LABELS } from '../../lib/format';
import { navigate, routeHref } from '../../lib/router';
import { useAction } from '../../lib/useAction';
import { useOperation } from '../../lib/useOperation';
import type { KeyView } from '../keys/types';
import { ContentEditor, currentContent, type ContentState } from './ContentEditor';
import { StatusBadges } from './DeclarationList';
import { DiscardDialog } from './DiscardDialog';
import { IssuerEditor, SubjectEditor } from './DraftKeyEditors';
import { RevokeDialog, UpdateDialog, updateBasis } from './RevisionDialogs';
import { CountersignDialog, SignDialog } from './SignDialogs';
import type { DeclarationView } from './types';

const TABS = [
  { id: 'summary', label: 'Summary' },
  { id: 'issuer', label: 'Issuer' },
  { id: 'subject', label: 'Subject' },
  { id: 'validity', label: 'Validity' },
  { id: 'content', label: 'Content' },
  { id: 'signatures', label: 'Signatures & status' },
  { id: 'authority', label: 'Authority' },
] as const;
type TabId = (typeof TABS)[number]['id'];

function KeyFacts({ keyView, canonicalName, fingerprint, algorithm }: { keyView: KeyView | undefined; canonicalName: string | null; fingerprint: string | null; algorithm: string | null }) {
  return (
    <dl className="summary-list">
      <dt>Key</dt>
      <dd>{keyView ? `${keyView.label}${keyView.has_private_key ? '' : ' (watch only)'}` : 'Not in this store'}</dd>
      <dt>Algorithm</dt>
      <dd>{algorithm ? (ALGORITHM_LABELS[algorithm as keyof typeof ALGORITHM_LABELS] ?? algorithm) : '—'}</dd>
      <dt>Canonical name</dt>
      <dd className="mono break">{canonicalName ?? '—'}</dd>
      <dt>Fingerprint</dt>
      <dd>{fingerprint ? <Fingerprint value={fingerprint} block /> : '—'}</dd>
    </dl>
  );
}

type Chain = { value?: OutputOf<'authority.chain'>; error?: AppError };

/** authority.chain for a signed declaration, fetched again whenever the declaration changes (sign, countersign…). */
function useChain(view: DeclarationView | undefined): Chain | undefined {
  const [chain, setChain] = useState<Chain>();
  const signed = view !== undefined && (view.status === 'Signed' || view.status === 'Published');
  const uuid = view?.declaration_uuid;
  const stamp = view?.updated_at;
  useEffect(() => {
    if (!signed || !uuid) return;
    let live = true;
    void call('authority.chain', { uuid }).then((result) => {
      if (live) setChain(result.ok ? { value: result.value } : { error: result.error });
    });
    return () => {
      live = false;
    };
  }, [signed, uuid, stamp]);
  return signed ? chain : undefined;
}

function AuthorityTab({ chain, view, directory }: { chain: Chain | undefined; view: DeclarationView; directory: KeyDirectory }) {
  if (!chain) return <Spinner label="Following the authority chain…" />;
  if (isUnavailableOperation(chain.error)) return <NotAvailable what="Checking the authority chain against your anchors" />;
  if (chain.error || !chain.value) return chain.error ? <ErrorBanner error={chain.error} /> : null;
  const signer = view.signing_keypair_fingerprint ? { fingerprint: view.signing_keypair_fingerprint, canonical_name: view.signing_keypair_canonical_name } : undefined;
  return (
    <div className="stack tight" data-testid="authority-tab">
      <AuthorityPicture
        result={chain.value.result}
        {...(signer ? { signer } : {})}
        signerName={view.signing_keypair_canonical_name}
        declaration={{ uuid: view.declaration_uuid, type: view.declaration_type }}
        directory={directory}
      />
      <p className="muted">
        Judged against {chain.value.anchor_count} pinned anchor{chain.value.anchor_count === 1 ? '' : 's'} and every signed declaration in this store. <a href={routeHref('anchors')}>Manage anchors</a>
      </p>
    </div>
  );
}

/** Revoked and superseded declarations say so before anything else. */
function LifecycleBanner({ view, chain }: { view: DeclarationView; chain: Chain | undefined }) {
  const supersededBy = chain?.value?.superseded_by ?? null;
  if (!view.is_revoked && !supersededBy) return null;
  return (
    <div className="lifecycle-banners">
      {view.is_revoked && (
        <div className="callout danger" data-testid="revoked-banner">
          <strong>Revoked</strong> {view.revoked_at ? `on ${formatUtc(view.revoked_at)}` : ''}
          {view.revoked_by_declaration_uuid && (
            <>
              {' '}
              by <a className="mono" href={routeHref('declarations', view.revoked_by_declaration_uuid)}>{view.revoked_by_declaration_uuid}</a>
            </>
          )}
          . It no longer grants anything, and neither does any update of it.
        </div>
      )}
      {supersededBy && (
        <div className="callout warning" data-testid="superseded-banner">
          <strong>Superseded</strong> by the update <a className="mono" href={routeHref('declarations', supersededBy)}>{supersededBy}</a>; this version’s content is no longer in force. To change or revoke it, update or revoke that version.
        </div>
      )}
    </div>
  );
}

/** The event author's label: a key of this store (the operation names it), else a pinned anchor (the directory does). */
function authorLabel(event: DeclarationView['events'][number], directory: KeyDirectory): string | null {
  return event.author_label ?? directory.labelOf(event.author_canonical_name) ?? null;
}

/**
 * What this store did to publish it, and where an imported one came from: an imported declaration is Published (it was
 * on a relay or in a bundle) while this store never sent it, which a bare "Not published" would contradict.
 */
function publicationText(view: DeclarationView): string {
  const relays = view.nostr_published_to_relays.length ? ` · ${view.nostr_published_to_relays.join(', ')}` : '';
  if (view.nostr_publish_status) return `${PUBLISH_STATE_LABELS[view.nostr_publish_status]}${relays}`;
  if (!view.is_local) {
    const from = view.discovered_from_relay ? `from ${view.discovered_from_relay}` : 'from a bundle or pasted events';
    return `Imported ${from}${view.discovered_at ? ` on ${formatUtc(view.discovered_at)}` : ''}; not sent to relays from this store`;
  }
  return 'Not published';
}

const REVOCATION_TYPES: readonly string[] = ['declaration-revoke', 'privilege-revoke'];
/** Types whose subject is their target's: the store takes it from the declaration their content names. */
const SUBJECT_FROM_TARGET_TYPES: readonly string[] = ['declaration-update', ...REVOCATION_TYPES];

const NO_ISSUER = 'No issuer: its key was deleted';

/**
 * A key deleted after drafting leaves its unsigned declarations without an issuer (ON DELETE SET NULL). Said before
 * anything else, because Finalize and Sign cannot proceed until it is dealt with; `id` describes those buttons.
 */
function MissingIssuerBanner({ id, view, onChoose }: { id: string; view: DeclarationView; onChoose: (() => void) | undefined }) {
  if (view.issuer_keypair_uuid !== null || (view.status !== 'Draft' && view.status !== 'Finalized')) return null;
  return (
    <div className="callout warning missing-issuer" data-testid="missing-issuer">
      {view.status === 'Draft' ? (
        <>
          <span id={id}>
            <strong>{NO_ISSUER}</strong> — choose one before finalizing.
          </span>
          {onChoose && (
            <button type="button" className="button small" onClick={onChoose}>
              Choose issuer
            </button>
          )}
        </>
      ) : (
        <span id={id}>
          <strong>{NO_ISSUER}</strong> — it can no longer be signed. Back to draft to choose another issuer.
        </span>
      )}
    </div>
  );
}

export function DetailsView({ uuid }: { uuid: string }) {
  const [view, setView] = useState<DeclarationView>();
  const [loadError, setLoadError] = useState<AppError>();
  const keys = useOperation('keys.list', {});
  const directory = useKeyDirectory();
  const action = useAction();
  const toasts = useToasts();
  const [tab, setTab] = useState<TabId>('summary');
  const [dialog, setDialog] = useState<'sign' | 'countersign' | 'revoke' | 'update' | 'discard'>();
  const chain = useChain(view);
  const [contentEdit, setContentEdit] = useState<ContentState>();
  const [validity, setValidity] = useState<{ from: string; until: string }>();
  const [keyEdit, setKeyEdit] = useState<'issuer' | 'subject'>();
  const ids = { from: useId(), until: useId(), missingIssuer: useId() };

  useEffect(() => {
    let live = true;
    void call('declarations.get', { uuid }).then((result) => {
      if (!live) return;
      if (result.ok) setView(result.value as DeclarationView);
      else setLoadError(result.error);
    });
    return () => {
      live = false;
    };
  }, [uuid]);

  if (loadError) {
    return (
      <div className="stack">
        <a className="back-link" href={routeHref('declarations')}>
          <Icon name="back" />
          All declarations
        </a>
        <ErrorBanner error={loadError} />
      </div>
    );
  }
  if (!view) return <Spinner label="Loading declaration…" />;

  const allKeys = keys.value?.keys ?? [];
  const issuerKey = allKeys.find((k) => k.id === view.issuer_keypair_uuid);
  const subjectKey = allKeys.find((k) => k.id === view.target_keypair_uuid);
  const isDraft = view.status === 'Draft';
  const isFinalized = view.status === 'Finalized';
  const isSigned = view.status === 'Signed' || view.status === 'Published';
  const hasIssuer = view.issuer_keypair_uuid !== null;
  const subjectFollowsTarget = SUBJECT_FROM_TARGET_TYPES.includes(view.declaration_type);
  // A superseded version is not the one to change: its update is (the banner links to it).
  const superseded = (chain?.value?.superseded_by ?? null) !== null;
  const canRevoke = isSigned && !view.is_revoked && !superseded && !REVOCATION_TYPES.includes(view.declaration_type);
  const canUpdate = canRevoke && updateBasis(view) !== undefined;
  const tabs = isSigned ? TABS : TABS.filter((t) => t.id !== 'authority');

  function updated(next: DeclarationView, message: string) {
    setView(next);
    setDialog(undefined);
    setKeyEdit(undefined);
    toasts.show({ tone: 'success', title: message });
  }

  async function finalize() {
    const next = await action.run('declarations.finalize', { uuid });
    if (next) updated(next, 'Declaration finalized');
  }

  // Nothing was signed yet, so going back loses nothing: no confirmation, the content stays as it was.
  async function reopen() {
    const next = await action.run('declarations.reopen', { uuid });
    if (next) updated(next, 'Back to draft: it can be edited again');
  }

  async function exportBundle() {
    const bundle = await action.run('declarations.export', { uuid });
    if (!bundle) return;
    downloadText(`declaration-${uuid}.json`, `${JSON.stringify(bundle, null, 2)}\n`);
    toasts.show({ tone: 'success', title: 'Bundle exported', message: `${bundle.events.length} event(s)` });
  }

  async function saveContent() {
    if (!contentEdit) return;
    const { content } = currentContent(contentEdit);
    if (!content) return;
    const next = await action.run('declarations.update', { uuid, type: contentEdit.type, content });
    if (next) {
      setContentEdit(undefined);
      updated(next, 'Draft saved');
    }
  }

  async function saveValidity() {
    if (!validity) return;
    const from = fromInputUtc(validity.from);
    const next = await action.run('declarations.update', { uuid, ...(from ? { valid_from: from } : {}), valid_until: fromInputUtc(validity.until) });
    if (next) {
      setValidity(undefined);
      updated(next, 'Draft saved');
    }
  }

  const signature = view.signed_data?.signature;
  return (
    <div className="stack">
      <a className="back-link" href={routeHref('declarations')}>
        <Icon name="back" />
        All declarations
      </a>
      <header className="details-header">
        <div>
          <h2>{TYPE_LABELS[view.declaration_type]}</h2>
          <p className="mono muted">{view.declaration_uuid}</p>
        </div>
        <StatusBadges item={{ ...view, superseded_by: chain?.value?.superseded_by ?? null }} />
      </header>
      <div className="toolbar" role="toolbar" aria-label="Declaration actions">
        {isDraft && (
          <button type="button" className="button primary" disabled={action.busy || !hasIssuer} aria-describedby={hasIssuer ? undefined : ids.missingIssuer} onClick={() => void finalize()}>
            Finalize
          </button>
        )}
        {isFinalized && (
          <>
            <button type="button" className="button primary" disabled={action.busy || !hasIssuer} aria-describedby={hasIssuer ? undefined : ids.missingIssuer} onClick={() => setDialog('sign')}>
              Sign…
            </button>
            <button type="button" className="button" disabled={action.busy} onClick={() => void reopen()}>
              <Icon name="pen" />
              Back to draft
            </button>
          </>
        )}
        {(isDraft || isFinalized) && (
          <button type="button" className="button danger-text" disabled={action.busy} onClick={() => setDialog('discard')}>
            Discard…
          </button>
        )}
        {isSigned && (
          <>
            <button type="button" className="button" disabled={action.busy} onClick={() => setDialog('countersign')}>
              Countersign…
            </button>
            <button type="button" className="button" disabled={action.busy} onClick={() => void exportBundle()}>
              <Icon name="download" />
              Export bundle
            </button>
            <button type="button" className="button" onClick={() => navigate('publish', uuid)}>
              <Icon name="send" />
              Publish…
            </button>
            {canUpdate && (
              <button type="button" className="button" disabled={action.busy} onClick={() => setDialog('update')}>
                <Icon name="pen" />
                Update…
              </button>
            )}
            {canRevoke && (
              <button type="button" className="button danger-text" disabled={action.busy} onClick={() => setDialog('revoke')}>
                Revoke…
              </button>
            )}
          </>
        )}
        {isDraft && (
          <span className="toolbar-note">
            {hasIssuer ? 'Drafts can be edited in the Issuer, Subject, Validity and Content tabs. Finalizing freezes them for signing.' : 'Finalize needs an issuer first.'}
          </span>
        )}
        {isFinalized && <span className="toolbar-note">Frozen for signing. Back to draft makes it editable again; nothing was signed yet.</span>}
      </div>
      <LifecycleBanner view={view} chain={chain} />
      {/* On the Issuer tab the picker is already open below, so the banner offers no way there. */}
      <MissingIssuerBanner id={ids.missingIssuer} view={view} onChoose={tab === 'issuer' ? undefined : () => setTab('issuer')} />
      {action.error && <ErrorBanner error={action.error} onDismiss={() => action.setError(undefined)} />}
      <div className="panel">
        <Tabs<TabId> tabs={tabs} selected={tab} onSelect={setTab} label="Declaration details">
          {tab === 'summary' && (
            <dl className="summary-list">
              <dt>Type</dt>
              <dd>{TYPE_LABELS[view.declaration_type]}</dd>
              <dt>Status</dt>
              <dd>{view.status}</dd>
              <dt>Issuer</dt>
              <dd>{view.issuer_label ?? view.issuer_canonical_name ?? (hasIssuer ? '—' : NO_ISSUER)}</dd>
              <dt>Subject</dt>
              <dd className="break">
                {subjectKey ? <strong>{subjectKey.label}</strong> : null}
                {subjectKey ? ' · ' : ''}
                <span className="mono">{view.target_canonical_name ?? '—'}</span>
              </dd>
              {view.original_declaration_uuid && view.original_declaration_uuid !== view.declaration_uuid && (
                <>
                  <dt>{view.declaration_type === 'declaration-update' ? 'Updates the chain of' : 'Refers to'}</dt>
                  <dd>
                    <a className="mono" href={routeHref('declarations', view.original_declaration_uuid)}>{view.original_declaration_uuid}</a>
                    {view.content_version > 1 ? ` · version ${view.content_version}` : ''}
                  </dd>
                </>
              )}
              <dt>Validity</dt>
              <dd>
                {formatUtc(view.valid_from)} → {view.valid_until ? formatUtc(view.valid_until) : 'no end'}
              </dd>
              <dt>Content hash</dt>
              <dd className="mono break">{view.content_hash_sha256 ?? '—'}</dd>
              <dt>Created</dt>
              <dd>{formatUtc(view.created_at)}</dd>
              <dt>Last change</dt>
              <dd>{formatUtc(view.updated_at)}</dd>
            </dl>
          )}
          {tab === 'issuer' &&
            (isDraft && !hasIssuer ? (
              <div className="stack tight">
                <p className="muted">Only keys whose private key is in this store can issue.</p>
                <IssuerEditor declaration={view} keys={allKeys} onSaved={(next) => updated(next, 'Issuer chosen')} />
              </div>
            ) : isDraft && keyEdit === 'issuer' ? (
              <IssuerEditor declaration={view} keys={allKeys} onSaved={(next) => updated(next, 'Issuer changed')} onCancel={() => setKeyEdit(undefined)} />
            ) : (
              <div className="stack tight">
                <KeyFacts keyView={issuerKey} canonicalName={view.issuer_canonical_name} fingerprint={view.signing_keypair_fingerprint ?? issuerKey?.fingerprint ?? null} algorithm={issuerKey?.type ?? view.signed_data?.signing_keypair_algorithm ?? null} />
                {isDraft && (
                  <div>
                    <button type="button" className="button" onClick={() => setKeyEdit('issuer')}>
                      <Icon name="pen" />
                      Change issuer
                    </button>
                  </div>
                )}
              </div>
            ))}
          {tab === 'subject' &&
            (isDraft && keyEdit === 'subject' ? (
              <SubjectEditor declaration={view} keys={allKeys} onSaved={(next) => updated(next, 'Subject changed')} onCancel={() => setKeyEdit(undefined)} />
            ) : (
              <div className="stack tight">
                <KeyFacts keyView={subjectKey} canonicalName={view.target_canonical_name} fingerprint={view.target_fingerprint} algorithm={view.target_algorithm} />
                {isDraft &&
                  (subjectFollowsTarget ? (
                    <p className="muted">A {TYPE_LABELS[view.declaration_type].toLowerCase()} is about the same subject as the declaration it names, so its subject follows that target.</p>
                  ) : (
                    <div>
                      <button type="button" className="button" onClick={() => setKeyEdit('subject')}>
                        <Icon name="pen" />
                        Change subject
                      </button>
                    </div>
                  ))}
              </div>
            ))}
          {tab === 'validity' &&
            (validity ? (
              <div className="stack tight">
                <div className="field-row">
                  <div className="field">
                    <label htmlFor={ids.from}>Valid from (UTC)</label>
                    <input id={ids.from} className="input" type="datetime-local" value={validity.from} onChange={(e) => setValidity({ ...validity, from: e.target.value })} />
                  </div>
                  <div className="field">
                    <label htmlFor={ids.until}>Valid until (UTC, empty for no end)</label>
                    <input id={ids.until} className="input" type="datetime-local" value={validity.until} onChange={(e) => setValidity({ ...validity, until: e.target.value })} />
                  </div>
                </div>
                <div className="inline-actions">
                  <button type="button" className="button primary" disabled={action.busy} onClick={() => void saveValidity()}>
                    Save
                  </button>
                  <button type="button" className="button" onClick={() => setValidity(undefined)}>
                    Cancel
                  </button>
                </div>
              </div>
            ) : (
              <div className="stack tight">
                <dl className="summary-list">
                  <dt>Valid from</dt>
                  <dd>{formatUtc(view.valid_from)}</dd>
                  <dt>Valid until</dt>
                  <dd>{view.valid_until ? formatUtc(view.valid_until) : 'No end'}</dd>
                  <dt>Signed at</dt>
                  <dd>{formatUtc(view.signing_timestamp)}</dd>
                </dl>
                {isDraft && (
                  <div>
                    <button type="button" className="button" onClick={() => setValidity({ from: toInputUtc(view.valid_from), until: toInputUtc(view.valid_until) })}>
                      <Icon name="pen" />
                      Edit validity
                    </button>
                  </div>
                )}
              </div>
            ))}
          {tab === 'content' &&
            (contentEdit ? (
              <div className="stack tight">
                <ContentEditor state={contentEdit} onChange={setContentEdit} />
                <div className="inline-actions">
                  <button type="button" className="button primary" disabled={action.busy || currentContent(contentEdit).problems.length > 0} onClick={() => void saveContent()}>
                    Save content
                  </button>
                  <button type="button" className="button" onClick={() => setContentEdit(undefined)}>
                    Cancel
                  </button>
                </div>
              </div>
            ) : (
              <div className="stack tight">
                <pre className="code-block" data-testid="content-json">{JSON.stringify(view.content.content, null, 2)}</pre>
                {isDraft ? (
                  <div>
                    <button
                      type="button"
                      className="button"
                      onClick={() => setContentEdit({ type: view.declaration_type, mode: 'json', form: emptyContentForm(), json: JSON.stringify(view.content.content, null, 2) })}
                    >
                      <Icon name="pen" />
                      Edit content
                    </button>
                  </div>
                ) : isFinalized ? (
                  <p className="muted">Only Drafts can be edited. Nothing is signed yet: Back to draft makes this one editable again.</p>
                ) : (
                  <p className="muted">Only Drafts can be edited. To change a {view.status.toLowerCase()} declaration, issue a declaration update.</p>
                )}
              </div>
            ))}
          {tab === 'signatures' && (
            <div className="stack tight">
              <dl className="summary-list">
                <dt>Status</dt>
                <dd>{view.status}{view.is_revoked ? ` · revoked ${formatUtc(view.revoked_at)}` : ''}</dd>
                <dt>Signer</dt>
                <dd className="mono break">{view.signer ?? 'Not signed yet'}</dd>
                <dt>Signature</dt>
                <dd className="mono break">{signature ? `${signature.algorithm} · ${view.digital_signature?.slice(0, 32)}…` : '—'}</dd>
                <dt>Signed data SHA-256</dt>
                <dd className="mono break">{view.signed_data_sha256 ?? '—'}</dd>
                <dt>Publication</dt>
                <dd data-testid="publication">{publicationText(view)}</dd>
              </dl>
              <h3>Countersignatures</h3>
              {view.countersignatures.length === 0 && view.events.every((e) => e.role !== 'countersignature') ? (
                <p className="muted">None yet.</p>
              ) : (
                <ul className="plain-list">
                  {view.countersignatures.map((c) => {
                    const shown = directory.display(c.fingerprint, c.canonical_name);
                    return (
                      <li key={c.fingerprint} className="countersigner" title={c.canonical_name}>
                        <span className="badge info">{ALGORITHM_LABELS[c.algorithm]}</span> <strong>{shown.title}</strong>
                        {shown.sub && <span className="mono muted"> {shown.sub}</span>} · {formatUtc(c.signed_at)}
                      </li>
                    );
                  })}
                  {view.events
                    .filter((e) => e.role === 'countersignature' && !e.superseded)
                    .map((e) => (
                      <li key={e.event_id} className="countersigner">
                        <span className="badge info">Nostr</span> <NostrAuthor npub={e.author_canonical_name} label={authorLabel(e, directory)} /> · event{' '}
                        <span className="mono">{e.event_id.slice(0, 12)}…</span>
                      </li>
                    ))}
                </ul>
              )}
              <h3>Nostr events</h3>
              {view.events.length === 0 ? (
                <p className="muted">No events until it is signed.</p>
              ) : (
                <table className="table compact" aria-label="Nostr events">
                  <thead>
                    <tr>
                      <th scope="col">Role</th>
                      <th scope="col">Event id</th>
                      <th scope="col">Author</th>
                      <th scope="col">Created</th>
                    </tr>
                  </thead>
                  <tbody>
                    {view.events.map((e) => (
                      <tr key={e.event_id} className={e.superseded ? 'muted' : ''}>
                        <td>
                          {e.role}
                          {e.superseded ? ' (superseded)' : ''}
                        </td>
                        <td className="mono break event-id">{e.event_id}</td>
                        <td>
                          <NostrAuthor npub={e.author_canonical_name} label={authorLabel(e, directory)} />
                        </td>
                        <td className="nowrap">{formatUtc(new Date(e.created_at * 1000).toISOString())}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          )}
          {tab === 'authority' && isSigned && <AuthorityTab chain={chain} view={view} directory={directory} />}
        </Tabs>
      </div>
      {dialog === 'sign' && <SignDialog declaration={view} keys={allKeys} onClose={() => setDialog(undefined)} onDone={(next) => updated(next, 'Declaration signed')} />}
      {dialog === 'revoke' && <RevokeDialog declaration={view} keys={allKeys} onClose={() => setDialog(undefined)} onCreated={() => toasts.show({ tone: 'success', title: 'Revocation Draft created', message: 'Review it, then finalize and sign.' })} />}
      {dialog === 'update' && <UpdateDialog declaration={view} keys={allKeys} onClose={() => setDialog(undefined)} onCreated={() => toasts.show({ tone: 'success', title: 'Update Draft created', message: 'Review it, then finalize and sign.' })} />}
      {dialog === 'discard' && <DiscardDialog declaration={view} onClose={() => setDialog(undefined)} />}
      {dialog === 'countersign' && <CountersignDialog declaration={view} keys={allKeys} onClose={() => setDialog(undefined)} onDone={(next) => updated(next, 'Countersignature added')} />}
    </div>
  );
}
