// Import a private or public key: paste text (nsec, ncryptsec, npub, hex, PEM) or choose a file (PEM, PKCS#12);
// binary files travel as base64. A password is asked for when the key is encrypted.

import { useId, useState } from 'react';
import type { KeyAlgorithm, KeyRole } from '../../../electron/core/keys/types';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Modal } from '../../components/Modal';
import { RoleField } from '../../components/RoleField';
import { useToasts } from '../../components/Toasts';
import { readFileForImport } from '../../lib/download';
import { ALGORITHM_LABELS } from '../../lib/format';
import { useAction } from '../../lib/useAction';

const ALGORITHMS: readonly KeyAlgorithm[] = ['nostr', 'ed25519', 'rsa', 'ml-dsa-65'];

type Source = { text: string; fileName?: string } | { base64: string; fileName: string };

/** Whether the pasted or chosen key is one that needs its password. */
function looksEncrypted(source: Source | undefined): boolean {
  if (!source) return false;
  // Binary key files are PKCS#12 containers in practice, which are always password-protected.
  if ('base64' in source) return true;
  return /ncryptsec1|ENCRYPTED PRIVATE KEY|Proc-Type: 4,ENCRYPTED/.test(source.text);
}

export function ImportKeyDialog({ open, onClose, onDone }: { open: boolean; onClose(): void; onDone(): void }) {
  const action = useAction();
  const toasts = useToasts();
  const [mode, setMode] = useState<'paste' | 'file'>('paste');
  const [text, setText] = useState('');
  const [file, setFile] = useState<{ base64: string; fileName: string } | { text: string; fileName: string }>();
  const [password, setPassword] = useState('');
  const [label, setLabel] = useState('');
  const [role, setRole] = useState<KeyRole>('none');
  const [algorithm, setAlgorithm] = useState<KeyAlgorithm | ''>('');
  const ids = { text: useId(), file: useId(), password: useId(), label: useId(), role: useId(), algorithm: useId(), hint: useId() };

  const source: Source | undefined = mode === 'paste' ? (text.trim() ? { text } : undefined) : file;
  const needsPassword = looksEncrypted(source);

  function reset() {
    setText('');
    setFile(undefined);
    setPassword('');
    setLabel('');
    setRole('none');
    setAlgorithm('');
    action.setError(undefined);
  }

  async function choose(chosen: File | undefined) {
    if (!chosen) return setFile(undefined);
    const read = await readFileForImport(chosen);
    setFile({ ...read, fileName: chosen.name });
    if (!label) setLabel(chosen.name.replace(/\.[^.]+$/, ''));
  }

  async function submit() {
    if (!source) return;
    const key = await action.run('keys.import', {
      ...('base64' in source ? { data_base64: source.base64 } : { data_text: source.text.trim() }),
      ...(password ? { password } : {}),
      ...(algorithm ? { algorithm } : {}),
      label: label.trim(),
      role,
    });
    setPassword('');
    if (!key) return;
    toasts.show({ tone: 'success', title: key.has_private_key ? 'Signing key imported' : 'Public key imported (watch only)', message: key.label });
    reset();
    onDone();
  }

  return (
    <Modal
      open={open}
      title="Import a key"
      submitLabel="Import"
      canSubmit={source !== undefined && label.trim() !== ''}
      busy={action.busy}
      wide
      onSubmit={() => void submit()}
      onClose={() => {
        reset();
        onClose();
      }}
    >
      {action.error && <ErrorBanner error={action.error} onDismiss={() => action.setError(undefined)} />}
      <div className="segmented" role="radiogroup" aria-label="Key source">
        <button type="button" role="radio" aria-checked={mode === 'paste'} onClick={() => setMode('paste')}>
          Paste text
        </button>
        <button type="button" role="radio" aria-checked={mode === 'file'} onClick={() => setMode('file')}>
          Choose a file
        </button>
      </div>
      {mode === 'paste' ? (
        <div className="field">
          <label htmlFor={ids.text}>Key</label>
          <textarea
            id={ids.text}
            className="input mono"
            rows={5}
            spellCheck={false}
            autoComplete="off"
            placeholder="nsec1…, ncryptsec1…, npub1…, 64 hex characters, or -----BEGIN … KEY-----"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
      ) : (
        <div className="field">
          <label htmlFor={ids.file}>Key file</label>
          <input id={ids.file} className="input" type="file" accept=".pem,.p12,.pfx,.key,.pub,.txt,.der" onChange={(e) => void choose(e.target.files?.[0])} />
          {file && <span className="hint">{file.fileName} · {'base64' in file ? 'binary (sent as base64)' : 'text'}</span>}
        </div>
      )}
      <div className="field">
        <label htmlFor={ids.password}>Password{needsPassword ? '' : ' (only for encrypted keys)'}</label>
        <input id={ids.password} className="input" type="password" autoComplete="off" value={password} aria-describedby={ids.hint} onChange={(e) => setPassword(e.target.value)} />
        <span className="hint" id={ids.hint}>
          Needed for ncryptsec, encrypted PEM and PKCS#12 files. It is used once to decrypt and then forgotten.
        </span>
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={ids.label}>Label</label>
          <input id={ids.label} className="input" value={label} onChange={(e) => setLabel(e.target.value)} />
        </div>
        <RoleField id={ids.role} value={role} onChange={setRole} />
        <div className="field">
          <label htmlFor={ids.algorithm}>Algorithm</label>
          <select id={ids.algorithm} className="input" value={algorithm} onChange={(e) => setAlgorithm(e.target.value as KeyAlgorithm | '')}>
            <option value="">Detect from the key</option>
            {ALGORITHMS.map((a) => (
              <option key={a} value={a}>
                {ALGORITHM_LABELS[a]}
              </option>
            ))}
          </select>
        </div>
      </div>
    </Modal>
  );
}
