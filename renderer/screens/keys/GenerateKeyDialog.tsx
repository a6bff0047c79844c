import { useId, useState } from 'react';
import type { KeyAlgorithm, KeyRole } from '../../../electron/core/keys/types';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Modal } from '../../components/Modal';
import { RoleField } from '../../components/RoleField';
import { useToasts } from '../../components/Toasts';
import { useAction } from '../../lib/useAction';

const CHOICES: readonly { value: KeyAlgorithm; title: string; text: string; experimental?: boolean }[] = [
  { value: 'nostr', title: 'Nostr (secp256k1, BIP-340)', text: 'Signs declarations as Nostr events and wraps other signatures. Every administrator needs one.' },
  { value: 'ed25519', title: 'Ed25519', text: 'Compact and fast; its signatures travel wrapped in a Nostr event.' },
  { value: 'rsa', title: 'RSA', text: 'For organisations whose policy requires RSA (RSASSA-PSS, SHA-256).' },
  { value: 'ml-dsa-65', title: 'ML-DSA-65 (post-quantum)', text: 'FIPS 204. New: keep a classical key alongside it.', experimental: true },
];
const RSA_BITS = [2048, 3072, 4096] as const;

export function GenerateKeyDialog({ open, onClose, onDone }: { open: boolean; onClose(): void; onDone(): void }) {
  const action = useAction();
  const toasts = useToasts();
  const [label, setLabel] = useState('');
  const [algorithm, setAlgorithm] = useState<KeyAlgorithm>('nostr');
  const [role, setRole] = useState<KeyRole>('none');
  const [bits, setBits] = useState<number>(3072);
  const ids = { label: useId(), role: useId(), bits: useId(), legend: useId() };

  function reset() {
    setLabel('');
    setAlgorithm('nostr');
    setRole('none');
    action.setError(undefined);
  }

  async function submit() {
    const key = await action.run('keys.generate', { algorithm, label: label.trim(), role, ...(algorithm === 'rsa' ? { rsa_bits: bits } : {}) });
    if (!key) return;
    toasts.show({ tone: 'success', title: 'Key generated', message: `${key.label} · ${key.fingerprint_grouped.split(' ').slice(0, 2).join(' ')}…` });
    reset();
    onDone();
  }

  return (
    <Modal
      open={open}
      title="Generate a key"
      submitLabel={action.busy && algorithm === 'rsa' ? 'Generating…' : 'Generate'}
      canSubmit={label.trim() !== ''}
      busy={action.busy}
      wide
      onSubmit={() => void submit()}
      onClose={() => {
        reset();
        onClose();
      }}
    >
      {action.error && <ErrorBanner error={action.error} onDismiss={() => action.setError(undefined)} />}
      <div className="field">
        <label htmlFor={ids.label}>Label</label>
        <input id={ids.label} className="input" value={label} autoFocus placeholder="e.g. Alice — operations 2026" onChange={(e) => setLabel(e.target.value)} />
      </div>
      <fieldset className="choice-group" aria-labelledby={ids.legend}>
        <legend id={ids.legend}>Algorithm</legend>
        {CHOICES.map((choice) => (
          <label key={choice.value} className={algorithm === choice.value ? 'choice selected' : 'choice'}>
            <input type="radio" name="algorithm" value={choice.value} checked={algorithm === choice.value} onChange={() => setAlgorithm(choice.value)} />
            <span>
              <span className="choice-title">
                {choice.title} {choice.experimental && <span className="badge warning">Experimental</span>}
              </span>
              <span className="choice-text">{choice.text}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="field-row">
        <RoleField id={ids.role} value={role} onChange={setRole} />
        {algorithm === 'rsa' && (
          <div className="field">
            <label htmlFor={ids.bits}>Key size</label>
            <select id={ids.bits} className="input" value={bits} onChange={(e) => setBits(Number(e.target.value))}>
              {RSA_BITS.map((b) => (
                <option key={b} value={b}>
                  {b} bits{b === 3072 ? ' (recommended)' : ''}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
    </Modal>
  );
}
