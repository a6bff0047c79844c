// Discarding erases a declaration that was never signed (Draft or Finalized). The dialog names it and says why nothing
// needs revoking. When other declarations still name it (`referenced_by_declarations`), they are linked so they can be
// discarded or edited first.

import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useToasts } from '../../components/Toasts';
import { TYPE_LABELS } from '../../lib/format';
import { navigate, routeHref } from '../../lib/router';
import { useAction } from '../../lib/useAction';
import type { DeclarationView } from './types';

interface Referring {
  declaration_uuid: string;
  declaration_type: keyof typeof TYPE_LABELS;
  status: string;
}

export function DiscardDialog({ declaration, onClose }: { declaration: DeclarationView; onClose(): void }) {
  const action = useAction();
  const toasts = useToasts();
  const type = TYPE_LABELS[declaration.declaration_type];
  const referring = action.error?.code === 'referenced_by_declarations' ? ((action.error.details?.referring as Referring[] | undefined) ?? []) : [];

  async function confirm() {
    const discarded = await action.run('declarations.discard', { uuid: declaration.declaration_uuid });
    if (!discarded) return;
    toasts.show({ tone: 'success', title: 'Declaration discarded', message: `${type} ${discarded.declaration_uuid}` });
    navigate('declarations');
  }

  return (
    <ConfirmDialog open title={`Discard this ${declaration.status === 'Draft' ? 'Draft' : 'Finalized declaration'}?`} confirmLabel="Discard declaration" tone="danger" busy={action.busy} onConfirm={() => void confirm()} onCancel={onClose}>
      <dl className="summary-list">
        <dt>Type</dt>
        <dd>{type}</dd>
        <dt>UUID</dt>
        <dd className="mono break">{declaration.declaration_uuid}</dd>
        <dt>Subject</dt>
        <dd className="mono break">{declaration.target_canonical_name ?? '—'}</dd>
      </dl>
      <p>
        It is <strong>erased from this store</strong>. It was never signed or published, so no copy exists anywhere else and there is
        nothing to revoke. The audit log keeps its UUID, type and content hash.
      </p>
      {action.error && <ErrorBanner error={action.error} onDismiss={() => action.setError(undefined)} />}
      {referring.length > 0 && (
        <ul className="plain-list" aria-label="Declarations that name it">
          {referring.map((r) => (
            <li key={r.declaration_uuid}>
              {r.status} {TYPE_LABELS[r.declaration_type]} <a className="mono" href={routeHref('declarations', r.declaration_uuid)}>{r.declaration_uuid}</a>
            </li>
          ))}
        </ul>
      )}
    </ConfirmDialog>
  );
}
