// Trust anchors: the Master Admin keys this administrator trusts as the roots of every authority chain.

import { useId, useState, type FormEvent } from 'react';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { Icon } from '../components/Icon';
import { NotAvailable } from '../components/NotAvailable';
import { Spinner } from '../components/Progress';
import { RecordTable, rowsOf, } from '../components/RecordTable';
import { isUnavailableOperation } from '../lib/availability';
import { useAction } from '../lib/useAction';
import { useOperation } from '../lib/useOperation';


export function AnchorsScreen() {
  const anchors = useOperation('anchors.list', {});
  const action = useAction();
  const [pubkey, setPubkey] = useState('');
  const [label, setLabel] = useState('');
  const ids = { pubkey: useId(), label: useId() };

  if (isUnavailableOperation(anchors.error)) return <NotAvailable what="Managing trust anchors" />;

  async function add(event: FormEvent) {
    event.preventDefault();
    if (await action.run('anchors.add', { key: pubkey.trim(), label: label.trim() })) {
      setPubkey('');
      setLabel('');
      anchors.reload();
    }
  }

  const rows = rowsOf(anchors.value);
  return (
    <div className="stack">
      <form className="panel form-panel" onSubmit={(e) => void add(e)}>
        <div className="field-row">
          <div className="field span-2">
            <label htmlFor={ids.pubkey}>Master Admin public key</label>
            <input id={ids.pubkey} className="input mono" placeholder="npub1…, ALG:fingerprint, or a fingerprint" value={pubkey} onChange={(e) => setPubkey(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={ids.label}>Name</label>
            <input id={ids.label} className="input" placeholder="e.g. Example Org root" value={label} onChange={(e) => setLabel(e.target.value)} />
          </div>
        </div>
        <div>
          <button type="submit" className="button primary" disabled={action.busy || pubkey.trim() === '' || label.trim() === ''}>
            <Icon name="plus" />
            Add anchor
          </button>
        </div>
      </form>
      {action.error && <ErrorBanner error={action.error} onDismiss={() => action.setError(undefined)} />}
      {anchors.error && <ErrorBanner error={anchors.error} onDismiss={anchors.dismissError} />}
      <div className="panel">
        {anchors.loading && anchors.value === undefined ? (
          <Spinner label="Loading anchors…" />
        ) : rows.length === 0 ? (
          <EmptyState icon="anchor" title="No trust anchors" text="Add the Master Admin keys you trust; verification follows delegations back to them." />
        ) : (
          <RecordTable
            rows={rows}
            label="Trust anchors"
            actions={(row) => (
              <button type="button" className="button small ghost danger-text" onClick={() => void action.run('anchors.remove', { fingerprint: String(row.fingerprint) }).then((ok) => ok !== undefined && anchors.reload())}>
                Remove
              </button>
            )}
          />
        )}
      </div>
    </div>
  );
}
