// Revoke and update a signed declaration. Neither changes what was signed: each creates a new Draft — a
// `declaration-revoke` or a `declaration-update` about the same subject — which opens for review, then is finalized
// and signed like any other. Content schemas: devdocs/authority.md §2.

import { useId, useState } from 'react';
import type { DeclarationType } from '../../../electron/core/declaration/types';
import { ErrorBanner } from '../../components/ErrorBanner';
import { KeySelect } from '../../components/KeySelect';
import { Modal } from '../../components/Modal';
import { CONTENT_SCHEMA_VERSION, UPDATABLE_TYPES } from '../../lib/content';
import { emptyContentForm } from '../../lib/content';
import { TYPE_LABELS } from '../../lib/format';
import { navigate } from '../../lib/router';
import { useAction } from '../../lib/useAction';
import type { KeyView } from '../keys/types';
import { ContentEditor, currentContent, type ContentState } from './ContentEditor';
import type { DeclarationView } from './types';

type Updatable = (typeof UPDATABLE_TYPES)[number];

/** The type and content an update starts from: the original's, or for an update, the content it put in force. */
export function updateBasis(view: DeclarationView): { type: Updatable; content: Record<string, unknown> } | undefined {
  const content = view.content.content as Record<string, unknown>;
  if (view.declaration_type === 'declaration-update') {
    const type = content.updated_declaration_type;
    const inner = content.updated_content;
    if (!(UPDATABLE_TYPES as readonly string[]).includes(type as string) || typeof inner !== 'object' || inner === null) return undefined;
    return { type: type as Updatable, content: inner as Record<string, unknown> };
  }
  if (!(UPDATABLE_TYPES as readonly string[]).includes(view.declaration_type)) return undefined;
  return { type: view.declaration_type as Updatable, content };
}

/** A revocation or update must name the same subject as its target. */
function subjectOf(view: DeclarationView): { subject: string } | { subject_pubkey: string; subject_algorithm: NonNullable<DeclarationView['target_algorithm']> } | undefined {
  if (view.target_keypair_uuid) return { subject: view.target_keypair_uuid };
  if (view.target_public_key && view.target_algorithm) return { subject_pubkey: view.target_public_key, subject_algorithm: view.target_algorithm };
  return undefined;
}

function defaultIssuer(view: DeclarationView, keys: readonly KeyView[]): string {
  const own = keys.find((k) => k.id === view.issuer_keypair_uuid && k.has_private_key);
  return own?.id ?? '';
}

function useRevision(view: DeclarationView, keys: readonly KeyView[]) {
  const action = useAction();
  const [issuer, setIssuer] = useState(() => defaultIssuer(view, keys));
  const [reason, setReason] = useState('');
  const subject = subjectOf(view);

  async function create(type: DeclarationType, content: Record<string, unknown>, onDone: (uuid: string) => void) {
    if (!subject) return;
    const created = await action.run('declarations.create', { type, issuer, ...subject, content });
    if (created) onDone(created.declaration_uuid);
  }
  return { action, issuer, setIssuer, reason, setReason, subject, create };
}

export function RevokeDialog({ declaration, keys, onClose, onCreated }: { declaration: DeclarationView; keys: readonly KeyView[]; onClose(): void; onCreated(uuid: string): void }) {
  const r = useRevision(declaration, keys);
  const reasonId = useId();
  const signingKeys = keys.filter((k) => k.has_private_key);

  function submit() {
    void r.create('declaration-revoke', { content_schema_version: CONTENT_SCHEMA_VERSION, target_declaration_uuid: declaration.declaration_uuid, reason: r.reason.trim() }, (uuid) => {
      onCreated(uuid);
      navigate('declarations', uuid);
    });
  }

  return (
    <Modal open title="Revoke declaration" submitLabel="Create revocation Draft" submitTone="danger" busy={r.action.busy} canSubmit={r.issuer !== '' && r.reason.trim() !== '' && r.subject !== undefined} onSubmit={submit} onClose={onClose}>
      {r.action.error && <ErrorBanner error={r.action.error} onDismiss={() => r.action.setError(undefined)} />}
      <p>
        Creates a <strong>declaration revocation</strong> Draft for this {TYPE_LABELS[declaration.declaration_type].toLowerCase()}. Nothing is revoked until that Draft is finalized, signed and
        published; a revocation is final and ends every later update of this declaration too.
      </p>
      <KeySelect label="Revoke as" keys={signingKeys} value={r.issuer} onChange={r.setIssuer} hint="The issuer may always withdraw its own declaration; anyone else needs the revoke permission over it." />
      <div className="field">
        <label htmlFor={reasonId}>Reason</label>
        <textarea id={reasonId} className="input" rows={3} maxLength={1024} value={r.reason} onChange={(e) => r.setReason(e.target.value)} placeholder="Why this declaration no longer holds" />
      </div>
    </Modal>
  );
}

export function UpdateDialog({ declaration, keys, onClose, onCreated }: { declaration: DeclarationView; keys: readonly KeyView[]; onClose(): void; onCreated(uuid: string): void }) {
  const r = useRevision(declaration, keys);
  const reasonId = useId();
  const signingKeys = keys.filter((k) => k.has_private_key);
  const basis = updateBasis(declaration);
  const [content, setContent] = useState<ContentState | undefined>(() =>
    basis ? { type: basis.type, mode: 'json', form: emptyContentForm(), json: JSON.stringify(basis.content, null, 2) } : undefined,
  );
  const checked = content ? currentContent(content) : undefined;

  function submit() {
    if (!basis || !checked?.content) return;
    const updated = {
      content_schema_version: CONTENT_SCHEMA_VERSION,
      target_declaration_uuid: declaration.declaration_uuid,
      reason: r.reason.trim(),
      updated_declaration_type: basis.type,
      updated_content: checked.content,
    };
    void r.create('declaration-update', updated, (uuid) => {
      onCreated(uuid);
      navigate('declarations', uuid);
    });
  }

  return (
    <Modal
      open
      wide
      title="Update declaration"
      submitLabel="Create update Draft"
      busy={r.action.busy}
      canSubmit={r.issuer !== '' && r.reason.trim() !== '' && r.subject !== undefined && checked !== undefined && checked.problems.length === 0}
      onSubmit={submit}
      onClose={onClose}
    >
      {r.action.error && <ErrorBanner error={r.action.error} onDismiss={() => r.action.setError(undefined)} />}
      <p>
        Creates a <strong>declaration update</strong> Draft that replaces this declaration’s content once signed. It starts from the content in force now; change what should change. The subject stays
        the same.
      </p>
      <KeySelect label="Update as" keys={signingKeys} value={r.issuer} onChange={r.setIssuer} hint="The issuer may always update its own declaration; anyone else needs the revoke permission over it." />
      <div className="field">
        <label htmlFor={reasonId}>Reason</label>
        <textarea id={reasonId} className="input" rows={2} maxLength={1024} value={r.reason} onChange={(e) => r.setReason(e.target.value)} placeholder="What changes, and why" />
      </div>
      {content && <ContentEditor state={content} onChange={(next) => setContent({ ...next, type: basis!.type })} lockType />}
    </Modal>
  );
}
