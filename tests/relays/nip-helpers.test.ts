import { describe, expect, it } from 'vitest';
import { decode } from 'nostr-tools/nip19';
import { DeclsignError } from '../../electron/core/errors';
import { buildDeclarationDeletion, declarationAddress } from '../../electron/relays/nip09';
import { parseRelayList, suggestPublishRelays, suggestQueryRelays } from '../../electron/relays/nip65';
import { declarationNaddr, declarationNevent, decodeDeclarationPointer } from '../../electron/relays/pointers';
import { makeSigner } from '../helpers/events';
import { verifyEvent } from 'nostr-tools/pure';

const author = 'a'.repeat(64);
const uuid = '3f1c2a4e-9b7d-4c1e-8f00-1234567890ab';

describe('NIP-09 deletion request', () => {
  it('addresses every version of the declaration with a and k tags', () => {
    const template = buildDeclarationDeletion({ authorPubkey: author, declarationUuid: uuid, createdAt: 1_800_000_000, reason: 'superseded' });
    expect(template).toEqual({
      kind: 5,
      created_at: 1_800_000_000,
      tags: [['a', `31106:${author}:${uuid}`], ['k', '31106']],
      content: 'superseded',
    });
    const signer = makeSigner();
    const signed = signer.sign(buildDeclarationDeletion({ authorPubkey: signer.pubkey, declarationUuid: uuid, createdAt: 1 }));
    expect(verifyEvent({ ...signed })).toBe(true);
  });

  it('can also name exact versions with e tags', () => {
    const id = 'b'.repeat(64);
    const { tags } = buildDeclarationDeletion({ authorPubkey: author, declarationUuid: uuid, createdAt: 1, eventIds: [id] });
    expect(tags).toEqual([['a', `31106:${author}:${uuid}`], ['e', id], ['k', '31106']]);
  });

  it('rejects bad input with invalid_input', () => {
    const bad = [
      () => declarationAddress('A'.repeat(64), uuid),
      () => declarationAddress(author.slice(2), uuid),
      () => declarationAddress(author, ''),
      () => buildDeclarationDeletion({ authorPubkey: author, declarationUuid: uuid, createdAt: 1.5 }),
      () => buildDeclarationDeletion({ authorPubkey: author, declarationUuid: uuid, createdAt: 1, eventIds: ['xyz'] }),
    ];
    for (const call of bad) {
      expect(call).toThrow(DeclsignError);
      try {
        call();
      } catch (error) {
        expect((error as DeclsignError).code).toBe('invalid_input');
      }
    }
  });
});

describe('NIP-19 pointers', () => {
  it('naddr carries kind 31106, author, uuid and normalised relay hints, and decodes back', () => {
    const naddr = declarationNaddr({ authorPubkey: author, declarationUuid: uuid, relays: ['WSS://Relay.Example.com/', 'wss://relay.example.com'] });
    expect(decode(naddr)).toEqual({
      type: 'naddr',
      data: { kind: 31106, pubkey: author, identifier: uuid, relays: ['wss://relay.example.com'] },
    });
    expect(decodeDeclarationPointer(`nostr:${naddr}`)).toEqual({
      type: 'address',
      authorPubkey: author,
      declarationUuid: uuid,
      relays: ['wss://relay.example.com'],
    });
  });

  it('nevent pins one version', () => {
    const id = 'c'.repeat(64);
    const nevent = declarationNevent({ eventId: id, authorPubkey: author, relays: ['wss://r.example'] });
    expect(decodeDeclarationPointer(nevent)).toEqual({ type: 'event', eventId: id, authorPubkey: author, relays: ['wss://r.example'] });
  });

  it('rejects other kinds, other NIP-19 types and garbage; drops invalid hints', async () => {
    const { naddrEncode, neventEncode, npubEncode } = await import('nostr-tools/nip19');
    const otherKind = naddrEncode({ kind: 30023, pubkey: author, identifier: 'x', relays: [] });
    expect(() => decodeDeclarationPointer(otherKind)).toThrow(/kind 30023/);
    expect(() => decodeDeclarationPointer(npubEncode(author))).toThrow(/Expected an naddr or nevent/);
    expect(() => decodeDeclarationPointer('naddr1garbage')).toThrow(DeclsignError);
    const withBadHint = neventEncode({ id: 'd'.repeat(64), relays: ['https://not-a-relay.example', 'wss://ok.example/'] });
    expect(decodeDeclarationPointer(withBadHint)).toEqual({ type: 'event', eventId: 'd'.repeat(64), relays: ['wss://ok.example'] });
    expect(() => declarationNaddr({ authorPubkey: author, declarationUuid: uuid, relays: ['https://x.example'] })).toThrow(/invalid|scheme/i);
  });
});

describe('NIP-65 relay list', () => {
  it('splits r tags by marker, normalises, deduplicates and skips bad tags', () => {
    const list = parseRelayList({
      kind: 10002,
      tags: [
        ['r', 'wss://both.example/'],
        ['r', 'wss://read.example', 'read'],
        ['r', 'wss://write.example', 'write'],
        ['r', 'WSS://BOTH.example'],
        ['r', 'https://not-a-relay.example'],
        ['r', 'wss://odd.example', 'sometimes'],
        ['p', 'ignored'],
        'not a tag',
      ],
    });
    expect(list).toEqual({
      read: ['wss://both.example', 'wss://read.example'],
      write: ['wss://both.example', 'wss://write.example'],
      ignoredTags: 2,
    });
    const recipient = parseRelayList({ kind: 10002, tags: [['r', 'wss://inbox.example', 'read'], ['r', 'wss://write.example']] });
    expect(suggestPublishRelays(list, [recipient])).toEqual(['wss://both.example', 'wss://write.example', 'wss://inbox.example']);
    expect(suggestQueryRelays(list)).toEqual(['wss://both.example', 'wss://write.example']);
  });

  it('refuses an event of another kind', () => {
    expect(() => parseRelayList({ kind: 3, tags: [] })).toThrow(/kind 10002/);
  });
});
