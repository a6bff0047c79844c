// Choosing who issues a declaration and whom it is about. The creation wizard and a Draft's details screen share these
// pickers, so the two places offer the same keys, named the same way.

import { useId } from 'react';
import type { InputOf } from '../../api/client';
import type { KeyAlgorithm } from '../../../electron/core/keys/types';
import { Fingerprint } from '../../components/Fingerprint';
import { KeySelect } from '../../components/KeySelect';
import type { KeyView } from '../keys/types';

/** Only a key whose private key is in this store can sign, so only those can issue (the store refuses any other). */
export function issuerCandidates(keys: readonly KeyView[]): KeyView[] {
  return keys.filter((k) => k.has_private_key);
}

export function IssuerPicker({ keys, value, onChange }: { keys: readonly KeyView[]; value: string; onChange(id: string): void }) {
  const chosen = keys.find((k) => k.id === value);
  return (
    <>
      <KeySelect label="Issuer key" keys={issuerCandidates(keys)} value={value} onChange={onChange} hint="Ed25519, RSA and ML-DSA signatures are carried inside a Nostr event of one of your Nostr keys." />
      {chosen && <Fingerprint value={chosen.fingerprint} block />}
    </>
  );
}

/** A subject is one of this store's keys, or a pasted public key the store resolves (npub, hex or PEM). */
export interface SubjectChoice {
  mode: 'local' | 'external';
  keyId: string;
  pubkey: string;
  algorithm: KeyAlgorithm | '';
}

export const NO_SUBJECT: SubjectChoice = { mode: 'local', keyId: '', pubkey: '', algorithm: '' };

export function isSubjectChosen(choice: SubjectChoice, keys: readonly KeyView[]): boolean {
  return choice.mode === 'local' ? keys.some((k) => k.id === choice.keyId) : choice.pubkey.trim() !== '';
}

type SubjectInput = Pick<InputOf<'declarations.create'>, 'subject' | 'subject_pubkey' | 'subject_algorithm'>;

/** The subject fields of declarations.create and declarations.update for this choice. */
export function subjectInput(choice: SubjectChoice): SubjectInput {
  if (choice.mode === 'local') return { subject: choice.keyId };
  return { subject_pubkey: choice.pubkey.trim(), ...(choice.algorithm ? { subject_algorithm: choice.algorithm } : {}) };
}

export function SubjectPicker({ keys, value, onChange }: { keys: readonly KeyView[]; value: SubjectChoice; onChange(choice: SubjectChoice): void }) {
  const ids = { pubkey: useId(), algorithm: useId() };
  const set = (patch: Partial<SubjectChoice>) => onChange({ ...value, ...patch });
  const chosen = keys.find((k) => k.id === value.keyId);
  return (
    <>
      <div className="segmented" role="radiogroup" aria-label="Subject source">
        <button type="button" role="radio" aria-checked={value.mode === 'local'} onClick={() => set({ mode: 'local' })}>
          A key in this store
        </button>
        <button type="button" role="radio" aria-checked={value.mode === 'external'} onClick={() => set({ mode: 'external' })}>
          Paste a public key
        </button>
      </div>
      {value.mode === 'local' ? (
        <>
          <KeySelect label="Subject key" keys={keys} value={value.keyId} onChange={(keyId) => set({ keyId })} hint="The key this declaration is about: who receives the trust, privilege or delegation." />
          {chosen && <Fingerprint value={chosen.fingerprint} block />}
        </>
      ) : (
        <div className="field-row">
          <div className="field span-2">
            <label htmlFor={ids.pubkey}>Subject public key</label>
            <textarea id={ids.pubkey} className="input mono" rows={4} spellCheck={false} placeholder="npub1…, 64 hex characters, or -----BEGIN PUBLIC KEY-----" value={value.pubkey} onChange={(e) => set({ pubkey: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={ids.algorithm}>Algorithm of a hex key</label>
            <select id={ids.algorithm} className="input" value={value.algorithm} onChange={(e) => set({ algorithm: e.target.value as KeyAlgorithm | '' })}>
              <option value="">Nostr (or detect from npub/PEM)</option>
              <option value="ed25519">Ed25519</option>
              <option value="ml-dsa-65">ML-DSA-65</option>
            </select>
          </div>
        </div>
      )}
    </>
  );
}
