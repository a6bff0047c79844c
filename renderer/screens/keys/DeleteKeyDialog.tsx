// Deleting a key is final. A key with a private key asks for its label to be typed; `last_nostr_key` is explained
// in plain words, since it is a rule of the product rather than a fault. Unsigned declarations issued by the key lose
// their issuer with it (the store clears the reference), so the dialog counts them before Delete can be pressed.

import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Fingerprint } from '../../components/Fingerprint';
import { useToasts } from '../../components/Toasts';
import { useAction } from '../../lib/useAction';
import { useOperation } from '../../lib/useOperation';
import type { KeyView } from './types';

/** What the key's unsigned declarations become, in words; empty when it issues none. */
function issuedUnsignedWarning(drafts: number, finalized: number): string {
  const sentences: string[] = [];
  if (drafts > 0) {
    const one = drafts === 1;
    sentences.push(
      `${drafts} Draft${one ? '' : 's'} name${one ? 's' : ''} this key as ${one ? 'its' : 'their'} issuer and lose${one ? 's' : ''} it: choose another issuer before finalizing ${one ? 'it' : 'them'}.`,
    );
  }
  if (finalized > 0) {
    const one = finalized === 1;
    sentences.push(`${finalized} Finalized declaration${one ? '' : 's'} waiting for this key’s signature can then no longer be signed.`);
  }
  return sentences.join(' ');
}

export function DeleteKeyDialog({ keyView, onClose, onDone }: { keyView: KeyView; onClose(): void; onDone(): void }) {
  const action = useAction();
  const toasts = useToasts();
  const preview = useOperation('keys.deletePreview', { id: keyView.id });
  const warning = preview.value ? issuedUnsignedWarning(preview.value.drafts_losing_issuer, preview.value.finalized_losing_issuer) : '';

  async function confirm() {
    const result = await action.run('keys.delete', { id: keyView.id });
    if (!result) return;
    toasts.show({ tone: 'success', title: 'Key deleted', message: keyView.label });
    onDone();
  }

  return (
    <ConfirmDialog
      open
      title={`Delete “${keyView.label}”?`}
      confirmLabel="Delete key"
      tone="danger"
      busy={action.busy}
      ready={!preview.loading}
      {...(keyView.has_private_key ? { confirmPhrase: keyView.label } : {})}
      onConfirm={() => void confirm()}
      onCancel={onClose}
    >
      <Fingerprint value={keyView.fingerprint} block />
      {keyView.has_private_key ? (
        <p>
          This store holds the <strong>private key</strong>. It is erased for good: unless you exported it, you can no longer sign or
          countersign with it{keyView.type === 'nostr' ? ', nor answer a relay’s NIP-42 AUTH' : ''}. Declarations it already signed stay valid.
        </p>
      ) : (
        <p>
          This is a watch-only public key. Its label and role are erased from this store; declarations it signed stay valid, and you can
          import its public key again.
        </p>
      )}
      {warning && <p className="callout warning">{warning}</p>}
      {preview.error && <ErrorBanner error={preview.error} onDismiss={preview.dismissError} />}
      {action.error && (
        <>
          <ErrorBanner error={action.error} onDismiss={() => action.setError(undefined)} />
          {action.error.code === 'last_nostr_key' && (
            <p className="callout" data-explains="last_nostr_key">
              Every administrator must keep at least one Nostr key it can sign with: Nostr keys sign declarations, wrap
              Ed25519/RSA/ML-DSA signatures and log in to relays. Generate or import another Nostr key first, then delete this one.
            </p>
          )}
        </>
      )}
    </ConfirmDialog>
  );
}
