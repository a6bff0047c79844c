// Export: public formats show at once; a private key is exported only encrypted, after a confirmation, with a
// password typed twice. The exported text is shown with Copy and Save, and is dropped when the dialog closes.

import { useId, useState } from 'react';
import type { KeyAlgorithm } from '../../../electron/core/keys/types';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Fingerprint } from '../../components/Fingerprint';
import { Modal } from '../../components/Modal';
import { downloadText } from '../../lib/download';
import { useAction } from '../../lib/useAction';
import type { KeyView } from './types';

type Format = 'npub' | 'hex' | 'pem' | 'ncryptsec' | 'pem-private';

const FORMAT_LABELS: Record<Format, string> = {
  npub: 'npub (Nostr public key)',
  hex: 'Hex public key',
  pem: 'PEM public key (SubjectPublicKeyInfo)',
  ncryptsec: 'ncryptsec — private key encrypted with a password (NIP-49)',
  'pem-private': 'Encrypted PEM — private key, PKCS#8 with a password',
};

function formatsFor(algorithm: KeyAlgorithm, hasPrivate: boolean): Format[] {
  const publicFormats: Format[] = algorithm === 'nostr' ? ['npub', 'hex'] : algorithm === 'ml-dsa-65' ? ['hex'] : ['pem', 'hex'];
  // ML-DSA private keys have no interoperable encrypted format yet (the operation says so too).
  if (!hasPrivate || algorithm === 'ml-dsa-65') return publicFormats;
  return [...publicFormats, algorithm === 'nostr' ? 'ncryptsec' : 'pem-private'];
}

const MIN_PASSWORD = 8;

export function ExportKeyDialog({ keyView, onClose }: { keyView: KeyView; onClose(): void }) {
  const formats = formatsFor(keyView.type, keyView.has_private_key);
  const action = useAction();
  const [format, setFormat] = useState<Format>(formats[0]!);
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [understood, setUnderstood] = useState(false);
  const [exported, setExported] = useState<{ format: string; data: string }>();
  const ids = { legend: useId(), password: useId(), repeat: useId(), output: useId() };

  const isPrivate = format === 'ncryptsec' || format === 'pem-private';
  const passwordOk = !isPrivate || (password.length >= MIN_PASSWORD && password === repeat && understood);

  async function submit() {
    const result = await action.run('keys.export', { id: keyView.id, format, ...(isPrivate ? { password } : {}) });
    setPassword('');
    setRepeat('');
    if (result) setExported({ format: result.format, data: result.data });
  }

  const extension = format === 'npub' || format === 'ncryptsec' || format === 'hex' ? 'txt' : 'pem';
  return (
    <Modal
      open
      title={`Export “${keyView.label}”`}
      {...(exported ? {} : { submitLabel: isPrivate ? 'Export encrypted private key' : 'Export', canSubmit: passwordOk, onSubmit: () => void submit() })}
      submitTone={isPrivate ? 'danger' : 'primary'}
      busy={action.busy}
      wide
      onClose={onClose}
    >
      <Fingerprint value={keyView.fingerprint} block />
      {action.error && <ErrorBanner error={action.error} onDismiss={() => action.setError(undefined)} />}
      {exported ? (
        <div className="field">
          <label htmlFor={ids.output}>{FORMAT_LABELS[exported.format as Format] ?? exported.format}</label>
          <textarea id={ids.output} className="input mono" rows={exported.data.length > 200 ? 8 : 3} readOnly value={exported.data} onFocus={(e) => e.currentTarget.select()} />
          <div className="inline-actions">
            <button type="button" className="button" onClick={() => void navigator.clipboard?.writeText(exported.data)}>
              Copy
            </button>
            <button type="button" className="button" onClick={() => downloadText(`${keyView.label.replace(/[^\w.-]+/g, '_')}.${extension}`, exported.data + '\n', 'text/plain')}>
              Save to file…
            </button>
          </div>
        </div>
      ) : (
        <>
          <fieldset className="choice-group" aria-labelledby={ids.legend}>
            <legend id={ids.legend}>Format</legend>
            {formats.map((f) => (
              <label key={f} className={format === f ? 'choice selected' : 'choice'}>
                <input type="radio" name="format" value={f} checked={format === f} onChange={() => setFormat(f)} />
                <span className="choice-title">{FORMAT_LABELS[f]}</span>
              </label>
            ))}
          </fieldset>
          {isPrivate && (
            <>
              <p className="callout warning">
                Anyone with this file and its password can sign as this key. Choose a strong password and keep the file offline.
              </p>
              <div className="field-row">
                <div className="field">
                  <label htmlFor={ids.password}>Password</label>
                  <input id={ids.password} className="input" type="password" autoComplete="new-password" value={password} aria-invalid={password.length > 0 && password.length < MIN_PASSWORD} onChange={(e) => setPassword(e.target.value)} />
                  <span className="hint">At least {MIN_PASSWORD} characters.</span>
                </div>
                <div className="field">
                  <label htmlFor={ids.repeat}>Repeat password</label>
                  <input id={ids.repeat} className="input" type="password" autoComplete="new-password" value={repeat} aria-invalid={repeat.length > 0 && repeat !== password} onChange={(e) => setRepeat(e.target.value)} />
                  {repeat.length > 0 && repeat !== password && <span className="hint">The passwords do not match.</span>}
                </div>
              </div>
              <label className="checkbox">
                <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} />
                I understand this exports the private key of “{keyView.label}”.
              </label>
            </>
          )}
        </>
      )}
    </Modal>
  );
}
