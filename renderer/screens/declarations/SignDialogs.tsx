// Sign and countersign. A Nostr issuer signs its own event; any other issuer's signature is wrapped in an event of a
// Nostr key chosen here (default: the one the operation picks). Countersigning works with any key holding a private key.

import { useState } from 'react';
import { ErrorBanner } from '../../components/ErrorBanner';
import { KeySelect } from '../../components/KeySelect';
import { Modal } from '../../components/Modal';
import { ALGORITHM_LABELS } from '../../lib/format';
import { useAction } from '../../lib/useAction';
import type { KeyView } from '../keys/types';
import type { DeclarationView } from './types';

export function SignDialog({ declaration, keys, onClose, onDone }: { declaration: DeclarationView; keys: readonly KeyView[]; onClose(): void; onDone(view: DeclarationView): void }) {
  const action = useAction();
  const issuer = keys.find((k) => k.id === declaration.issuer_keypair_uuid);
  const wrapKeys = keys.filter((k) => k.type === 'nostr' && k.has_private_key);
  const [wrapWith, setWrapWith] = useState('');
  const needsWrap = issuer !== undefined && issuer.type !== 'nostr';

  async function submit() {
    const signed = await action.run('declarations.sign', { uuid: declaration.declaration_uuid, ...(needsWrap && wrapWith ? { wrap_with: wrapWith } : {}) });
    if (signed) onDone(signed);
  }

  return (
    <Modal open title="Sign declaration" submitLabel="Sign" busy={action.busy} canSubmit={issuer !== undefined} onSubmit={() => void submit()} onClose={onClose}>
      {action.error && <ErrorBanner error={action.error} onDismiss={() => action.setError(undefined)} />}
      {issuer ? (
        <p>
          Signs with the issuer key <strong>{issuer.label}</strong> ({ALGORITHM_LABELS[issuer.type]}). The signed content can no longer change.
        </p>
      ) : (
        <p>The issuer key of this declaration is not in this store.</p>
      )}
      {needsWrap && (
        <KeySelect
          label="Wrap with Nostr key"
          keys={wrapKeys}
          value={wrapWith}
          onChange={setWrapWith}
          placeholder="Automatic (same role as the issuer, else the most senior)"
          hint={`${ALGORITHM_LABELS[issuer.type]} signatures travel inside a Nostr event signed by one of your Nostr keys.`}
        />
      )}
    </Modal>
  );
}

export function CountersignDialog({ declaration, keys, onClose, onDone }: { declaration: DeclarationView; keys: readonly KeyView[]; onClose(): void; onDone(view: DeclarationView): void }) {
  const action = useAction();
  const candidates = keys.filter((k) => k.has_private_key && k.id !== declaration.signing_keypair_uuid);
  const wrapKeys = keys.filter((k) => k.type === 'nostr' && k.has_private_key);
  const [key, setKey] = useState('');
  const [wrapWith, setWrapWith] = useState('');
  const chosen = keys.find((k) => k.id === key);
  const needsWrap = chosen !== undefined && chosen.type !== 'nostr';

  async function submit() {
    const view = await action.run('declarations.countersign', { uuid: declaration.declaration_uuid, key, ...(needsWrap && wrapWith ? { wrap_with: wrapWith } : {}) });
    if (view) onDone(view);
  }

  return (
    <Modal open title="Countersign declaration" submitLabel="Countersign" busy={action.busy} canSubmit={chosen !== undefined} onSubmit={() => void submit()} onClose={onClose}>
      {action.error && <ErrorBanner error={action.error} onDismiss={() => action.setError(undefined)} />}
      <p>A countersignature says that another administrator agrees with this signed declaration. It does not change what was signed.</p>
      <KeySelect label="Countersign with" keys={candidates} value={key} onChange={setKey} />
      {needsWrap && (
        <KeySelect label="Wrap with Nostr key" keys={wrapKeys} value={wrapWith} onChange={setWrapWith} placeholder="Automatic (the key that wrapped before)" hint="The declaration is re-wrapped so its newest event carries every countersignature." />
      )}
    </Modal>
  );
}
