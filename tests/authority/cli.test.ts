// Authority through the real `declsign` binary: a pinned master → operating → authorized chain built with real keys,
// the `authority` check of `verify` (store anchors, no anchors, an --anchors file that replaces them), `chain`, an
// authorized admin exceeding its grant, a revocation cascading to what is signed after it, and the same bundles in
// scrambled order giving the same verdicts.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliStore, ensureCliBuilt, generateKey, runCli } from '../cli/helpers';

type Key = ReturnType<typeof generateKey>;
type Json = Record<string, unknown>;

const FAR = '2099-01-01T00:00:00Z';

/** Declarations are stamped in whole seconds: crossing a second boundary orders two signatures strictly. */
function nextSecond(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1050 - (Date.now() % 1000));
}

describe('declsign: authority', () => {
  let store: CliStore;
  const keys = {} as Record<'master' | 'operating' | 'authorized' | 'member' | 'outsider', Key>;
  const uuid = {} as Record<'mo' | 'oa' | 'moderation' | 'wideScope' | 'widePermissions' | 'strayRevoke' | 'revoke' | 'late' | 'early', string>;
  let files = 0;

  function declare(type: string, issuer: Key, subject: Key, content: Json, extra: string[] = []): string {
    const file = store.file(`content-${files++}.json`, JSON.stringify(content));
    const draft = store.ok(['decl', 'create', '--type', type, '--issuer', issuer.id, '--subject', subject.id, '--content', file, ...extra]);
    store.ok(['decl', 'finalize', draft.declaration_uuid]);
    store.ok(['decl', 'sign', draft.declaration_uuid]);
    return draft.declaration_uuid as string;
  }

  /** Exports a declaration's bundle into the store's temp dir and returns the file. */
  function exported(id: string): string {
    const bundle = store.ok(['decl', 'export', id]);
    return store.file(`${id}.bundle.json`, JSON.stringify(bundle));
  }

  const moderation = (scope: string[]) => ({ action: 'hide', scope: { namespaces: scope }, reason: 'spam' });

  beforeAll(() => {
    ensureCliBuilt();
    store = new CliStore().init();
    keys.master = generateKey(store, 'nostr', 'master', ['--role', 'master-admin']);
    keys.operating = generateKey(store, 'nostr', 'operating');
    keys.authorized = generateKey(store, 'ed25519', 'authorized');
    keys.member = generateKey(store, 'nostr', 'member');
    keys.outsider = generateKey(store, 'nostr', 'outsider');
    // content_schema_version is left out on purpose: absent means 1.
    uuid.mo = declare('trust-declaration', keys.master, keys.operating, { trust_level: 'operating-admin', permissions: ['grant-privileges', 'revoke', 'moderate'], scope: { namespaces: ['games'] } });
    uuid.oa = declare('trust-declaration', keys.operating, keys.authorized, { trust_level: 'authorized-admin', permissions: ['grant-privileges', 'moderate'], scope: { namespaces: ['games/chess'] } }, ['--valid-until', FAR]);
    uuid.moderation = declare('moderation-action', keys.authorized, keys.member, moderation(['games/chess/openings']));
  });
  afterAll(() => store.remove());

  it('without anchors: valid on the cryptography alone, and says plainly that authority was not evaluated', () => {
    const file = exported(uuid.moderation);
    const human = store.run(['verify', file]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^VALID/);
    expect(human.stdout).toContain('authority not evaluated');
    const json = store.run(['verify', file, '--json']).json;
    expect(json.valid).toBe(true);
    expect(json.reports[0].authority).toMatchObject({ evaluated: false, reason: 'no_anchors' });
    expect(json.reports[0].checks.map((c: Json) => c.name)).not.toContain('authority');
    // chain says the same, and does not pretend to authorize.
    const chain = store.run(['chain', uuid.moderation]);
    expect(chain.code).toBe(1);
    expect(chain.stdout).toMatch(/NOT EVALUATED[\s\S]*no_anchors/);
  });

  it('generating a master-admin key pins nothing; anchors add pins by npub, and a fingerprint alone only for a known key', () => {
    expect(store.ok(['anchors', 'list']).anchors).toEqual([]);
    const unknownFingerprint = 'ab'.repeat(32);
    store.fails(['anchors', 'add', unknownFingerprint], 'unknown_key');
    store.fails(['anchors', 'add', 'not-a-key'], 'invalid_input');
    const pinned = store.ok(['anchors', 'add', keys.master.canonical_name, '--label', 'Alice']);
    expect(pinned).toMatchObject({ fingerprint: keys.master.fingerprint, canonical_name: keys.master.canonical_name, label: 'Alice', created: true, local_key: { id: keys.master.id } });
    expect(pinned.fingerprint_grouped).toBe(keys.master.fingerprint.match(/.{4}/g)!.join(' '));
    // The fingerprint of a local key pins that key; pinning again is harmless.
    expect(store.ok(['anchors', 'add', keys.master.fingerprint]).created).toBe(false);
    const list = store.run(['anchors', 'list']);
    expect(list.stdout).toContain(pinned.fingerprint_grouped);
    expect(list.stdout).toContain('Alice');
  });

  it('with the master pinned, verify shows the chain anchor → operating → authorized → signer', () => {
    const file = exported(uuid.moderation);
    const human = store.run(['verify', file]);
    expect(human.code, human.stdout + human.stderr).toBe(0);
    expect(human.stdout).toContain(`authority: anchor "Alice" ${keys.master.canonical_name} → ${uuid.mo} (operating-admin) → ${uuid.oa} (authorized-admin) → signer ${keys.authorized.canonical_name}`);
    const report = store.run(['verify', file, '--json']).json.reports[0];
    expect(report.valid).toBe(true);
    expect(report.checks.find((c: Json) => c.name === 'authority')).toMatchObject({ ok: true });
    expect(report.authority).toMatchObject({ evaluated: true, ok: true, anchors: 'store', anchor_count: 1 });
    expect(report.authority.result.chain.map((l: Json) => l.declaration_uuid)).toEqual([uuid.mo, uuid.oa]);
  });

  it('chain prints one step per line and exits 0', () => {
    const chain = store.run(['chain', uuid.moderation]);
    expect(chain.code, chain.stderr).toBe(0);
    expect(chain.stdout.trim().split('\n')).toEqual([
      `AUTHORIZED  ${uuid.moderation}`,
      `  anchor "Alice" ${keys.master.canonical_name}`,
      `  → ${uuid.mo} (operating-admin)`,
      `  → ${uuid.oa} (authorized-admin)`,
      `  → signer ${keys.authorized.canonical_name}`,
    ]);
    expect(store.ok(['chain', uuid.mo]).result).toMatchObject({ ok: true, basis: 'anchor' });
  });

  it('an authorized admin exceeding its grant is not valid: exceeds_delegated_scope / _permissions, exit 1', () => {
    uuid.wideScope = declare('moderation-action', keys.authorized, keys.member, moderation(['games/chessboard']));
    uuid.widePermissions = declare('privilege-grant', keys.authorized, keys.member, { permissions: ['moderate', 'revoke'], scope: { namespaces: ['games/chess'] } }, ['--valid-until', FAR]);
    for (const [id, rule] of [[uuid.wideScope, 'exceeds_delegated_scope'], [uuid.widePermissions, 'exceeds_delegated_permissions']] as const) {
      const file = exported(id);
      const human = store.run(['verify', file]);
      expect(human.code).toBe(1);
      expect(human.stdout).toMatch(/^INVALID/);
      expect(human.stdout).toContain(`[FAIL] authority: ${rule}`);
      const report = store.run(['verify', file, '--json']).json.reports[0];
      expect(report.authority).toMatchObject({ evaluated: true, ok: false, result: { rule } });
      // The cryptography was fine: only the authority check failed.
      expect(report.checks.filter((c: Json) => !c.ok).map((c: Json) => c.name)).toEqual(['authority']);
      const chain = store.run(['chain', id]);
      expect(chain.code).toBe(1);
      expect(chain.stdout).toContain(`NOT AUTHORIZED  ${id}`);
      expect(chain.stdout).toContain(rule);
    }
  });

  it("a revocation by someone without the right changes nothing; the master's revocation cascades to what is signed after it", () => {
    // The authorized admin cannot revoke an operating admin's grant: the row stays unrevoked.
    uuid.strayRevoke = declare('declaration-revoke', keys.authorized, keys.operating, { target_declaration_uuid: uuid.mo, reason: 'coup' });
    expect(store.ok(['decl', 'show', uuid.strayRevoke]).original_declaration_uuid).toBe(uuid.mo);
    expect(store.ok(['decl', 'show', uuid.mo]).is_revoked).toBe(false);
    expect(store.run(['chain', uuid.strayRevoke]).stdout).toContain('unauthorized_revocation');

    uuid.early = declare('moderation-action', keys.authorized, keys.member, moderation(['games/chess']));
    nextSecond();
    uuid.revoke = declare('declaration-revoke', keys.master, keys.operating, { target_declaration_uuid: uuid.mo, reason: 'left the team' });
    const revoked = store.ok(['decl', 'show', uuid.mo]);
    expect(revoked).toMatchObject({ is_revoked: true, revoked_by_declaration_uuid: uuid.revoke });
    expect(revoked.revoked_at).toBe(store.ok(['decl', 'show', uuid.revoke]).signing_timestamp);
    nextSecond();
    uuid.late = declare('moderation-action', keys.authorized, keys.member, moderation(['games/chess']));

    const late = store.run(['verify', exported(uuid.late), '--json']);
    expect(late.code).toBe(1);
    expect(late.json.reports[0].authority).toMatchObject({ ok: false, result: { rule: 'delegation_revoked' } });
    expect(store.run(['chain', uuid.late]).stdout).toContain('delegation_revoked');
    // Signed before the revocation: still authorized.
    const early = store.run(['verify', exported(uuid.early)]);
    expect(early.code, early.stdout).toBe(0);
    expect(store.ok(['chain', uuid.early]).result.ok).toBe(true);
  });

  it("decl revoke and decl update draft a revision of a declaration: its subject, its issuer by default, and an update keeps its type", () => {
    // A grant of its own, so that signing a revocation below changes nothing the other tests rely on.
    const subject = generateKey(store, 'nostr', 'revision subject');
    const grant = { trust_level: 'authorized-admin', permissions: ['moderate'], scope: { namespaces: ['games/go'] } };
    const target = declare('trust-declaration', keys.operating, subject, grant, ['--valid-until', FAR]);

    const revoke = store.ok(['decl', 'revoke', target, '--reason', 'moved on']);
    expect(revoke).toMatchObject({ declaration_type: 'declaration-revoke', status: 'Draft', issuer_keypair_uuid: keys.operating.id, target_keypair_uuid: subject.id, original_declaration_uuid: target });
    expect(revoke.content.content).toEqual({ content_schema_version: 1, target_declaration_uuid: target, reason: 'moved on' });
    // Human output says what takes the Draft into force.
    expect(store.run(['decl', 'revoke', target, '--reason', 'again', '--issuer', keys.master.id]).stdout).toContain('Review it, then: declsign decl finalize ');

    const narrower = { ...grant, scope: { namespaces: ['games/go/9x9'] } };
    const update = store.ok(['decl', 'update', target, '--reason', 'narrower', '--content', '-'], { stdin: JSON.stringify(narrower) });
    expect(update).toMatchObject({ declaration_type: 'declaration-update', is_update: true, content_version: 2, original_declaration_uuid: target, target_keypair_uuid: subject.id });
    expect(update.content.content).toMatchObject({ target_declaration_uuid: target, updated_declaration_type: 'trust-declaration', updated_content: narrower });

    expect(store.fails(['decl', 'revoke', target], 'invalid_input').message).toContain('--reason');
    store.fails(['decl', 'revoke', '00000000-0000-4000-8000-000000000000', '--reason', 'x'], 'not_found');
    // The operation refuses what a verifier would: a revocation is final, so it cannot itself be revoked.
    store.ok(['decl', 'finalize', revoke.declaration_uuid]);
    store.ok(['decl', 'sign', revoke.declaration_uuid]);
    expect(store.ok(['decl', 'show', target]).is_revoked).toBe(true);
    expect(store.fails(['decl', 'revoke', revoke.declaration_uuid, '--reason', 'undo'], 'invalid_input').message).toContain('final');
  });

  it('--anchors FILE replaces the store anchors for the check (lines or JSON)', () => {
    const file = exported(uuid.early);
    // Only an unrelated key: the store's pinned master is not used, so nothing authorizes the chain.
    const outsiderOnly = store.file('outsider.anchors', `# offline check\n${keys.outsider.canonical_name} Bob\n`);
    const refused = store.run(['verify', file, '--anchors', outsiderOnly, '--json']);
    expect(refused.code).toBe(1);
    expect(refused.json.reports[0].authority).toMatchObject({ evaluated: true, ok: false, anchors: 'given', anchor_count: 1 });
    // The operating admin as the only anchor: the chain starts there.
    const operatingJson = store.file('operating.anchors.json', JSON.stringify([{ fingerprint: keys.operating.fingerprint, label: 'Ops' }]));
    const fromOperating = store.run(['verify', file, '--anchors', operatingJson]);
    expect(fromOperating.code, fromOperating.stdout).toBe(0);
    expect(fromOperating.stdout).toContain(`authority: anchor "Ops" ${keys.operating.canonical_name} → ${uuid.oa} (authorized-admin) → signer`);
    // A malformed list is an input error, not a verdict.
    const bad = store.run(['verify', file, '--anchors', store.file('bad.anchors', 'npub1nonsense\n'), '--json']);
    expect(bad.code).toBe(2);
    // Without any store at all, an anchors file still gives an authority verdict from the input alone.
    const bundles = [uuid.mo, uuid.oa, uuid.early].map((id) => readFileSync(exported(id), 'utf8').trim());
    const chainFile = store.file('chain.jsonl', bundles.map((b) => JSON.stringify(JSON.parse(b))).join('\n'));
    const masterAnchors = store.file('master.anchors', `${keys.master.fingerprint}\n`);
    const offline = runCli(['verify', chainFile, '--anchors', masterAnchors, '--json'], { env: { DECLSIGN_DB: path.join(store.dir, 'absent.db') } });
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.json.reports.map((r: Json) => (r.authority as Json).ok)).toEqual([true, true, true]);
  });

  it('the same declarations as events in scrambled order give the same verdicts', () => {
    const all = Object.values(uuid);
    const events = all.flatMap((id) => (JSON.parse(readFileSync(exported(id), 'utf8')) as { events: unknown[] }).events);
    const anchors = store.file('verdict.anchors', `${keys.master.canonical_name}\n`);
    const verdicts = (order: unknown[]) => {
      const file = store.file('scrambled.jsonl', order.map((e) => JSON.stringify(e)).join('\n'));
      // No store: the graph is exactly the input.
      const result = runCli(['verify', file, '--anchors', anchors, '--json'], { env: { DECLSIGN_DB: path.join(store.dir, 'absent.db') } });
      expect(result.code).toBe(1); // some declarations in the set are not authorized
      const byUuid: Record<string, unknown> = {};
      for (const report of result.json.reports as Array<{ declaration_uuid: string; valid: boolean; authority: { ok: boolean; result: { rule?: string } } }>) {
        byUuid[report.declaration_uuid] = [report.valid, report.authority.ok, report.authority.result.rule ?? null];
      }
      return byUuid;
    };
    const reference = verdicts(events);
    expect(Object.keys(reference).sort()).toEqual([...all].sort());
    expect(reference).toMatchObject({
      // Authorized when issued, but revoked by a revocation in the same input: not valid now.
      [uuid.mo]: [false, true, null],
      [uuid.oa]: [true, true, null],
      [uuid.moderation]: [true, true, null],
      [uuid.early]: [true, true, null],
      [uuid.revoke]: [true, true, null],
      [uuid.wideScope]: [false, false, 'exceeds_delegated_scope'],
      [uuid.widePermissions]: [false, false, 'exceeds_delegated_permissions'],
      [uuid.strayRevoke]: [false, false, 'unauthorized_revocation'],
      [uuid.late]: [false, false, 'delegation_revoked'],
    });
    let seed = 11;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 3; round++) {
      const shuffled = [...events].sort(() => random() - 0.5);
      expect(verdicts(shuffled)).toEqual(reference);
    }
  });

  it("anchors list warns of a declaration whose issuer uses an anchor's label with another key (TOFU key change)", () => {
    expect(store.ok(['anchors', 'list']).key_change_warnings).toEqual([]);
    const impostor = declare('trust-declaration', keys.outsider, keys.member, { trust_level: 'authorized-admin', permissions: ['moderate'], scope: { namespaces: ['games'] }, issuer_label: 'Alice' });
    const listed = store.ok(['anchors', 'list']);
    expect(listed.key_change_warnings).toEqual([
      expect.objectContaining({ kind: 'key_change', declaration_uuid: impostor, label: 'Alice', pinned_fingerprints: [keys.master.fingerprint], presented_fingerprint: keys.outsider.fingerprint }),
    ]);
    // Callers after names only can skip reading every declaration.
    expect(store.run(['anchors', 'list', '--json']).json.key_change_warnings).toHaveLength(1);
    const human = store.run(['anchors', 'list']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`^warning: .*Alice.*${impostor}`, 'm'));
  });
});

