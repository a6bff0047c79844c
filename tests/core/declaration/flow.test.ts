import { describe, expect, it } from 'vitest';
import { verifyAll, verifyDeclaration } from '../../../electron/core/declaration';
import { AT, ed25519WrappedBundle, keys, nostrSignedBundle } from './helpers';

describe('sign → bundle → verify', () => {
  it('verifies a Nostr-signed declaration with a Nostr countersignature', () => {
    const { bundle, signedData } = nostrSignedBundle();
    const report = verifyDeclaration(JSON.stringify(bundle), { at: AT });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.valid).toBe(true);
    expect(report.signed_data).toEqual(signedData);
    expect(report.signer?.canonical_name).toBe(keys.nostrIssuer.canonicalName);
    expect(report.countersigners.map((c) => c.canonical_name)).toEqual([keys.nostrCountersigner.canonicalName]);
    expect(report.events.map((e) => e.role).sort()).toEqual(['countersignature', 'primary']);
  });

  it('verifies an Ed25519-signed wrapped declaration with detached and Nostr countersignatures', () => {
    const { bundle } = ed25519WrappedBundle();
    const report = verifyDeclaration(JSON.stringify(bundle), { at: AT });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.valid).toBe(true);
    expect(report.countersigners.map((c) => [c.via, c.canonical_name]).sort()).toEqual(
      [
        ['detached', keys.ed25519Countersigner.canonicalName],
        ['nostr-event', keys.nostrCountersigner.canonicalName],
      ].sort(),
    );
    expect(verifyAll(JSON.stringify(bundle), { at: AT })).toHaveLength(1);
  });
});
