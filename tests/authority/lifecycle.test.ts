// Revocations and updates in the store's lifecycle, through the operation table in-process with a controlled clock:
// signing a revocation or update rewrites is_revoked / revoked_at / revoked_by and the supersession of the target —
// only when the evaluator authorizes it — and drafts of updates and revocations get their chain fields from the target.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeOperation } from '../../electron/ops/define';
import { createOperationContext, type OperationContext } from '../../electron/ops/context';
import { operations } from '../../electron/ops/table';
import { applyRevocations } from '../../electron/ops/handlers/authority';
import { CHEAP_SCRYPT, tempDir } from '../store/fixtures';

let clock = Date.parse('2026-03-01T10:00:00Z');
let ctx: OperationContext;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function call(name: keyof typeof operations, input: unknown): Promise<any> {
  const result = await invokeOperation(operations[name] as never, input, ctx);
  if (!result.ok) throw new Error(`${name}: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Creates, finalizes and signs one declaration a minute after the previous one. */
async function signed(type: string, issuer: string, subject: string, content: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  clock += 60_000;
  const draft = await call('declarations.create', { type, issuer, subject, content, ...extra });
  await call('declarations.finalize', { uuid: draft.declaration_uuid });
  return call('declarations.sign', { uuid: draft.declaration_uuid });
}

const chain = async (uuid: string) => call('authority.chain', { uuid });
const row = async (uuid: string) => call('declarations.get', { uuid });

describe('revocations and updates in the lifecycle', () => {
  const keys: Record<string, string> = {};
  beforeAll(async () => {
    ctx = createOperationContext({ dbPath: path.join(tempDir(), 'lifecycle.db'), scrypt: CHEAP_SCRYPT, now: () => new Date(clock) });
    await call('store.init', { passphrase: 'correct horse battery' });
    for (const name of ['master', 'operating', 'authorized', 'member', 'stranger']) {
      keys[name] = (await call('keys.generate', { algorithm: 'nostr', label: name })).id;
    }
  });
  afterAll(async () => ctx.services.close());

  const grant = { trust_level: 'authorized-admin', permissions: ['moderate'], scope: { namespaces: ['games/chess'] } };

  it("without anchors, an issuer's own revocation counts and a stranger's does not", async () => {
    const oa = await signed('trust-declaration', keys.operating!, keys.authorized!, grant, { valid_until: '2099-01-01T00:00:00Z' });
    const stranger = await signed('declaration-revoke', keys.stranger!, keys.authorized!, { target_declaration_uuid: oa.declaration_uuid, reason: 'x' });
    expect(stranger.original_declaration_uuid).toBe(oa.declaration_uuid);
    expect(await row(oa.declaration_uuid)).toMatchObject({ is_revoked: false });
    const own = await signed('declaration-revoke', keys.operating!, keys.authorized!, { target_declaration_uuid: oa.declaration_uuid, reason: 'done' });
    expect(await row(oa.declaration_uuid)).toMatchObject({ is_revoked: true, revoked_at: own.signing_timestamp, revoked_by_declaration_uuid: own.declaration_uuid });
    expect((await chain(own.declaration_uuid)).result).toMatchObject({ ok: true, basis: 'issuer_of_target' });
  });

  it('an update joins the chain with the next content_version and supersedes the version it names; an update of an update too', async () => {
    await call('anchors.add', { key: keys.master, label: 'Root' });
    const mo = await signed('trust-declaration', keys.master!, keys.operating!, { trust_level: 'operating-admin', permissions: ['grant-privileges', 'revoke', 'moderate'], scope: { namespaces: ['games'] } });
    const oa = await signed('trust-declaration', keys.operating!, keys.authorized!, grant, { valid_until: '2099-01-01T00:00:00Z' });
    const narrowed = { ...grant, scope: { namespaces: ['games/chess/blitz'] } };
    const update = (target: string, reason: string) => ({ target_declaration_uuid: target, reason, updated_declaration_type: 'trust-declaration', updated_content: narrowed });
    const v2 = await signed('declaration-update', keys.operating!, keys.authorized!, update(oa.declaration_uuid, 'narrow'), { valid_until: '2099-01-01T00:00:00Z' });
    expect(v2).toMatchObject({ original_declaration_uuid: oa.declaration_uuid, is_update: true, content_version: 2 });
    expect((await chain(oa.declaration_uuid)).superseded_by).toBe(v2.declaration_uuid);
    const v3 = await signed('declaration-update', keys.operating!, keys.authorized!, update(v2.declaration_uuid, 'again'), { valid_until: '2099-01-01T00:00:00Z' });
    expect(v3).toMatchObject({ original_declaration_uuid: oa.declaration_uuid, content_version: 3 });
    expect((await chain(oa.declaration_uuid)).superseded_by).toBe(v3.declaration_uuid);
    expect((await chain(v2.declaration_uuid)).superseded_by).toBe(v3.declaration_uuid);
    expect((await chain(v3.declaration_uuid)).superseded_by).toBeNull();
    // The list says so too, so it can mark old versions without asking per row.
    const listed = new Map((await call('declarations.list', { limit: 500 })).items.map((i: { declaration_uuid: string; superseded_by: string | null }) => [i.declaration_uuid, i.superseded_by]));
    expect([listed.get(oa.declaration_uuid), listed.get(v2.declaration_uuid), listed.get(v3.declaration_uuid)]).toEqual([v3.declaration_uuid, v3.declaration_uuid, null]);
    // The member's moderation under the narrowed grant: chess is now beyond it, blitz within.
    const inChess = await signed('moderation-action', keys.authorized!, keys.member!, { action: 'warn', scope: { namespaces: ['games/chess'] }, reason: 'x' });
    expect((await chain(inChess.declaration_uuid)).result).toMatchObject({ ok: false, rule: 'exceeds_delegated_scope' });
    const inBlitz = await signed('moderation-action', keys.authorized!, keys.member!, { action: 'warn', scope: { namespaces: ['games/chess/blitz'] }, reason: 'x' });
    const view = await chain(inBlitz.declaration_uuid);
    expect(view.result.chain.map((l: { declaration_uuid: string }) => l.declaration_uuid)).toEqual([mo.declaration_uuid, v3.declaration_uuid]);
  });

  it('editing a draft derives its chain fields again: another target, another chain; no longer an update, version 1', async () => {
    const first = await signed('trust-declaration', keys.operating!, keys.authorized!, grant, { valid_until: '2099-01-01T00:00:00Z' });
    const other = await signed('trust-declaration', keys.operating!, keys.member!, grant, { valid_until: '2099-01-01T00:00:00Z' });
    const otherV2 = await signed('declaration-update', keys.operating!, keys.member!, { target_declaration_uuid: other.declaration_uuid, reason: 'v2', updated_declaration_type: 'trust-declaration', updated_content: grant }, { valid_until: '2099-01-01T00:00:00Z' });
    const update = (target: string) => ({ target_declaration_uuid: target, reason: 'edit', updated_declaration_type: 'trust-declaration', updated_content: grant });
    const draft = await call('declarations.create', { type: 'declaration-update', issuer: keys.operating, subject: keys.authorized, content: update(first.declaration_uuid) });
    expect(draft).toMatchObject({ original_declaration_uuid: first.declaration_uuid, is_update: true, content_version: 2 });
    // Retargeted at an update (version 2 of another chain): that chain's original, version 3.
    const retargeted = await call('declarations.update', { uuid: draft.declaration_uuid, content: update(otherV2.declaration_uuid) });
    expect(retargeted).toMatchObject({ original_declaration_uuid: other.declaration_uuid, is_update: true, content_version: 3 });
    // A revocation instead: its target is its original, and it is not an update.
    const revoking = await call('declarations.update', { uuid: draft.declaration_uuid, type: 'declaration-revoke', content: { target_declaration_uuid: first.declaration_uuid, reason: 'gone' } });
    expect(revoking).toMatchObject({ original_declaration_uuid: first.declaration_uuid, is_update: false, content_version: 1 });
    // A plain grant: nothing of the old target's chain remains.
    const plain = await call('declarations.update', { uuid: draft.declaration_uuid, type: 'trust-declaration', content: grant });
    expect(plain).toMatchObject({ original_declaration_uuid: null, is_update: false, content_version: 1 });
    // An original given explicitly is kept across a later content edit of a type outside the chain.
    await call('declarations.update', { uuid: draft.declaration_uuid, original_declaration_uuid: other.declaration_uuid });
    const edited = await call('declarations.update', { uuid: draft.declaration_uuid, content: { ...grant, permissions: ['moderate', 'revoke'] } });
    expect(edited).toMatchObject({ original_declaration_uuid: other.declaration_uuid, is_update: false, content_version: 1 });
  });

  it('a revision names its target\'s subject by default; one a verifier would refuse as invalid_target is refused while drafting, and nothing is stored', async () => {
    const target = await signed('trust-declaration', keys.operating!, keys.authorized!, grant, { valid_until: '2099-01-01T00:00:00Z' });
    const revoke = { target_declaration_uuid: target.declaration_uuid, reason: 'handed over' };
    // No subject given: the target's.
    const draft = await call('declarations.create', { type: 'declaration-revoke', issuer: keys.operating, content: revoke });
    expect(draft).toMatchObject({ target_keypair_uuid: keys.authorized, target_fingerprint: target.target_fingerprint, original_declaration_uuid: target.declaration_uuid });

    const refusal = async (name: keyof typeof operations, input: unknown) => {
      const before = (await call('declarations.list', { limit: 500 })).items.length;
      const result = await invokeOperation(operations[name] as never, input, ctx);
      expect((await call('declarations.list', { limit: 500 })).items.length).toBe(before);
      return result.ok ? undefined : result.error;
    };
    // Another subject than the target's.
    expect(await refusal('declarations.create', { type: 'declaration-revoke', issuer: keys.operating, subject: keys.member, content: revoke })).toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('must name the same subject as its target'),
    });
    // A revocation is final: it cannot be revoked or updated.
    const signedRevocation = await signed('declaration-revoke', keys.operating!, keys.authorized!, revoke);
    expect((await refusal('declarations.create', { type: 'declaration-revoke', issuer: keys.operating, content: { target_declaration_uuid: signedRevocation.declaration_uuid, reason: 'undo' } }))?.message).toContain('is a declaration-revoke, which is final');
    // A privilege-revoke targets a grant or trust declaration, not a moderation action.
    const action = await signed('moderation-action', keys.authorized!, keys.member!, { action: 'warn', scope: { namespaces: ['games/chess'] }, reason: 'x' });
    expect((await refusal('declarations.create', { type: 'privilege-revoke', issuer: keys.authorized, content: { target_declaration_uuid: action.declaration_uuid, permissions: ['moderate'], reason: 'x' } }))?.message).toContain('targets a privilege-grant or trust-declaration');
    // An update keeps its target's type.
    const other = await signed('trust-declaration', keys.operating!, keys.member!, grant, { valid_until: '2099-01-01T00:00:00Z' });
    const wrongType = { target_declaration_uuid: other.declaration_uuid, reason: 'x', updated_declaration_type: 'privilege-grant', updated_content: { permissions: ['moderate'], scope: '*' } };
    expect((await refusal('declarations.create', { type: 'declaration-update', issuer: keys.operating, content: wrongType }))?.message).toContain('updated_declaration_type must be trust-declaration');

    // Editing: retargeting a Draft moves its subject along unless one is given, and a given one must match.
    const retargeted = await call('declarations.update', { uuid: draft.declaration_uuid, content: { target_declaration_uuid: other.declaration_uuid, reason: 'x' } });
    expect(retargeted).toMatchObject({ target_keypair_uuid: keys.member, original_declaration_uuid: other.declaration_uuid });
    expect((await refusal('declarations.update', { uuid: draft.declaration_uuid, subject: keys.authorized }))?.message).toContain('must name the same subject as its target');
    expect(await row(draft.declaration_uuid)).toMatchObject({ target_keypair_uuid: keys.member });
  });

  it('pinning or unpinning an anchor recomputes which revocations count', async () => {
    const mo = await signed('trust-declaration', keys.master!, keys.stranger!, { trust_level: 'operating-admin', permissions: ['moderate'], scope: '*' });
    // A second master revokes the first master's grant: authorized only while it is an anchor.
    const other = (await call('keys.generate', { algorithm: 'nostr', label: 'other master' })).id;
    const revoke = await signed('declaration-revoke', other, keys.stranger!, { target_declaration_uuid: mo.declaration_uuid, reason: 'x' });
    expect(await row(mo.declaration_uuid)).toMatchObject({ is_revoked: false });
    const pinned = await call('anchors.add', { key: other });
    expect(await row(mo.declaration_uuid)).toMatchObject({ is_revoked: true, revoked_by_declaration_uuid: revoke.declaration_uuid });
    await call('anchors.remove', { fingerprint: pinned.fingerprint });
    expect(await row(mo.declaration_uuid)).toMatchObject({ is_revoked: false });
    // Recomputing with nothing new changes nothing.
    expect(applyRevocations(ctx.services.db(), new Date(clock))).toEqual({ changed: [] });
  });

  it('anchors.list names who uses an anchor label with another key, unless asked for names only', async () => {
    await signed('trust-declaration', keys.stranger!, keys.member!, { ...grant, issuer_label: 'Root' });
    const full = await call('anchors.list', {});
    expect(full.key_change_warnings).toEqual([expect.objectContaining({ kind: 'key_change', label: 'Root' })]);
    const namesOnly = await call('anchors.list', { include_warnings: false });
    expect(namesOnly).toEqual({ anchors: full.anchors, key_change_warnings: [] });
  });
});

