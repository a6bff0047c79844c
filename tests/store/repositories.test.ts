import { createHash, randomUUID } from 'node:crypto';
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { DeclsignError } from '../../electron/core/errors';
import { appendAudit, listAudit } from '../../electron/store/audit';
import { holdsRevisions, writeChainStatus } from '../../electron/store/chain-status';
import { normalizeStamp, withTransaction, type Database } from '../../electron/store/database';
import { getDeclarationEvent, insertDeclarationEvent, listDeclarationEvents } from '../../electron/store/declaration-events';
import {
  discardUnsignedDeclaration,
  getDeclaration,
  getDeclarationByNostrEventId,
  insertDraftDeclaration,
  listDeclarations,
  recordSignature,
  recordWrapperEvent,
  revocationLookup,
  setCountersignatures,
  setDeclarationStatus,
  setPublishState,
  updateDraftDeclaration,
} from '../../electron/store/declarations';
import {
  deleteKeypair,
  getKeypair,
  getKeypairByFingerprint,
  getPrivateKeyCiphertext,
  insertKeypair,
  listKeypairs,
  setKeypairPrivateKey,
  updateKeypair,
} from '../../electron/store/keypairs';
import { NOW, samplePublicKeypair, stampAt, tempDatabase } from './fixtures';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (thrown) {
    return thrown instanceof DeclsignError ? thrown.code : `not a DeclsignError: ${String(thrown)}`;
  }
  return undefined;
}

const fakeEncrypted = () => ({ ciphertext: Buffer.alloc(48, 7), nonce: Buffer.alloc(12, 1), tag: Buffer.alloc(16, 2) });
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('stamps', () => {
  it('normalises second precision to milliseconds and rejects anything else', () => {
    expect(normalizeStamp('2025-01-31T12:00:00Z')).toBe('2025-01-31T12:00:00.000Z');
    expect(normalizeStamp('2025-01-31T12:00:00.123Z')).toBe('2025-01-31T12:00:00.123Z');
    for (const bad of ['2025-02-30T00:00:00Z', '2025-01-31 12:00:00Z', '2025-01-31T12:00:00+01:00', '2025-01-31T12:00:00.1Z', '']) {
      expect(codeOf(() => normalizeStamp(bad)), bad).toBe('invalid_input');
    }
  });
});

describe('keypairs', () => {
  it('round-trips public fields; lists never carry private key material', () => {
    const { db } = tempDatabase();
    const owned = samplePublicKeypair('nostr', { role: 'master-admin', private_key: fakeEncrypted(), source_format: 'generated', nip49_key_security_byte: 1 });
    const watched = samplePublicKeypair('ed25519', { is_experimental: true });
    const inserted = insertKeypair(db, owned, '2025-06-01T12:00:00Z');
    insertKeypair(db, watched, stampAt(1));
    expect(inserted).toEqual({
      keypair_uuid: owned.keypair_uuid, label: owned.label, algorithm: 'nostr', role: 'master-admin', public_key: owned.public_key,
      fingerprint: owned.fingerprint, canonical_name: owned.canonical_name, has_private_key: true, nip49_key_security_byte: 1,
      source_format: 'generated', is_experimental: false, created_at: NOW, updated_at: NOW,
    });
    expect(getKeypair(db, watched.keypair_uuid)).toMatchObject({ has_private_key: false, is_experimental: true });
    expect(getKeypairByFingerprint(db, owned.fingerprint)?.keypair_uuid).toBe(owned.keypair_uuid);
    const all = listKeypairs(db);
    expect(all.map((k) => k.keypair_uuid)).toEqual([owned.keypair_uuid, watched.keypair_uuid]);
    for (const row of all) expect(Object.keys(row).some((k) => k.startsWith('private_key'))).toBe(false);
    expect(listKeypairs(db, { hasPrivateKey: true }).map((k) => k.keypair_uuid)).toEqual([owned.keypair_uuid]);
    expect(listKeypairs(db, { hasPrivateKey: false }).map((k) => k.keypair_uuid)).toEqual([watched.keypair_uuid]);
    expect(listKeypairs(db, { algorithm: 'ed25519' })).toHaveLength(1);
    expect(listKeypairs(db, { role: 'master-admin' })).toHaveLength(1);
  });

  it('gives the ciphertext only through getPrivateKeyCiphertext, with the binding to decrypt it', () => {
    const { db } = tempDatabase();
    const owned = samplePublicKeypair('rsa', { private_key: fakeEncrypted() });
    const watched = samplePublicKeypair();
    insertKeypair(db, owned, NOW);
    insertKeypair(db, watched, NOW);
    const stored = getPrivateKeyCiphertext(db, owned.keypair_uuid);
    expect(stored.binding).toEqual({ keypairUuid: owned.keypair_uuid, algorithm: 'rsa', fingerprint: owned.fingerprint });
    expect(Buffer.from(stored.encrypted.ciphertext).equals(fakeEncrypted().ciphertext)).toBe(true);
    expect(codeOf(() => getPrivateKeyCiphertext(db, watched.keypair_uuid))).toBe('missing_signer_private_key');
    expect(codeOf(() => getPrivateKeyCiphertext(db, randomUUID()))).toBe('unknown_key');
  });

  it('refuses a second copy of a key with duplicate_key naming the first, and bad values with invalid_input', () => {
    const { db } = tempDatabase();
    const first = samplePublicKeypair();
    insertKeypair(db, first, NOW);
    let error: DeclsignError | undefined;
    try {
      insertKeypair(db, { ...first, keypair_uuid: randomUUID() }, NOW);
    } catch (thrown) {
      error = thrown as DeclsignError;
    }
    expect(error?.code).toBe('duplicate_key');
    expect(error?.details).toEqual({ keypair_uuid: first.keypair_uuid });
    expect(codeOf(() => insertKeypair(db, samplePublicKeypair('nostr', { role: 'root' as never }), NOW))).toBe('invalid_input');
    expect(codeOf(() => insertKeypair(db, samplePublicKeypair('nostr', { public_key: 'NOT HEX' }), NOW))).toBe('invalid_input');
    expect(codeOf(() => insertKeypair(db, samplePublicKeypair(), 'yesterday'))).toBe('invalid_input');
    expect(listKeypairs(db)).toHaveLength(1);
  });

  it('updates label and role, attaches and removes a private key, deletes', () => {
    const { db } = tempDatabase();
    const kp = samplePublicKeypair();
    insertKeypair(db, kp, NOW);
    const updated = updateKeypair(db, kp.keypair_uuid, { label: 'Alice', role: 'operating-admin' }, stampAt(1000));
    expect(updated).toMatchObject({ label: 'Alice', role: 'operating-admin', created_at: NOW, updated_at: stampAt(1000) });
    expect(updateKeypair(db, kp.keypair_uuid, { role: 'none' }, stampAt(2000)).label).toBe('Alice');
    expect(setKeypairPrivateKey(db, kp.keypair_uuid, fakeEncrypted(), stampAt(3000), 2)).toMatchObject({ has_private_key: true, nip49_key_security_byte: 2 });
    expect(setKeypairPrivateKey(db, kp.keypair_uuid, null, stampAt(4000)).has_private_key).toBe(false);
    expect(codeOf(() => updateKeypair(db, randomUUID(), { label: 'x' }, NOW))).toBe('unknown_key');
    deleteKeypair(db, kp.keypair_uuid);
    expect(getKeypair(db, kp.keypair_uuid)).toBeUndefined();
    expect(codeOf(() => deleteKeypair(db, kp.keypair_uuid))).toBe('unknown_key');
  });
});

// A declaration carried all the way through: draft → finalized → signed (Nostr) → countersigned → wrapped → published.
function signedFixture(db: Database) {
  const issuer = samplePublicKeypair('nostr', { role: 'master-admin', private_key: fakeEncrypted() });
  const target = samplePublicKeypair('ed25519');
  insertKeypair(db, issuer, NOW);
  const uuid = randomUUID();
  const content = JSON.stringify({ schema_version: '1.0', declaration_type: 'trust-declaration', content: { level: 'operating-admin' } });
  const contentHash = sha256(content);
  insertDraftDeclaration(db, {
    declaration_uuid: uuid, declaration_type: 'trust-declaration', content_json: content, issuer_keypair_uuid: issuer.keypair_uuid,
    target_algorithm: 'ed25519', target_public_key: target.public_key, target_fingerprint: target.fingerprint,
    target_canonical_name: target.canonical_name, valid_from: '2025-06-01T00:00:00Z',
  }, NOW);
  updateDraftDeclaration(db, uuid, { content_hash_sha256: contentHash }, stampAt(1));
  setDeclarationStatus(db, uuid, 'Finalized', stampAt(2));
  const signedData = JSON.stringify({ declaration_uuid: uuid, content_hash_sha256: contentHash, signature: { digital_signature: 'ab' } });
  const event = finalizeEvent({ kind: 31106, created_at: 1748779200, tags: [['d', uuid], ['t', 'trust-declaration']], content: '{"x":1}' }, generateSecretKey());
  // The exact text, with a key order nostr-tools would not produce: the store must keep it as is.
  const eventJson = JSON.stringify({ sig: event.sig, id: event.id, pubkey: event.pubkey, created_at: event.created_at, kind: event.kind, tags: event.tags, content: event.content });
  return { issuer, target, uuid, contentHash, signedData, event, eventJson };
}

describe('declarations', () => {
  it('stores a draft and edits only drafts', () => {
    const { db } = tempDatabase();
    const { uuid, issuer, contentHash } = signedFixture(db);
    const fresh = randomUUID();
    const draft = insertDraftDeclaration(db, { declaration_uuid: fresh, declaration_type: 'privilege-grant', content_json: '{"a":1}' }, NOW);
    expect(draft).toMatchObject({ status: 'Draft', countersignatures: '[]', nostr_kind: 31106, is_local: true, is_update: false, is_revoked: false, valid_until: null });
    const edited = updateDraftDeclaration(db, fresh, { content_json: '{"a":2}', issuer_keypair_uuid: issuer.keypair_uuid, valid_until: '2026-01-01T00:00:00Z' }, stampAt(5));
    expect(edited).toMatchObject({ content_json: '{"a":2}', declaration_type: 'privilege-grant', issuer_keypair_uuid: issuer.keypair_uuid, updated_at: stampAt(5) });
    expect(updateDraftDeclaration(db, fresh, { valid_until: null }, stampAt(6)).valid_until).toBeNull();
    expect(codeOf(() => updateDraftDeclaration(db, fresh, { issuer_keypair_uuid: randomUUID() }, NOW))).toBe('unknown_key');
    expect(codeOf(() => updateDraftDeclaration(db, fresh, { content_json: 'not json' }, NOW))).toBe('invalid_input');
    expect(getDeclaration(db, fresh)?.content_json).toBe('{"a":2}');
    expect(codeOf(() => insertDraftDeclaration(db, { declaration_uuid: fresh, declaration_type: 'privilege-grant', content_json: '{}' }, NOW))).toBe('invalid_input');

    // uuid is Finalized now
    expect(getDeclaration(db, uuid)).toMatchObject({ status: 'Finalized', content_hash_sha256: contentHash });
    expect(codeOf(() => updateDraftDeclaration(db, uuid, { content_json: '{}' }, NOW))).toBe('not_draft');
    expect(discardUnsignedDeclaration(db, fresh)).toMatchObject({ declaration_uuid: fresh, status: 'Draft' });
    expect(getDeclaration(db, fresh)).toBeUndefined();
    expect(codeOf(() => discardUnsignedDeclaration(db, fresh))).toBe('not_found');
    // A Finalized one was never signed either.
    expect(discardUnsignedDeclaration(db, uuid)).toMatchObject({ declaration_uuid: uuid, status: 'Finalized' });
    expect(getDeclaration(db, uuid)).toBeUndefined();
  });

  it('enforces the status machine; Finalizing needs a content hash', () => {
    const { db } = tempDatabase();
    const uuid = randomUUID();
    insertDraftDeclaration(db, { declaration_uuid: uuid, declaration_type: 'trust-declaration', content_json: '{}' }, NOW);
    expect(codeOf(() => setDeclarationStatus(db, uuid, 'Finalized', NOW))).toBe('invalid_input'); // no content hash yet
    updateDraftDeclaration(db, uuid, { content_hash_sha256: sha256('{}') }, NOW);
    expect(codeOf(() => setDeclarationStatus(db, uuid, 'Signed', NOW))).toBe('invalid_status_transition');
    expect(codeOf(() => setDeclarationStatus(db, uuid, 'Published', NOW))).toBe('invalid_status_transition');
    setDeclarationStatus(db, uuid, 'Finalized', NOW);
    setDeclarationStatus(db, uuid, 'Draft', NOW);
    setDeclarationStatus(db, uuid, 'Finalized', NOW);
    expect(codeOf(() => setDeclarationStatus(db, uuid, 'Signed', NOW))).toBe('invalid_status_transition');
    expect(codeOf(() => setDeclarationStatus(db, randomUUID(), 'Finalized', NOW))).toBe('not_found');
  });

  it('records a Nostr signature with its exact event text, then countersignatures, a wrapper and publication', () => {
    const { db } = tempDatabase();
    const { uuid, issuer, signedData, event, eventJson, contentHash } = signedFixture(db);
    const signature = {
      signing_keypair_uuid: issuer.keypair_uuid, signing_keypair_fingerprint: issuer.fingerprint,
      signing_keypair_canonical_name: issuer.canonical_name, digital_signature: event.sig, signed_data: signedData,
      signed_data_sha256: sha256(signedData), signing_timestamp: '2025-06-01T12:00:00Z', issued_at: '2025-06-01T12:00:00Z',
      nostr_event_json: eventJson,
    };
    // The signed data must speak about this declaration.
    expect(codeOf(() => recordSignature(db, uuid, { ...signature, signed_data: JSON.stringify({ declaration_uuid: randomUUID(), content_hash_sha256: contentHash }) }, NOW))).toBe('invalid_input');
    expect(getDeclaration(db, uuid)?.status).toBe('Finalized');
    expect(listDeclarationEvents(db, uuid)).toEqual([]);

    const signed = recordSignature(db, uuid, signature, stampAt(10));
    expect(signed).toMatchObject({ status: 'Signed', signed_data: signedData, nostr_event: eventJson, nostr_event_id: event.id, nostr_kind: 31106 });
    expect(JSON.parse(signed.nostr_tags!)).toEqual(event.tags);
    expect(getDeclarationByNostrEventId(db, event.id)?.declaration_uuid).toBe(uuid);
    expect(getDeclarationEvent(db, event.id)).toMatchObject({ role: 'primary', event_json: eventJson, pubkey: event.pubkey, created_at: event.created_at });
    expect(codeOf(() => recordSignature(db, uuid, signature, NOW))).toBe('not_finalized');

    const countersignatures = [{ algorithm: 'ed25519', fingerprint: 'ab'.repeat(32), digital_signature: 'cd' }];
    expect(JSON.parse(setCountersignatures(db, uuid, countersignatures, stampAt(11)).countersignatures)).toEqual(countersignatures);

    const wrapperKey = generateSecretKey();
    const wrap = (createdAt: number) => JSON.stringify(finalizeEvent({ kind: 31106, created_at: createdAt, tags: [['d', uuid]], content: 'wrapped' }, wrapperKey));
    const first = wrap(1748779300);
    const second = wrap(1748779400);
    recordWrapperEvent(db, uuid, { wrapper_keypair_uuid: issuer.keypair_uuid, event_json: first }, stampAt(12));
    const rewrapped = recordWrapperEvent(db, uuid, { wrapper_keypair_uuid: null, event_json: second }, stampAt(13));
    expect(rewrapped.nostr_event).toBe(second);
    const wrappers = listDeclarationEvents(db, uuid, { role: 'wrapper' });
    expect(wrappers.map((w) => [w.event_json, w.superseded_by])).toEqual([[first, JSON.parse(second).id], [second, null]]);
    expect(listDeclarationEvents(db, uuid, { currentOnly: true }).map((e) => e.role)).toEqual(['primary', 'wrapper']);

    setPublishState(db, uuid, { status: 'failed' }, stampAt(14));
    expect(getDeclaration(db, uuid)).toMatchObject({ status: 'Signed', nostr_publish_status: 'failed' });
    setPublishState(db, uuid, { status: 'published', relays: ['wss://a.example', 'wss://b.example'], published_at: '2025-06-01T12:05:00Z' }, stampAt(15));
    const published = getDeclaration(db, uuid)!;
    expect(published).toMatchObject({ status: 'Published', nostr_publish_status: 'published', nostr_published_at: '2025-06-01T12:05:00.000Z' });
    expect(JSON.parse(published.nostr_published_to_relays)).toEqual(['wss://a.example', 'wss://b.example']);
    expect(codeOf(() => setPublishState(db, uuid, { status: 'sent' as never }, NOW))).toBe('invalid_input');
  });

  it('needs a signature before countersignatures, wrappers or publication', () => {
    const { db } = tempDatabase();
    const { uuid } = signedFixture(db);
    expect(codeOf(() => setCountersignatures(db, uuid, [], NOW))).toBe('not_signed');
    expect(codeOf(() => setPublishState(db, uuid, { status: 'pending' }, NOW))).toBe('not_signed');
  });

  it('a non-Nostr signature has nothing to publish until it is wrapped', () => {
    const { db } = tempDatabase();
    const { uuid, issuer, signedData } = signedFixture(db);
    recordSignature(db, uuid, {
      signing_keypair_uuid: issuer.keypair_uuid, signing_keypair_fingerprint: issuer.fingerprint, signing_keypair_canonical_name: issuer.canonical_name,
      digital_signature: 'ee', signed_data: signedData, signed_data_sha256: sha256(signedData), signing_timestamp: '2025-06-01T12:00:00Z',
    }, NOW);
    expect(getDeclaration(db, uuid)).toMatchObject({ status: 'Signed', nostr_event: null, nostr_event_id: null });
    expect(codeOf(() => setPublishState(db, uuid, { status: 'pending' }, NOW))).toBe('nothing_to_publish');
  });

  it('serves the revocations the authority layer recorded to the verifier', () => {
    const { db } = tempDatabase();
    const { uuid } = signedFixture(db);
    const lookup = revocationLookup(db);
    expect(lookup(uuid)).toBeUndefined();
    const by = randomUUID();
    withTransaction(db, () => writeChainStatus(db, uuid, { is_revoked: true, revoked_at: '2025-06-15T00:00:00Z', revoked_by_declaration_uuid: by, superseded_by_declaration_uuid: null }, NOW));
    expect(lookup(uuid)).toEqual({ revoked_at: '2025-06-15T00:00:00Z', by });
    expect(getDeclaration(db, uuid)?.is_revoked).toBe(true);
    withTransaction(db, () => writeChainStatus(db, uuid, { is_revoked: false, revoked_at: null, revoked_by_declaration_uuid: null, superseded_by_declaration_uuid: null }, NOW));
    expect(lookup(uuid)).toBeUndefined();
  });

  it('tells whether anything could revoke or supersede: a revision of any status, or a supersession on record', () => {
    const { db } = tempDatabase();
    expect(holdsRevisions(db)).toBe(false);
    const { uuid } = signedFixture(db);
    insertDraftDeclaration(db, { declaration_uuid: randomUUID(), declaration_type: 'privilege-grant', content_json: '{}' }, NOW);
    expect(holdsRevisions(db)).toBe(false);
    writeChainStatus(db, uuid, { is_revoked: false, revoked_at: null, revoked_by_declaration_uuid: null, superseded_by_declaration_uuid: randomUUID() }, NOW);
    expect(holdsRevisions(db)).toBe(true);

    const other = tempDatabase().db;
    insertDraftDeclaration(other, { declaration_uuid: randomUUID(), declaration_type: 'declaration-revoke', content_json: '{}' }, NOW);
    expect(holdsRevisions(other)).toBe(true);
  });
});

describe('declaration events', () => {
  it('inserts idempotently by event id and refuses the same id under another declaration or role', () => {
    const { db } = tempDatabase();
    const { uuid, eventJson, event } = signedFixture(db);
    const other = randomUUID();
    insertDraftDeclaration(db, { declaration_uuid: other, declaration_type: 'trust-declaration', content_json: '{}' }, NOW);
    expect(insertDeclarationEvent(db, { declaration_uuid: uuid, role: 'countersignature', event_json: eventJson }, NOW).inserted).toBe(true);
    expect(insertDeclarationEvent(db, { declaration_uuid: uuid, role: 'countersignature', event_json: eventJson }, stampAt(9)).inserted).toBe(false);
    expect(getDeclarationEvent(db, event.id)?.recorded_at).toBe(NOW);
    expect(codeOf(() => insertDeclarationEvent(db, { declaration_uuid: other, role: 'countersignature', event_json: eventJson }, NOW))).toBe('invalid_input');
    expect(codeOf(() => insertDeclarationEvent(db, { declaration_uuid: uuid, role: 'wrapper', event_json: eventJson }, NOW))).toBe('invalid_input');
    expect(codeOf(() => insertDeclarationEvent(db, { declaration_uuid: randomUUID(), role: 'primary', event_json: JSON.stringify({ ...event, id: 'ab'.repeat(32) }) }, NOW))).toBe('invalid_input');
    expect(codeOf(() => insertDeclarationEvent(db, { declaration_uuid: uuid, role: 'primary', event_json: '{"id":' }, NOW))).toBe('invalid_json');
    expect(codeOf(() => insertDeclarationEvent(db, { declaration_uuid: uuid, role: 'primary', event_json: JSON.stringify({ ...event, id: 'AB'.repeat(32) }) }, NOW))).toBe('invalid_input');
    expect(listDeclarationEvents(db, uuid)).toHaveLength(1);
  });
});

describe('the list screen', () => {
  it('pages newest first with a stable keyset cursor even when created_at repeats', () => {
    const { db } = tempDatabase();
    const total = 23;
    for (let i = 0; i < total; i += 1) {
      // three rows share each instant
      insertDraftDeclaration(db, { declaration_uuid: randomUUID(), declaration_type: 'trust-declaration', content_json: '{}' }, stampAt(Math.floor(i / 3) * 1000));
    }
    const expected = (db.prepare('SELECT declaration_uuid FROM admindeclarations ORDER BY created_at DESC, declaration_uuid DESC').all() as { declaration_uuid: string }[]).map((r) => r.declaration_uuid);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = listDeclarations(db, { limit: 5, cursor });
      seen.push(...page.items.map((item) => item.declaration_uuid));
      cursor = page.nextCursor;
      pages += 1;
      // A row added while paging (newer than everything) does not shift later pages.
      if (pages === 2) insertDraftDeclaration(db, { declaration_uuid: randomUUID(), declaration_type: 'trust-declaration', content_json: '{}' }, stampAt(10 ** 7));
    } while (cursor);
    expect(pages).toBe(5);
    expect(seen).toEqual(expected);
    expect(codeOf(() => listDeclarations(db, { cursor: 'garbage' }))).toBe('invalid_input');
    expect(codeOf(() => listDeclarations(db, { limit: 0 }))).toBe('invalid_input');
  });

  it('filters by status and type and searches uuid, type, names and labels (LIKE wildcards are literal)', () => {
    const { db } = tempDatabase();
    const issuer = samplePublicKeypair('nostr', { label: 'Ops_team 100%' });
    insertKeypair(db, issuer, NOW);
    const a = randomUUID();
    const b = randomUUID();
    insertDraftDeclaration(db, { declaration_uuid: a, declaration_type: 'privilege-grant', content_json: '{}', issuer_keypair_uuid: issuer.keypair_uuid }, NOW);
    insertDraftDeclaration(db, { declaration_uuid: b, declaration_type: 'moderation-action', content_json: '{}', target_canonical_name: 'ed25519:feedface' }, stampAt(1));
    updateDraftDeclaration(db, b, { content_hash_sha256: sha256('{}') }, stampAt(2));
    setDeclarationStatus(db, b, 'Finalized', stampAt(3));
    const uuids = (query: Parameters<typeof listDeclarations>[1]) => listDeclarations(db, query).items.map((i) => i.declaration_uuid);
    expect(uuids({})).toEqual([b, a]);
    expect(uuids({ status: 'Finalized' })).toEqual([b]);
    expect(uuids({ type: 'privilege-grant' })).toEqual([a]);
    expect(uuids({ status: 'Draft', type: 'moderation-action' })).toEqual([]);
    expect(uuids({ search: a.slice(0, 8).toUpperCase() })).toEqual([a]);
    expect(uuids({ search: 'MODERATION' })).toEqual([b]);
    expect(uuids({ search: 'feedface' })).toEqual([b]);
    expect(uuids({ search: issuer.canonical_name.slice(0, 20) })).toEqual([a]);
    expect(uuids({ search: 'ops_team 100%' })).toEqual([a]);
    expect(uuids({ search: '100_' })).toEqual([]);
    expect(uuids({ search: '%' })).toEqual([a]);
    const item = listDeclarations(db, { search: 'ops' }).items[0]!;
    expect(item).toMatchObject({ issuer_canonical_name: issuer.canonical_name, issuer_label: 'Ops_team 100%', is_local: true, is_revoked: false });
  });
});

describe('audit log and transactions', () => {
  it('appends and lists newest first; UPDATE and DELETE are refused by the schema', () => {
    const { db } = tempDatabase();
    const first = appendAudit(db, { at: NOW, actor: 'local', action: 'key.generate', subject_type: 'keypair', subject_id: 'k1', details: { algorithm: 'nostr' } });
    const second = appendAudit(db, { at: stampAt(1), actor: 'ab'.repeat(32), action: 'declarations.sign', subject_type: 'declaration', subject_id: 'd1' });
    expect(second).toBeGreaterThan(first);
    expect(listAudit(db).map((e) => e.id)).toEqual([second, first]);
    expect(listAudit(db, { subject_type: 'keypair', subject_id: 'k1' })).toEqual([
      { id: first, at: NOW, actor: 'local', action: 'key.generate', subject_type: 'keypair', subject_id: 'k1', details: { algorithm: 'nostr' } },
    ]);
    expect(listAudit(db, { beforeId: second })).toHaveLength(1);
    expect(() => db.prepare('UPDATE audit_log SET actor = ? WHERE id = ?').run('someone else', first)).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE id = ?').run(first)).toThrow(/append-only/);
    expect(listAudit(db)).toHaveLength(2);
    expect(codeOf(() => appendAudit(db, { at: 'now', actor: 'local', action: 'x' }))).toBe('invalid_input');
  });

  it('withTransaction writes everything or nothing', () => {
    const { db } = tempDatabase();
    const kp = samplePublicKeypair();
    expect(() =>
      withTransaction(db, () => {
        insertKeypair(db, kp, NOW);
        appendAudit(db, { at: NOW, actor: 'local', action: 'key.import', subject_id: kp.keypair_uuid });
        throw new Error('handler failed after writing');
      }),
    ).toThrow('handler failed after writing');
    expect(getKeypair(db, kp.keypair_uuid)).toBeUndefined();
    expect(listAudit(db)).toEqual([]);
    withTransaction(db, () => {
      insertKeypair(db, kp, NOW);
      appendAudit(db, { at: NOW, actor: 'local', action: 'key.import', subject_id: kp.keypair_uuid });
    });
    expect(getKeypair(db, kp.keypair_uuid)).toBeDefined();
    expect(listAudit(db)).toHaveLength(1);
  });
});
