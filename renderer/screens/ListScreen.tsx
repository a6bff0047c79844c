// Phase-1 screen body: calls the screen's list operation and shows its state. Phase 2 replaces each with the real table.

import type { OperationName } from '../api/client';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import type { IconName } from '../components/Icon';
import { Spinner } from '../components/Progress';
import { useOperation } from '../lib/useOperation';

export interface ListScreenProps {
  operation: OperationName;
  noun: string;
  icon: IconName;
  emptyTitle: string;
  emptyText: string;
}

function countOf(value: unknown): number | undefined {
  const items = (value as { items?: unknown } | null)?.items;
  return Array.isArray(items) ? items.length : undefined;
}

export function ListScreen({ operation, noun, icon, emptyTitle, emptyText }: ListScreenProps) {
  const { loading, value, error, reload, dismissError } = useOperation(operation, {});
  const count = countOf(value);
  return (
    <div className="stack">
      {error && <ErrorBanner error={error} onDismiss={dismissError} />}
      <div className="panel" aria-busy={loading}>
        {loading && value === undefined ? (
          <Spinner label={`Loading ${noun}…`} />
        ) : count === 0 || (error && value === undefined) ? (
          <EmptyState icon={icon} title={emptyTitle} text={emptyText} action={error ? { label: 'Try again', onClick: reload } : undefined} />
        ) : (
          <p className="list-summary">
            {count ?? 0} {noun}
          </p>
        )}
      </div>
    </div>
  );
}
