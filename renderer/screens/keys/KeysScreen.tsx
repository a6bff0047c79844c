// Keys: what this store holds (signing keys) and watches (other administrators' public keys). Generate, import,
// export (public, or private encrypted with a password) and delete; nothing here ever shows a private key.

import { useState } from 'react';
import { Badge } from '../../components/Badge';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Fingerprint } from '../../components/Fingerprint';
import { Icon } from '../../components/Icon';
import { Spinner } from '../../components/Progress';
import { ALGORITHM_LABELS, ROLE_LABELS } from '../../lib/format';
import { useOperation } from '../../lib/useOperation';
import { DeleteKeyDialog } from './DeleteKeyDialog';
import { ExportKeyDialog } from './ExportKeyDialog';
import { GenerateKeyDialog } from './GenerateKeyDialog';
import { ImportKeyDialog } from './ImportKeyDialog';
import type { KeyView } from './types';

type Dialog = { kind: 'generate' } | { kind: 'import' } | { kind: 'export'; key: KeyView } | { kind: 'delete'; key: KeyView } | undefined;

export function KeysScreen() {
  const keys = useOperation('keys.list', {});
  const [dialog, setDialog] = useState<Dialog>();
  const list = keys.value?.keys ?? [];
  const close = () => setDialog(undefined);
  const closeAndReload = () => {
    setDialog(undefined);
    keys.reload();
  };

  return (
    <div className="stack">
      <div className="toolbar">
        <button type="button" className="button primary" onClick={() => setDialog({ kind: 'generate' })}>
          <Icon name="plus" />
          Generate key
        </button>
        <button type="button" className="button" onClick={() => setDialog({ kind: 'import' })}>
          <Icon name="upload" />
          Import key
        </button>
        <span className="toolbar-note">{list.length > 0 && `${list.length} key${list.length === 1 ? '' : 's'} · ${list.filter((k) => k.has_private_key).length} with private key`}</span>
      </div>
      {keys.error && <ErrorBanner error={keys.error} onDismiss={keys.dismissError} />}
      <div className="panel" aria-busy={keys.loading}>
        {keys.loading && keys.value === undefined ? (
          <Spinner label="Loading keys…" />
        ) : list.length === 0 ? (
          <EmptyState
            icon="key"
            title="No keys yet"
            text="Generate a signing key or import one (nsec, ncryptsec, PEM, PKCS#12) to start signing declarations. An administrator always needs at least one Nostr key."
            action={{ label: 'Generate key', onClick: () => setDialog({ kind: 'generate' }) }}
          />
        ) : (
          <table className="table keys-table" aria-label="Keys">
            <thead>
              <tr>
                <th scope="col">Label</th>
                <th scope="col">Type</th>
                <th scope="col">Role</th>
                <th scope="col">Fingerprint</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((key) => (
                <tr key={key.id} data-key-id={key.id}>
                  <td>
                    <div className="cell-title">{key.label}</div>
                    <div className="cell-sub mono" title={key.canonical_name}>
                      {key.canonical_name.length > 24 ? `${key.canonical_name.slice(0, 17)}…${key.canonical_name.slice(-6)}` : key.canonical_name}
                    </div>
                  </td>
                  <td>
                    <div>{ALGORITHM_LABELS[key.type]}</div>
                    <span className="badges">
                      {key.has_private_key ? <Badge tone="success">Private key</Badge> : <Badge>Watch only</Badge>}
                      {key.experimental && (
                        <Badge tone="warning" title="Post-quantum signatures are new; keep a classical key alongside">
                          Experimental
                        </Badge>
                      )}
                    </span>
                  </td>
                  <td>{ROLE_LABELS[key.role]}</td>
                  <td className="fingerprint-cell">
                    <Fingerprint value={key.fingerprint} />
                  </td>
                  <td className="row-actions">
                    <button type="button" className="button small" onClick={() => setDialog({ kind: 'export', key })} aria-label={`Export ${key.label}`}>
                      Export…
                    </button>
                    <button type="button" className="button small ghost danger-text" onClick={() => setDialog({ kind: 'delete', key })} aria-label={`Delete ${key.label}`}>
                      Delete…
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <GenerateKeyDialog open={dialog?.kind === 'generate'} onClose={close} onDone={closeAndReload} />
      <ImportKeyDialog open={dialog?.kind === 'import'} onClose={close} onDone={closeAndReload} />
      {dialog?.kind === 'export' && <ExportKeyDialog keyView={dialog.key} onClose={close} />}
      {dialog?.kind === 'delete' && <DeleteKeyDialog keyView={dialog.key} onClose={close} onDone={closeAndReload} />}
    </div>
  );
}
