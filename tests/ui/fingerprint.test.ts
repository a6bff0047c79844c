import { describe, expect, it } from 'vitest';
import { fingerprintOf, groupFingerprint } from '../../electron/core/keys/identity';
import { fingerprintGroups } from '../../renderer/lib/fingerprint';

describe('renderer fingerprint grouping', () => {
  it('reads a SHA-256 fingerprint as 16 groups of 4, the same way the core prints it', () => {
    const fingerprint = fingerprintOf(new Uint8Array(32).fill(7));
    const groups = fingerprintGroups(fingerprint);
    expect(groups).toHaveLength(16);
    expect(groups.every((g) => g.length === 4)).toBe(true);
    expect(groups.join(' ')).toBe(groupFingerprint(fingerprint));
  });

  it('keeps a short tail group rather than padding it', () => {
    expect(fingerprintGroups('abcdef')).toEqual(['abcd', 'ef']);
    expect(fingerprintGroups('')).toEqual([]);
  });
});
