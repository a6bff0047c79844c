// Backing out of an unsigned declaration, through the operation table on a real SQLite file: declarations.reopen takes a
// Finalized one back to Draft with its content intact; declarations.discard erases a Draft or Finalized one in one
// transaction that leaves only an audit entry (uuid, type, status, content hash). Every refusal — a signed, published or
// imported declaration, one that other declarations name as target or original — leaves every row of every table as
// it was.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildContent } from '../../electron/core/declaration';
import { snapshotStore } from '../cli/helpers';
import { buildDeclaration } from '../import/fixtures';
import { createStore, type TestStore } from '../import/helpers';

const GRANT = { trust_level: 'authorized-admin', permissions: ['moderate'], scope: { namespaces: ['games/chess'] } };

interface Fixture {
  store: TestStore;
  issuer: string;
  subject: string;
}

async function fixture(): Promise<Fixture> {
  const store = await createStore();
  const issuer = (await store.call('keys.generate', { algorithm: 'nostr', label: 'Issuer', role: 'operating-admin' })).id as string;
  const subject = (await store.call('keys.generate', { algorithm: 'ed25519', label: 'Subject' })).id as string;
  return { store, issuer, subject };
}

async function draft(f: Fixture, extra: Record<string, unknown> = {}): Promise<string> {
  const created = await f.store.call('declarations.create', { type: 'trust-declaration', issuer: f.issuer, subject: f.subject, content: GRANT, valid_until: '2099-01-01T00:00:00Z', ...extra });
  return created.declaration_uuid as string;
}

async function finalized(f: Fixture): Promise<string> {
  const uuid = await draft(f);
  await f.store.call('declarations.finalize', { uuid });
  return uuid;
}

async function signed(f: Fixture): Promise<string> {
  const uuid = await finalized(f);
  await f.store.call('declarations.sign', { uuid });
  return uuid;
}

/** The operation fails with `code`, and not one row of any table changed. */
async function refuses(store: TestStore, operation: 'declarations.reopen' | 'declarations.discard', uuid: string, code: string): Promise<{ code: string; message: string; details?: Record<string, unknown> }> {
  const before = snapshotStore(store.dbPath);
  const error = await store.fails(operation, { uuid });
  expect(error.code, error.message).toBe(code);
  expect(snapshotStore(store.dbPath)).toEqual(before);
  return error;
}

/** Audit entries about one declaration, oldest first. */
async function auditOf(store: TestStore, uuid: string): Promise<Array<{ action: string; details: Record<string, unknown> }>> {
  const { entries } = await store.call('audit.list', { subject_type: 'declaration', subject_id: uuid });
  return [...entries].reverse();
}

describe('declarations.reopen', () => {
  it('takes a Finalized declaration back to Draft with its content, issuer, subject and validity as they were; it can be edited and finalized again', async () => {
    const f = await fixture();
    const uuid = await finalized(f);
    const before = await f.store.call('declarations.get', { uuid });
    const reopened = await f.store.call('declarations.reopen', { uuid });
    const kept = ['declaration_type', 'content_json', 'content_hash_sha256', 'issuer_keypair_uuid', 'target_fingerprint', 'valid_from', 'valid_until', 'created_at'] as const;
    expect(reopened.status).toBe('Draft');
    for (const field of kept) expect(reopened[field], field).toEqual(before[field]);

    const narrowed = { ...GRANT, scope: { namespaces: ['games/chess/blitz'] } };
    const edited = await f.store.call('declarations.update', { uuid, content: narrowed });
    expect(edited.content.content).toEqual(narrowed);
    await f.store.call('declarations.finalize', { uuid });
    expect((await f.store.call('declarations.sign', { uuid })).status).toBe('Signed');

    const actions = (await auditOf(f.store, uuid)).map((e) => e.action);
    expect(actions).toEqual(['declaration.create', 'declaration.finalize', 'declaration.reopen', 'declaration.edit', 'declaration.finalize', 'declaration.sign']);
    const reopenEntry = (await auditOf(f.store, uuid)).find((e) => e.action === 'declaration.reopen')!;
    expect(reopenEntry.details).toEqual({ content_hash_sha256: before.content_hash_sha256 });
  });

  it('rescues a Finalized declaration whose issuer key was deleted: back to Draft, another issuer, signed', async () => {
    const f = await fixture();
    const doomed = (await f.store.call('keys.generate', { algorithm: 'nostr', label: 'Doomed', role: 'operating-admin' })).id as string;
    const uuid = await draft(f, { issuer: doomed });
    await f.store.call('declarations.finalize', { uuid });
    await f.store.call('keys.delete', { id: doomed });
    expect((await f.store.fails('declarations.sign', { uuid })).code).toBe('invalid_input');

    expect(await f.store.call('declarations.reopen', { uuid })).toMatchObject({ status: 'Draft', issuer_keypair_uuid: null });
    await f.store.call('declarations.update', { uuid, issuer: f.issuer });
    await f.store.call('declarations.finalize', { uuid });
    expect(await f.store.call('declarations.sign', { uuid })).toMatchObject({ status: 'Signed', signing_keypair_uuid: f.issuer });
  });

  it('refuses a Draft (not_finalized), a Signed one (invalid_status_transition), an unknown uuid and a malformed one, changing nothing', async () => {
    const f = await fixture();
    const draftUuid = await draft(f);
    expect((await refuses(f.store, 'declarations.reopen', draftUuid, 'not_finalized')).message).toContain('only a Finalized declaration goes back to Draft');
    const signedUuid = await signed(f);
    const error = await refuses(f.store, 'declarations.reopen', signedUuid, 'invalid_status_transition');
    expect(error.message).toContain('a signed declaration never goes back to Draft');
    expect(error.message).toContain('declaration-revoke');
    expect(error.details).toEqual({ from: 'Signed', to: 'Draft' });
    await refuses(f.store, 'declarations.reopen', randomUUID(), 'not_found');
    await refuses(f.store, 'declarations.reopen', 'not-a-uuid', 'invalid_input');
  });
});

describe('declarations.discard', () => {
  it('erases a Draft and a Finalized declaration: one row fewer, one audit entry more, nothing else touched', async () => {
    const f = await fixture();
    for (const make of [draft, finalized]) {
      const uuid = await make(f);
      const view = await f.store.call('declarations.get', { uuid });
      const before = snapshotStore(f.store.dbPath);
      const result = await f.store.call('declarations.discard', { uuid });
      const record = { declaration_uuid: uuid, declaration_type: 'trust-declaration', status: view.status, content_hash_sha256: view.content_hash_sha256 };
      expect(result).toEqual({ ...record, discarded: true });
      expect((await f.store.fails('declarations.get', { uuid })).code).toBe('not_found');

      const after = snapshotStore(f.store.dbPath);
      for (const table of Object.keys(before)) {
        if (table === 'admindeclarations' || table === 'audit_log' || table === 'sqlite_sequence') continue;
        expect(after[table], table).toEqual(before[table]);
      }
      expect(after.admindeclarations).toEqual(before.admindeclarations!.filter((row) => !row.includes(uuid)));
      const added = after.audit_log!.filter((row) => !before.audit_log!.includes(row));
      expect(added).toHaveLength(1);
      expect(JSON.parse(added[0]!)).toMatchObject({ actor: 'local', action: 'declaration.discard', subject_type: 'declaration', subject_id: uuid });
      expect(JSON.parse(JSON.parse(added[0]!).details)).toEqual(record);
      // The content itself was never signed and is meant to go: the audit log keeps its hash, not its text.
      expect(added[0]).not.toContain('games/chess');
    }
  });

  it('refuses a signed declaration and an imported one (already_signed), pointing to declaration-revoke, changing nothing', async () => {
    const f = await fixture();
    const signedUuid = await signed(f);
    const error = await refuses(f.store, 'declarations.discard', signedUuid, 'already_signed');
    expect(error.message).toContain('is Signed: it was signed here');
    expect(error.message).toContain('signed declaration-revoke');

    const elsewhere = await createStore();
    const bundle = await f.store.call('declarations.export', { uuid: signedUuid });
    expect((await elsewhere.call('import.text', { text: JSON.stringify(bundle) })).counts).toMatchObject({ verified: 1, quarantined: 0 });
    expect(await elsewhere.call('declarations.get', { uuid: signedUuid })).toMatchObject({ status: 'Published', is_local: false });
    const imported = await refuses(elsewhere, 'declarations.discard', signedUuid, 'already_signed');
    expect(imported.message).toContain('is Published: it was imported');
    expect(imported.message).toContain('signed declaration-revoke');
    await refuses(elsewhere, 'declarations.reopen', signedUuid, 'invalid_status_transition');

    await refuses(f.store, 'declarations.discard', randomUUID(), 'not_found');
    await refuses(f.store, 'declarations.discard', 'not-a-uuid', 'invalid_input');
  });

  it('refuses a declaration that other declarations name as target or original, listing them; once they are gone it can go', async () => {
    const f = await fixture();
    const original = await draft(f);
    const update = (target: string) => ({ target_declaration_uuid: target, reason: 'narrower', updated_declaration_type: 'trust-declaration', updated_content: GRANT });
    const firstUpdate = (await f.store.call('declarations.create', { type: 'declaration-update', issuer: f.issuer, content: update(original) })).declaration_uuid as string;
    // An update of an update joins the chain: its original is the first version, its content names the update it revises.
    const secondUpdate = await f.store.call('declarations.create', { type: 'declaration-update', issuer: f.issuer, content: update(firstUpdate) });
    expect(secondUpdate.original_declaration_uuid).toBe(original);

    const byContent = await refuses(f.store, 'declarations.discard', firstUpdate, 'referenced_by_declarations');
    expect(byContent.details?.referring).toEqual([{ declaration_uuid: secondUpdate.declaration_uuid, declaration_type: 'declaration-update', status: 'Draft' }]);
    expect(byContent.message).toContain('Discard those first, or edit them');
    const byOriginal = await refuses(f.store, 'declarations.discard', original, 'referenced_by_declarations');
    const referring = (byOriginal.details?.referring as Array<{ declaration_uuid: string }>).map((r) => r.declaration_uuid);
    expect(referring.sort()).toEqual([firstUpdate, secondUpdate.declaration_uuid].sort());

    await f.store.call('declarations.discard', { uuid: secondUpdate.declaration_uuid });
    await f.store.call('declarations.discard', { uuid: firstUpdate });
    await f.store.call('declarations.discard', { uuid: original });
    expect((await f.store.call('declarations.list', {})).items).toEqual([]);
  });

  it('keeps a Finalized declaration that a signed revocation names: that statement exists, so its target stays', async () => {
    const f = await fixture();
    const target = await finalized(f);
    // This store refuses to sign a revision of an unsigned declaration, but anyone else can sign one naming its uuid.
    const elsewhere = buildDeclaration('nostr', { content: buildContent('declaration-revoke', { target_declaration_uuid: target, reason: 'mistake' }) });
    await f.store.call('import.text', { text: elsewhere.events.map((e) => JSON.stringify(e)).join('\n') });
    const error = await refuses(f.store, 'declarations.discard', target, 'referenced_by_declarations');
    expect(error.message).toContain('A signed declaration names it, so it stays.');
    // Going back to Draft is still possible: nothing of the target itself was signed.
    expect((await f.store.call('declarations.reopen', { uuid: target })).status).toBe('Draft');
  });
});

describe('revisions of unsigned declarations', () => {
  it('refuses to finalize an update or revocation of a Draft or Finalized declaration, and allows it once the target is signed', async () => {
    const f = await fixture();
    const target = await finalized(f);
    const revocation = (await f.store.call('declarations.create', { type: 'declaration-revoke', issuer: f.issuer, content: { target_declaration_uuid: target, reason: 'mistake' } })).declaration_uuid as string;
    const before = snapshotStore(f.store.dbPath);
    const refused = await f.store.fails('declarations.finalize', { uuid: revocation });
    expect(refused.code).toBe('invalid_input');
    expect(refused.message).toContain(`that declaration is Finalized, never signed, so there is nothing to revoke`);
    expect(snapshotStore(f.store.dbPath)).toEqual(before);

    await f.store.call('declarations.reopen', { uuid: target });
    expect((await f.store.fails('declarations.finalize', { uuid: revocation })).message).toContain('that declaration is Draft, never signed');

    await f.store.call('declarations.finalize', { uuid: target });
    await f.store.call('declarations.sign', { uuid: target });
    await f.store.call('declarations.finalize', { uuid: revocation });
    expect((await f.store.call('declarations.sign', { uuid: revocation })).status).toBe('Signed');
    expect((await f.store.call('declarations.get', { uuid: target })).is_revoked).toBe(true);
  });
});
