// Names for keys the screens show by fingerprint or canonical name: this store's keys (label, role) and the pinned
// anchors (label). Anything else is shown by a shortened canonical name, or fingerprint groups when even that is unknown.

import { useMemo } from 'react';
import { isUnavailableOperation } from './availability';
import { fingerprintGroups } from './fingerprint';
import { shorten } from './format';
import { useOperation } from './useOperation';

export interface KeyName {
  /** The local key's label, else the anchor's label. */
  label: string | null;
  canonical_name: string | null;
  /** The local key's role, when the store holds this key. */
  role: string | null;
  isLocal: boolean;
  isAnchor: boolean;
}

export interface KeyDirectory {
  byFingerprint(fingerprint: string): KeyName | undefined;
  /** The label of a local key or anchor with this canonical name (npub1… or ALG:FINGERPRINT). */
  labelOf(canonicalName: string | null | undefined): string | undefined;
  /** Label if known, else the short canonical name, else the first fingerprint groups. */
  display(fingerprint: string, canonicalName?: string | null): { title: string; sub: string | null };
  anchorCount: number | undefined;
  reload(): void;
}

export function shortCanonical(name: string): string {
  if (name.startsWith('npub1')) return shorten(name, 12);
  const [algorithm, fingerprint] = name.split(':', 2);
  return fingerprint ? `${algorithm}:${fingerprintGroups(fingerprint).slice(0, 3).join(' ')}…` : shorten(name, 12);
}

export function useKeyDirectory(): KeyDirectory {
  const keys = useOperation('keys.list', {});
  // Names only: the key-change warnings (which read every signed declaration) are the Anchors screen's business.
  const anchors = useOperation('anchors.list', { include_warnings: false });
  const keyRows = keys.value?.keys;
  const anchorValue = anchors.value;
  const anchorsMissing = isUnavailableOperation(anchors.error);
  const { reload: reloadKeys } = keys;
  const { reload: reloadAnchors } = anchors;

  return useMemo<KeyDirectory>(() => {
    const anchorRows = anchorsMissing ? [] : (anchorValue?.anchors ?? []);
    const byFingerprint = new Map<string, KeyName>();
    const byCanonical = new Map<string, string>();
    for (const anchor of anchorRows) {
      byFingerprint.set(anchor.fingerprint, { label: anchor.label, canonical_name: anchor.canonical_name, role: null, isLocal: false, isAnchor: true });
      if (anchor.label) byCanonical.set(anchor.canonical_name, anchor.label);
    }
    for (const key of keyRows ?? []) {
      const anchor = byFingerprint.get(key.fingerprint);
      byFingerprint.set(key.fingerprint, { label: key.label, canonical_name: key.canonical_name, role: key.role, isLocal: true, isAnchor: anchor !== undefined });
      byCanonical.set(key.canonical_name, key.label);
    }
    return {
      byFingerprint: (fingerprint) => byFingerprint.get(fingerprint),
      labelOf: (name) => (name ? byCanonical.get(name) : undefined),
      display(fingerprint, canonicalName) {
        const known = byFingerprint.get(fingerprint);
        const name = known?.canonical_name ?? canonicalName ?? null;
        const sub = name ? shortCanonical(name) : null;
        if (known?.label) return { title: known.label, sub };
        return { title: sub ?? `key ${fingerprintGroups(fingerprint).slice(0, 4).join(' ')}…`, sub: null };
      },
      anchorCount: anchorValue ? anchorRows.length : undefined,
      reload: () => {
        reloadKeys();
        reloadAnchors();
      },
    };
  }, [keyRows, anchorValue, anchorsMissing, reloadKeys, reloadAnchors]);
}
