// Import from text through the operation table, against a real store file: what verifies is stored (exact texts),
// what fails is quarantined with its failing check, duplicates merge, newest wins per slot, local data is never
// overwritten, and an imported declaration verifies again from its exported bundle.

import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../electron/core/canonical';
import { signedDataSha256, wrap, countersignDetached } from '../../electron/core/declaration';
import type { ImportRunResult } from '../../electron/ops/handlers/import';
import { importEvents } from '../../electron/relays/import';
import { createLocalVerifier } from '../../electron/relays/import-pool';
import { splitImportText } from '../../electron/relays/import-split';
import { buildDeclaration, keys, tampered, otherNostrSigner, SIGNED_AT } from './fixtures';
import { createStore, type TestStore } from './helpers';

const jsonl = (events: readonly object[]) => events.map((e) => JSON.stringify(e)).join('\n');

function rows(store: TestStore, sql: string, ...params: unknown[]) {
  return store.ctx.services.db().prepare(sql).all(...params) as Record<string, unknown>[];
}

describe('import.text', () => {
  it('stores what verifies, quarantines a tampered event with its failing check, and counts a repeat as a duplicate', async () => {
    const store = await createStore();
    const nostr = buildDeclaration('nostr', { countersigned: true });
    const ed = buildDeclaration('ed25519', { countersigned: true });
    const rsa = buildDeclaration('rsa');
    const lone = buildDeclaration('nostr', { nostrSigner: otherNostrSigner });
    const forgedCopy = tampered(rsa.events[0]!); // claims the RSA wrapper's id
    const input = [...nostr.events, ...ed.events, rsa.events[0]!, forgedCopy, nostr.events[0]!, tampered(lone.events[0]!)];

    const result: ImportRunResult = await store.call('import.text', { text: jsonl(input), source: 'file:test.jsonl' });

    expect(result.counts).toEqual({ verified: 3, quarantined: 2, duplicates: 1, superseded: 0 });
    const byUuid = new Map(result.declarations.map((d) => [d.declaration_uuid, d]));
    expect(byUuid.get(nostr.uuid)).toMatchObject({ status: 'new', countersigners: 1, in_force: true, quarantined: [] });
    expect(byUuid.get(ed.uuid)).toMatchObject({ status: 'new', countersigners: 1 });
    // The forged copy is refused alone; the genuine wrapper it imitates still verifies.
    expect(byUuid.get(rsa.uuid)!.status).toBe('new');
    expect(byUuid.get(rsa.uuid)!.quarantined).toEqual([expect.objectContaining({ event_id: forgedCopy.id, reason: 'verification', check: 'event_id' })]);
    expect(byUuid.get(lone.uuid)).toMatchObject({ status: 'quarantined', quarantined: [expect.objectContaining({ check: 'event_id' })] });

    // Nothing that failed is stored as a declaration or an event.
    expect(rows(store, 'SELECT declaration_uuid FROM admindeclarations WHERE declaration_uuid = ?', lone.uuid)).toEqual([]);
    const events = rows(store, 'SELECT event_id, event_json, role FROM declaration_events ORDER BY event_id');
    expect(events.map((e) => e.event_id).sort()).toEqual([...nostr.events, ...ed.events, ...rsa.events].map((e) => e.id).sort());
    // Exact texts as received, and the roles they play.
    const sent = new Map([...nostr.events, ...ed.events, ...rsa.events].map((e) => [e.id, JSON.stringify(e)]));
    for (const event of events) expect(event.event_json).toBe(sent.get(event.event_id as string));
    expect(events.find((e) => e.event_id === nostr.events[1]!.id)!.role).toBe('countersignature');
    expect(events.find((e) => e.event_id === ed.events[0]!.id)!.role).toBe('wrapper');

    const [row] = rows(store, 'SELECT * FROM admindeclarations WHERE declaration_uuid = ?', ed.uuid);
    expect(row).toMatchObject({
      is_local: 0,
      status: 'Published',
      verification_status: 'verified',
      discovered_from_relay: null,
      signed_data: canonicalJson(ed.format3),
      signed_data_sha256: signedDataSha256(ed.format3),
      nostr_event_id: ed.events[0]!.id,
      nostr_event: JSON.stringify(ed.events[0]),
      signing_keypair_canonical_name: ed.format3.signing_keypair_canonical_name,
    });
    expect(row!.discovered_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(JSON.parse(row!.countersignatures as string)).toHaveLength(1);

    // The quarantine holds both refused texts verbatim, with their checks, and is never shown as valid.
    const page = await store.call('import.quarantine', {});
    expect(page.items).toHaveLength(2);
    for (const item of page.items) {
      expect(item).toMatchObject({ reason: 'verification', failed_check: 'event_id', source: 'file:test.jsonl', times_seen: 1 });
      expect(item.checks.some((c: { ok: boolean }) => !c.ok)).toBe(true);
    }
    expect(page.items.map((i: { raw_text: string }) => i.raw_text).sort()).toEqual([JSON.stringify(forgedCopy), JSON.stringify(tampered(lone.events[0]!))].sort());
    const exported = await store.call('import.quarantineExport', {});
    expect(exported.count).toBe(2);
    expect(exported.jsonl.trim().split('\n').map((line: string) => JSON.parse(line).raw_text).sort()).toEqual(page.items.map((i: { raw_text: string }) => i.raw_text).sort());

    // The same input again: every stored event is a byte-identical duplicate, the refused ones are refused again.
    const again: ImportRunResult = await store.call('import.text', { text: jsonl(input) });
    expect(again.counts).toEqual({ verified: 3, quarantined: 2, duplicates: 5, superseded: 0 });
    expect((await store.call('import.quarantine', {})).items.map((i: { times_seen: number }) => i.times_seen)).toEqual([2, 2]);
    expect(store.progress.some((p) => p.operation === 'import.text' && p.done === p.total)).toBe(true);
  });

  it('reads a bundle as exported, and the stored declaration verifies again from its own export', async () => {
    const source = await createStore();
    const ed = buildDeclaration('ed25519', { countersigned: true });
    const bundle = { declsign_bundle: 1, declaration_uuid: ed.uuid, events: ed.events, declaration: { declaration_uuid: ed.uuid, status: 'Published' } };
    const pretty = JSON.stringify(bundle, null, 2); // events inside are indented: stored as those exact bytes
    const result: ImportRunResult = await source.call('import.text', { text: pretty });
    expect(result.counts.verified).toBe(1);
    const stored = rows(source, 'SELECT event_json FROM declaration_events WHERE declaration_uuid = ?', ed.uuid);
    expect(pretty).toContain(stored[0]!.event_json as string);
    expect(stored[0]!.event_json).toContain('\n');

    const exported = await source.call('declarations.export', { uuid: ed.uuid });
    const verified = await source.call('verify.text', { text: JSON.stringify(exported) });
    expect(verified.valid).toBe(true);
    expect(verified.reports[0].countersigners).toHaveLength(1);

    // …and imports into another store as the same declaration.
    const other = await createStore();
    const reimport: ImportRunResult = await other.call('import.text', { text: JSON.stringify(exported) });
    expect(reimport.counts).toMatchObject({ verified: 1, quarantined: 0 });
    expect(rows(other, 'SELECT signed_data FROM admindeclarations')[0]!.signed_data).toBe(canonicalJson(ed.format3));
  });

  it('keeps the newest event of a (pubkey, d) slot current and the older one as history, in either order', async () => {
    const ed = buildDeclaration('ed25519');
    const older = ed.events[0]!;
    const detached = countersignDetached({
      format3: ed.format3,
      algorithm: 'ed25519',
      privateKey: keys.ed25519Countersigner.privateKey!,
      publicKeyHex: keys.ed25519Countersigner.publicKeyHex,
      signedAt: SIGNED_AT,
    });
    const newer = wrap({ format3: ed.format3, countersignatures: [detached], wrapperPrivateKey: keys.nostrWrapper.privateKey!, createdAt: older.created_at + 100, previousCreatedAt: older.created_at });

    for (const order of [[older, newer], [newer, older]]) {
      const store = await createStore();
      const first: ImportRunResult = await store.call('import.text', { text: JSON.stringify(order[0]) });
      expect(first.counts).toMatchObject({ verified: 1, superseded: 0 });
      const second: ImportRunResult = await store.call('import.text', { text: JSON.stringify(order[1]) });
      expect(second.counts).toEqual({ verified: 1, quarantined: 0, duplicates: 0, superseded: 1 });
      expect(second.declarations[0]!.status).toBe('updated');

      const events = rows(store, 'SELECT event_id, superseded_by FROM declaration_events ORDER BY created_at');
      expect(events).toEqual([
        { event_id: older.id, superseded_by: newer.id },
        { event_id: newer.id, superseded_by: null },
      ]);
      const [row] = rows(store, 'SELECT nostr_event_id, countersignatures FROM admindeclarations');
      expect(row!.nostr_event_id).toBe(newer.id);
      expect(JSON.parse(row!.countersignatures as string)).toEqual([detached]);
      // The export carries the current version only, and it verifies with its countersignature.
      const bundle = await store.call('declarations.export', { uuid: ed.uuid });
      expect(bundle.events.map((e: { id: string }) => e.id)).toEqual([newer.id]);
      const verified = await store.call('verify.text', { text: JSON.stringify(bundle) });
      expect(verified.valid).toBe(true);
      expect(verified.reports[0].countersigners).toHaveLength(1);
    }
  });

  it('merges a countersignature that arrives after its declaration', async () => {
    const store = await createStore();
    const nostr = buildDeclaration('nostr', { countersigned: true });
    await store.call('import.text', { text: JSON.stringify(nostr.events[0]) });
    const later: ImportRunResult = await store.call('import.text', { text: JSON.stringify(nostr.events[1]) });
    expect(later.counts).toMatchObject({ verified: 1, quarantined: 0 });
    expect(later.declarations[0]).toMatchObject({ status: 'updated', countersigners: 1 });
    expect(rows(store, 'SELECT role FROM declaration_events ORDER BY role')).toEqual([{ role: 'countersignature' }, { role: 'primary' }]);
  });

  it('quarantines an import that claims a local declaration UUID with other signed data, and leaves the local one alone', async () => {
    const store = await createStore();
    const issuer = await store.call('keys.generate', { algorithm: 'nostr', label: 'issuer' });
    const draft = await store.call('declarations.create', {
      type: 'trust-declaration',
      issuer: issuer.id,
      subject_pubkey: keys.nostrTarget.publicKeyHex,
      content: { role: 'operating-admin' },
    });
    await store.call('declarations.finalize', { uuid: draft.declaration_uuid });
    await store.call('declarations.sign', { uuid: draft.declaration_uuid });
    const before = rows(store, 'SELECT * FROM admindeclarations WHERE declaration_uuid = ?', draft.declaration_uuid)[0];

    const impostor = buildDeclaration('nostr', { uuid: draft.declaration_uuid, nostrSigner: otherNostrSigner });
    const result: ImportRunResult = await store.call('import.text', { text: JSON.stringify(impostor.events[0]) });
    expect(result.counts).toMatchObject({ verified: 0, quarantined: 1 });
    expect(result.declarations[0]!.quarantined[0]).toMatchObject({ reason: 'equivocation', check: 'no_equivocation' });
    expect(rows(store, 'SELECT * FROM admindeclarations WHERE declaration_uuid = ?', draft.declaration_uuid)[0]).toEqual(before);
    expect(rows(store, 'SELECT event_id FROM declaration_events WHERE event_id = ?', impostor.events[0]!.id)).toEqual([]);
    const [item] = (await store.call('import.quarantine', {})).items;
    expect(item).toMatchObject({ reason: 'equivocation', claimed_uuid: draft.declaration_uuid });

    // A Draft under that UUID is protected the same way: it has no signed data an import could match.
    const draft2 = await store.call('declarations.create', { type: 'trust-declaration', issuer: issuer.id, subject_pubkey: keys.nostrTarget.publicKeyHex, content: {} });
    const impostor2 = buildDeclaration('ed25519', { uuid: draft2.declaration_uuid });
    const result2: ImportRunResult = await store.call('import.text', { text: JSON.stringify(impostor2.events[0]) });
    expect(result2.declarations[0]!.quarantined[0]).toMatchObject({ reason: 'equivocation' });
    expect(rows(store, 'SELECT status, is_local FROM admindeclarations WHERE declaration_uuid = ?', draft2.declaration_uuid)).toEqual([{ status: 'Draft', is_local: 1 }]);
  });

  it('runs the after-store step (revocations over the whole store) only when the import stored or changed something', async () => {
    const store = await createStore();
    const db = store.ctx.services.db();
    const verifier = await createLocalVerifier();
    let runs = 0;
    const importText = async (events: readonly object[]) => {
      const items = splitImportText(jsonl(events)).map((e) => ({ ...e, source: 'test', relay: null }));
      return importEvents(db, items, { now: new Date(), verifier, afterStore: () => (runs += 1) });
    };
    const declaration = buildDeclaration('nostr', { countersigned: true });
    expect((await importText([declaration.events[0]!])).declarations[0]!.status).toBe('new');
    expect(runs).toBe(1);
    // The same again, and a forgery: nothing stored, nothing to recompute.
    expect((await importText([declaration.events[0]!, tampered(buildDeclaration('ed25519').events[0]!)])).counts).toMatchObject({ verified: 1, quarantined: 1 });
    expect(runs).toBe(1);
    // Its countersignature arrives: the declaration changed (a countersigner counts for authority).
    expect((await importText(declaration.events)).declarations[0]!.status).toBe('updated');
    expect(runs).toBe(2);
  });

  it('refuses unreadable input precisely and changes nothing', async () => {
    const store = await createStore();
    const error = await store.fails('import.text', { text: '{"a":1}\nnot json' });
    expect(error).toMatchObject({ code: 'invalid_bundle' });
    expect(error.message).toContain('line 2');
    expect(rows(store, 'SELECT count(*) AS n FROM import_quarantine')).toEqual([{ n: 0 }]);
  });
});
