// Live discovery reaches the window as progress events (operation `discovery.import`, one per import batch); screens
// that show imported data refresh on them instead of waiting for the person to press Refresh.

import { useEffect, useRef } from 'react';
import type { ProgressEnvelope } from '../../electron/ipc/contract';
import { onProgress } from '../api/client';

export const DISCOVERY_IMPORT = 'discovery.import';

export interface DiscoveryImportDetail {
  relay: string;
  /** Declarations stored or refused by this batch (repeats after a reconnect change nothing). */
  changed: number;
  verified: number;
  quarantined: number;
  /** Declarations a list may already show that the batch changed (updated, revoked, superseded): refetch these rows. */
  refreshUuids: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The batch an event announces, or undefined for any other progress (untrusted shape: read field by field). */
export function discoveryImportOf(progress: ProgressEnvelope): DiscoveryImportDetail | undefined {
  if (progress.operation !== DISCOVERY_IMPORT) return undefined;
  const detail = (progress.event as { detail?: unknown } | null)?.detail;
  if (typeof detail !== 'object' || detail === null) return undefined;
  const d = detail as Record<string, unknown>;
  const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
  const refreshUuids = Array.isArray(d.refresh_uuids) ? d.refresh_uuids.filter((u): u is string => typeof u === 'string' && UUID.test(u)).slice(0, 500) : [];
  return { relay: typeof d.relay === 'string' ? d.relay : '', changed: count(d.changed), verified: count(d.verified), quarantined: count(d.quarantined), refreshUuids };
}

/** Calls `onImport` for every discovery import batch while the component is mounted. */
export function useDiscoveryImports(onImport: (detail: DiscoveryImportDetail) => void): void {
  const latest = useRef(onImport);
  latest.current = onImport;
  useEffect(
    () =>
      onProgress((progress) => {
        const detail = discoveryImportOf(progress);
        if (detail) latest.current(detail);
      }),
    [],
  );
}
