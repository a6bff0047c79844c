// Scope containment, content parsing and anchor pinning: the decidable pieces the evaluator stands on.

import { describe, expect, it } from 'vitest';
import { namespaceCovers, parseAuthorityContent, pinAnchor, scopeWithin } from '../../../electron/core/authority';
import { deepFreeze } from '../../../electron/core/deep-freeze';
import { makeKey } from './fixture';

describe('scopeWithin', () => {
  const table: [unknown, unknown, boolean][] = [
    ['*', '*', true],
    [{ namespaces: ['a'] }, '*', true],
    ['*', { namespaces: ['a'] }, false],
    [{ namespaces: ['a/b'] }, { namespaces: ['a'] }, true],
    [{ namespaces: ['a'] }, { namespaces: ['a/b'] }, false],
    [{ namespaces: ['ab'] }, { namespaces: ['a'] }, false],
    [{ namespaces: ['a/b', 'c'] }, { namespaces: ['a', 'c/d'] }, false],
    [{ namespaces: ['a/b', 'c/d/e'] }, { namespaces: ['c/d', 'a'] }, true],
  ];
  for (const [inner, outer, expected] of table) {
    it(`${JSON.stringify(inner)} within ${JSON.stringify(outer)} is ${expected}`, () => {
      expect(scopeWithin(inner as never, outer as never)).toBe(expected);
    });
  }
  it('covers by segment', () => {
    expect(namespaceCovers('games/chess', 'games/chess/blitz')).toBe(true);
    expect(namespaceCovers('games/chess', 'games/chessboard')).toBe(false);
  });
});

describe('parseAuthorityContent', () => {
  const base = { content_schema_version: 1 };
  const table: [string, Record<string, unknown>, string][] = [
    ['trust-declaration', { ...base, trust_level: 'operating-admin', permissions: ['moderate'], scope: '*' }, 'ok'],
    ['trust-declaration', { ...base, trust_level: 'operating-admin', permissions: ['moderate', 'moderate'], scope: '*' }, 'invalid_content'],
    ['trust-declaration', { ...base, trust_level: 'owner', permissions: ['moderate'], scope: '*' }, 'invalid_content'],
    ['trust-declaration', { ...base, trust_level: 'operating-admin', permissions: ['fly'], scope: '*' }, 'invalid_content'],
    ['privilege-grant', { ...base, permissions: ['moderate'], scope: { namespaces: ['Games'] } }, 'invalid_content'],
    ['privilege-grant', { ...base, permissions: ['moderate'], scope: { namespaces: [] } }, 'invalid_content'],
    ['privilege-grant', { content_schema_version: 2, permissions: ['moderate'], scope: '*' }, 'invalid_content'],
    ['metadata-delegation', { ...base, scope: { namespaces: ['games/chess'] } }, 'ok'],
    ['metadata-delegation', { ...base, scope: '*', critical: ['x'] }, 'invalid_content'],
    ['metadata-delegation', { ...base, scope: '*', critical: ['x'], extensions: { x: 1 } }, 'unknown_critical_field'],
    ['metadata-delegation', { ...base, scope: '*', extensions: { x: 1 } }, 'ok'],
    ['declaration-revoke', { ...base, target_declaration_uuid: 'not-a-uuid', reason: 'r' }, 'invalid_content'],
    [
      'declaration-update',
      { ...base, target_declaration_uuid: '00000000-0000-4000-8000-000000000000', reason: 'r', updated_declaration_type: 'privilege-grant', updated_content: { ...base, permissions: ['moderate'], scope: '*', critical: ['y'], extensions: { y: 0 } } },
      'unknown_critical_field',
    ],
    [
      'declaration-update',
      { ...base, target_declaration_uuid: '00000000-0000-4000-8000-000000000000', reason: 'r', updated_declaration_type: 'declaration-revoke', updated_content: base },
      'invalid_content',
    ],
  ];
  for (const [type, content, expected] of table) {
    it(`${type} ${JSON.stringify(content).slice(0, 90)} → ${expected}`, () => {
      const result = parseAuthorityContent(type as never, content as never);
      expect(result.ok ? 'ok' : result.rule).toBe(expected);
      // A deep-frozen content (as the store's cached declarations are) gets the same answer, remembered.
      const frozen = deepFreeze(structuredClone(content));
      const first = parseAuthorityContent(type as never, frozen as never);
      expect(first).toEqual(result);
      expect(parseAuthorityContent(type as never, frozen as never)).toBe(first);
    });
  }

  it('remembers answers only for frozen contents: an unfrozen one that changes is checked again', () => {
    const content: Record<string, unknown> = { ...base, trust_level: 'operating-admin', permissions: ['moderate'], scope: '*' };
    expect(parseAuthorityContent('trust-declaration', content as never).ok).toBe(true);
    content.trust_level = 'owner';
    expect(parseAuthorityContent('trust-declaration', content as never).ok).toBe(false);
    // The same frozen object under another type is not answered from the memo of the first.
    const frozen = deepFreeze({ ...base, scope: { namespaces: ['games'] } });
    expect(parseAuthorityContent('metadata-delegation', frozen as never).ok).toBe(true);
    expect(parseAuthorityContent('trust-declaration', frozen as never).ok).toBe(false);
  });
});

describe('pinAnchor', () => {
  it('npub, public key and fingerprint name the same anchor', () => {
    const key = makeKey('m');
    const byNpub = pinAnchor({ npub: key.canonicalName }, 'Alice');
    expect(byNpub).toEqual({ fingerprint: key.fingerprint, label: 'Alice' });
    expect(pinAnchor({ algorithm: 'nostr', publicKeyHex: key.publicKeyHex })).toEqual({ fingerprint: key.fingerprint });
    expect(pinAnchor({ fingerprint: key.fingerprint })).toEqual({ fingerprint: key.fingerprint });
  });
  it('refuses what is not a key', () => {
    expect(() => pinAnchor({ fingerprint: 'AB'.repeat(32) })).toThrow(/fingerprint/);
    expect(() => pinAnchor({ npub: 'npub1nope' })).toThrow(/npub/);
    expect(() => pinAnchor({ algorithm: 'ed25519', publicKeyHex: '00' })).toThrow(/ed25519/);
    expect(() => pinAnchor({ fingerprint: makeKey('x').fingerprint }, '')).toThrow(/label/);
  });
});
