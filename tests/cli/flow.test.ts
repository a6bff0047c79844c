// The administrator's journey through the real `declsign` binary: keys of every algorithm, declarations signed
// directly (Nostr) and wrapped (Ed25519, RSA, ML-DSA), countersigned both ways, shown, listed, exported and verified.

import { createHash, createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import canonicalize from 'canonicalize';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { decrypt as nip49Decrypt } from 'nostr-tools/nip49';
import { npubEncode, nsecEncode } from 'nostr-tools/nip19';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliStore, ensureCliBuilt, generateKey, PASSPHRASE } from './helpers';

type Key = ReturnType<typeof generateKey>;

const FUTURE = '2099-01-01T00:00:00Z';
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('declsign: the administrator journey', () => {
  let store: CliStore;
  const keys = {} as Record<'master' | 'nostrCounter' | 'ed' | 'rsa' | 'mldsa' | 'edCounter', Key>;
  const subjectSecret = generateSecretKey();
  const subjectNpub = npubEncode(getPublicKey(subjectSecret));
  let contentFile: string;
  const decl = {} as Record<'nostr' | 'ed' | 'rsa' | 'mldsa', string>;

  beforeAll(() => {
    ensureCliBuilt();
    store = new CliStore();
    contentFile = store.file('content.json', JSON.stringify({ trust_level: 'full', scope: ['relay-admin', 'moderation'], note: 'zürich ✓' }));
  });
  afterAll(() => store.remove());

  it('creates the store and reports it initialised', () => {
    const status = store.ok(['init']);
    expect(status).toMatchObject({ path: store.dbPath, initialized: true, keys: 0, declarations: 0 });
    expect(store.ok(['status'])).toMatchObject({ initialized: true, unlocked: false, schema_version: expect.any(Number) });
  });

  it('generates Nostr, Ed25519, RSA-2048 and ML-DSA-65 keys', () => {
    keys.master = generateKey(store, 'nostr', 'master', ['--role', 'master-admin']);
    keys.nostrCounter = generateKey(store, 'nostr', 'counter nostr');
    keys.ed = generateKey(store, 'ed25519', 'ed issuer');
    keys.rsa = generateKey(store, 'rsa', 'rsa issuer', ['--bits', '2048']);
    keys.mldsa = generateKey(store, 'ml-dsa-65', 'pq issuer');
    keys.edCounter = generateKey(store, 'ed25519', 'counter ed');
    expect(keys.master).toMatchObject({ type: 'nostr', role: 'master-admin', has_private_key: true });
    expect(keys.master.canonical_name).toMatch(/^npub1/);
    expect(keys.rsa).toMatchObject({ type: 'rsa' });
    // 2048-bit modulus: the SPKI-free public key encoding is ~270 bytes; a 3072-bit one would be ~400.
    expect(keys.rsa.public_key.length / 2).toBeLessThan(300);
    expect(keys.mldsa).toMatchObject({ type: 'ml-dsa-65', experimental: true });
    expect(keys.mldsa.public_key).toHaveLength(1952 * 2);
  });

  it('lists keys with public information only', () => {
    const list = store.ok(['keys', 'list']);
    expect(list.keys).toHaveLength(6);
    for (const key of list.keys) {
      expect(key).toEqual(
        expect.objectContaining({ id: expect.any(String), type: expect.any(String), fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/), canonical_name: expect.any(String), public_key: expect.stringMatching(/^[0-9a-f]+$/) }),
      );
      expect(Object.keys(key).filter((k) => /private|secret|nsec/i.test(k))).toEqual(['has_private_key']);
    }
    const human = store.run(['keys', 'list']);
    expect(human.code).toBe(0);
    // The grouped fingerprint is what a person compares by eye.
    expect(human.stdout).toContain(keys.master.fingerprint.match(/.{4}/g)!.join(' '));
  });

  it('create → finalize → sign with a Nostr key', () => {
    const draft = store.ok(['decl', 'create', '--type', 'trust-declaration', '--issuer', keys.master.id, '--subject-pubkey', subjectNpub, '--content', contentFile, '--valid-until', FUTURE]);
    expect(draft).toMatchObject({ status: 'Draft', declaration_type: 'trust-declaration', target_canonical_name: subjectNpub, valid_until: FUTURE });
    expect(draft.content.content).toEqual({ trust_level: 'full', scope: ['relay-admin', 'moderation'], note: 'zürich ✓' });
    decl.nostr = draft.declaration_uuid;
    expect(store.ok(['decl', 'finalize', decl.nostr]).status).toBe('Finalized');
    const signed = store.ok(['decl', 'sign', decl.nostr]);
    expect(signed).toMatchObject({ status: 'Signed', signing_keypair_uuid: keys.master.id, wrapper_keypair_uuid: null });
    expect(signed.nostr_event.pubkey).toBe(keys.master.public_key);
    expect(signed.nostr_event_id).toBe(signed.nostr_event.id);
    expect(signed.events.map((e: { role: string }) => e.role)).toEqual(['primary']);
    expect(signed.signed_data_sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  function createFinalized(type: string, issuer: Key, subject: Key): string {
    const draft = store.ok(['decl', 'create', '--type', type, '--issuer', issuer.id, '--subject', subject.id, '--content', '-', '--valid-until', FUTURE], {
      stdin: JSON.stringify({ privileges: ['publish'], issued_for: issuer.type }),
    });
    store.ok(['decl', 'finalize', draft.declaration_uuid]);
    return draft.declaration_uuid;
  }

  it('signs with Ed25519 wrapped by a named Nostr key (--wrap-with)', () => {
    decl.ed = createFinalized('privilege-grant', keys.ed, keys.edCounter);
    const signed = store.ok(['decl', 'sign', decl.ed, '--key', keys.ed.id, '--wrap-with', keys.nostrCounter.id]);
    expect(signed).toMatchObject({ status: 'Signed', signing_keypair_uuid: keys.ed.id, wrapper_keypair_uuid: keys.nostrCounter.id });
    expect(signed.signed_data.signature.algorithm).toBe('ed25519');
    expect(signed.events).toEqual([expect.objectContaining({ role: 'wrapper', pubkey: keys.nostrCounter.public_key })]);
    // Each event names its author as the app names keys: the npub, and the label of a key this store holds.
    expect(signed.events[0]).toMatchObject({ author_canonical_name: npubEncode(keys.nostrCounter.public_key), author_label: 'counter nostr' });
  });

  it('signs with RSA and ML-DSA wrapped by the default Nostr key', () => {
    decl.rsa = createFinalized('metadata-delegation', keys.rsa, keys.master);
    decl.mldsa = createFinalized('moderation-action', keys.mldsa, keys.master);
    for (const [uuid, key] of [[decl.rsa, keys.rsa], [decl.mldsa, keys.mldsa]] as const) {
      const signed = store.ok(['decl', 'sign', uuid]);
      expect(signed).toMatchObject({ status: 'Signed', signing_keypair_uuid: key.id });
      expect(signed.signed_data.signature.algorithm).toBe(key.type);
      // Default wrap key: a Nostr key with the issuer's own role (none) comes first.
      expect(signed.wrapper_keypair_uuid).toBe(keys.nostrCounter.id);
      expect(signed.events).toEqual([expect.objectContaining({ role: 'wrapper', pubkey: keys.nostrCounter.public_key })]);
    }
  });

  it('countersigns with a Nostr key (own event) and with Ed25519 (re-wrap); the same key twice is refused', () => {
    const byNostr = store.ok(['decl', 'countersign', decl.nostr, '--key', keys.nostrCounter.id]);
    const counterEvents = byNostr.events.filter((e: { role: string }) => e.role === 'countersignature');
    expect(counterEvents).toEqual([expect.objectContaining({ pubkey: keys.nostrCounter.public_key })]);

    const byEd = store.ok(['decl', 'countersign', decl.nostr, '--key', keys.edCounter.id]);
    expect(byEd.countersignatures).toEqual([expect.objectContaining({ algorithm: 'ed25519', public_key: keys.edCounter.public_key, signature_hash_value: byEd.signed_data_sha256 })]);
    // The Nostr signer re-wraps its own declaration so the newest event carries the countersignature.
    expect(byEd.wrapper_keypair_uuid).toBe(keys.master.id);
    expect(byEd.events.map((e: { role: string }) => e.role).sort()).toEqual(['countersignature', 'primary', 'wrapper']);

    const before = store.snapshot();
    store.fails(['decl', 'countersign', decl.nostr, '--key', keys.nostrCounter.id], 'duplicate_countersigner');
    store.fails(['decl', 'countersign', decl.nostr, '--key', keys.edCounter.id], 'duplicate_countersigner');
    expect(store.snapshot()).toEqual(before);

    // A wrapped declaration countersigned by Ed25519, re-wrapped by an explicitly named key.
    const wrapped = store.ok(['decl', 'countersign', decl.ed, '--key', keys.edCounter.id, '--wrap-with', keys.master.id]);
    expect(wrapped.wrapper_keypair_uuid).toBe(keys.master.id);
    expect(wrapped.events.filter((e: { superseded: boolean }) => !e.superseded)).toEqual(
      expect.arrayContaining([expect.objectContaining({ role: 'wrapper', pubkey: keys.master.public_key })]),
    );
  });

  it('shows Formats 1–4 with the right shapes and hashes', () => {
    const f1 = store.ok(['decl', 'show', decl.nostr, '--format', '1']);
    expect(f1).toEqual({ schema_version: '1.0', declaration_type: 'trust-declaration', content: { trust_level: 'full', scope: ['relay-admin', 'moderation'], note: 'zürich ✓' } });
    const f2 = store.ok(['decl', 'show', decl.nostr, '--format', '2']);
    const f3 = store.ok(['decl', 'show', decl.nostr, '--format', '3']);
    const f4 = store.ok(['decl', 'show', decl.nostr, '--format', '4']);
    expect(f2.content_hash_sha256).toBe(sha256(canonicalize(f1)!));
    expect(f2).not.toHaveProperty('signature');
    expect(f3.signature.signature_hash_value).toBe(sha256(canonicalize(f2)!));
    const view = store.ok(['decl', 'show', decl.nostr]);
    expect(view.signed_data_sha256).toBe(sha256(canonicalize(f3)!));
    expect(f3.signature.nostr_event_id).toBe(view.signed_data.nostr_event.id);
    expect(f4).toMatchObject({ declaration_uuid: decl.nostr, status: 'Signed', content: f1 });
    expect(f4).not.toHaveProperty('signed_data');
    // A Draft has no signed formats.
    const draft = store.ok(['decl', 'create', '--type', 'privilege-revoke', '--issuer', keys.master.id, '--subject', keys.ed.id, '--content', contentFile]);
    store.fails(['decl', 'show', draft.declaration_uuid, '--format', '2'], 'not_signed');
    store.fails(['decl', 'show', draft.declaration_uuid, '--format', '5'], 'invalid_input');
  });

  it('shows a compact human summary instead of every column', () => {
    const out = store.run(['decl', 'show', decl.nostr]);
    expect(out.code).toBe(0);
    const view = store.ok(['decl', 'show', decl.nostr]);
    for (const expected of [decl.nostr, 'trust-declaration', 'Signed', keys.master.canonical_name, subjectNpub, view.content_hash_sha256, view.signed_data_sha256, view.nostr_event_id, keys.edCounter.canonical_name, FUTURE]) {
      expect(out.stdout).toContain(expected);
    }
    expect(out.stdout).toContain(npubEncode(keys.nostrCounter.public_key));
    // Keys this store knows are named by their label, then the npub.
    expect(out.stdout).toMatch(new RegExp(`^Wrapped by\\s+master  ${keys.master.canonical_name}$`, 'm'));
    expect(out.stdout).toMatch(new RegExp(`^Events\\s+primary\\s+[0-9a-f]{64}  \\S+  by master  ${keys.master.canonical_name}`, 'm'));
    expect(out.stdout).not.toContain('digital_signature');
    expect(out.stdout).not.toContain('"sig"');
    expect(out.stdout.split('\n').length).toBeLessThan(25);
    const signed = store.run(['decl', 'finalize', store.ok(['decl', 'create', '--type', 'trust-declaration', '--issuer', keys.master.id, '--subject', keys.ed.id, '--content', contentFile]).declaration_uuid]);
    expect(signed.stdout).toMatch(/^Status\s+Finalized$/m);
  });

  it('edits a Draft: new content, subject and window; the content hash follows', () => {
    const draft = store.ok(['decl', 'list', '--status', 'Draft']).items[0];
    const before = store.ok(['decl', 'show', draft.declaration_uuid]);
    const edited = store.ok(['decl', 'edit', draft.declaration_uuid, '--content', '-', '--subject', keys.rsa.id, '--valid-from', '2090-01-01T00:00:00Z', '--valid-until', FUTURE], {
      stdin: '{"revoked_privileges":["publish"]}',
    });
    expect(edited).toMatchObject({ status: 'Draft', target_keypair_uuid: keys.rsa.id, valid_from: '2090-01-01T00:00:00Z', valid_until: FUTURE });
    expect(edited.content.content).toEqual({ revoked_privileges: ['publish'] });
    expect(edited.content_hash_sha256).not.toBe(before.content_hash_sha256);
    expect(edited.content_hash_sha256).toBe(sha256(canonicalize(store.ok(['decl', 'show', draft.declaration_uuid, '--format', '1']))!));
    expect(store.ok(['decl', 'list', '--search', draft.declaration_uuid.slice(0, 8)]).items.map((i: { declaration_uuid: string }) => i.declaration_uuid)).toEqual([draft.declaration_uuid]);
  });

  it('lists declarations by status and type', () => {
    const signed = store.ok(['decl', 'list', '--status', 'Signed']);
    expect(signed.items.map((i: { declaration_uuid: string }) => i.declaration_uuid).sort()).toEqual(Object.values(decl).sort());
    expect(store.ok(['decl', 'list', '--status', 'Draft']).items).toHaveLength(1);
    expect(store.ok(['decl', 'list', '--status', 'Finalized']).items).toHaveLength(1);
    const grants = store.ok(['decl', 'list', '--type', 'privilege-grant']).items;
    expect(grants.map((i: { declaration_uuid: string }) => i.declaration_uuid)).toEqual([decl.ed]);
    expect(store.ok(['decl', 'list', '--type', 'moderation-action', '--status', 'Draft']).items).toEqual([]);
    store.fails(['decl', 'list', '--status', 'Nonsense'], 'invalid_input');
  });

  it('exports bundles that verify from a file and from stdin (exit 0)', () => {
    for (const uuid of Object.values(decl)) {
      const bundle = store.run(['decl', 'export', uuid]);
      expect(bundle.code).toBe(0);
      const file = store.file(`${uuid}.json`, bundle.stdout);
      const fromFile = store.run(['verify', file, '--json']);
      expect(fromFile.code, JSON.stringify(fromFile.json?.reports?.[0]?.checks?.filter((c: { ok: boolean }) => !c.ok))).toBe(0);
      expect(fromFile.json.valid).toBe(true);
      expect(fromFile.json.reports).toHaveLength(1);
      expect(fromFile.json.reports[0].declaration_uuid).toBe(uuid);
      const fromStdin = store.run(['verify', '-', '--json'], { stdin: bundle.stdout });
      expect(fromStdin.code).toBe(0);
      expect(fromStdin.json.valid).toBe(true);
    }
    const nostr = store.ok(['verify', path.join(store.dir, `${decl.nostr}.json`)]);
    expect(nostr.reports[0].countersigners.map((c: { canonical_name: string }) => c.canonical_name).sort()).toEqual(
      [keys.edCounter.canonical_name, npubEncode(keys.nostrCounter.public_key)].sort(),
    );
  });

  it('verify prints one line per declaration, checks only on failure or with --verbose', () => {
    const file = path.join(store.dir, `${decl.rsa}.json`);
    const quiet = store.run(['verify', file]);
    expect(quiet.code).toBe(0);
    const lines = quiet.stdout.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^VALID\\s+${decl.rsa}\\s+metadata-delegation\\s+signed by ${keys.rsa.canonical_name}`));
    expect(lines.filter((line) => /^\s+\[( ok |FAIL)\]/.test(line))).toEqual([]);
    const verbose = store.run(['verify', file, '--verbose']);
    expect(verbose.code).toBe(0);
    expect(verbose.stdout).toMatch(/\[ ok \] in_force/);
  });

  it('a tampered bundle exits 1 and names the failing check', () => {
    const bundle = JSON.parse(readFileSync(path.join(store.dir, `${decl.ed}.json`), 'utf8'));
    const event = bundle.events[0];
    // Flip one nibble of the signature: everything else still parses.
    event.sig = (event.sig[0] === '0' ? '1' : '0') + event.sig.slice(1);
    const file = path.join(store.dir, 'tampered.json');
    writeFileSync(file, JSON.stringify(bundle));
    const result = store.run(['verify', file, '--json']);
    expect(result.code).toBe(1);
    expect(result.json.valid).toBe(false);
    const failing = result.json.reports.flatMap((r: { checks: Array<{ name: string; ok: boolean }> }) => r.checks.filter((c) => !c.ok).map((c) => c.name));
    expect(failing).toContain('event_signature');
    const human = store.run(['verify', file]);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/^INVALID/m);
    expect(human.stdout).toMatch(/\[FAIL\] event_signature/);
    expect(human.stdout).not.toContain('[ ok ]');

    // Content changed under an intact signature: the event id no longer matches.
    const altered = JSON.parse(readFileSync(path.join(store.dir, `${decl.nostr}.json`), 'utf8'));
    // The master's wrapper replaced its primary event (same pubkey and d tag) and carries it.
    const carrier = altered.events.find((e: { pubkey: string }) => e.pubkey === keys.master.public_key);
    expect(carrier.content).toContain('"trust_level":"full"');
    carrier.content = carrier.content.replace('"trust_level":"full"', '"trust_level":"none"');
    const alteredResult = store.run(['verify', '-', '--json'], { stdin: JSON.stringify(altered) });
    expect(alteredResult.code).toBe(1);
    expect(alteredResult.json.reports[0].checks.filter((c: { ok: boolean }) => !c.ok).map((c: { name: string }) => c.name)).toContain('event_id');
  });

  it('verify --at outside the validity window exits 1 on in_force', () => {
    const file = path.join(store.dir, `${decl.nostr}.json`);
    for (const at of ['2000-01-01T00:00:00Z', '2099-06-01T00:00:00Z']) {
      const result = store.run(['verify', file, '--at', at, '--json']);
      expect(result.code).toBe(1);
      const failing = result.json.reports[0].checks.filter((c: { ok: boolean }) => !c.ok).map((c: { name: string }) => c.name);
      expect(failing).toEqual(['in_force']);
    }
    expect(store.run(['verify', file, '--at', '2098-12-31T23:59:59Z']).code).toBe(0);
    expect(store.run(['verify', file, '--at', 'yesterday', '--json']).code).toBe(2);
  });

  it('the audit log recorded the declaration’s life, and refusals left no trace', () => {
    const actions = store.ok(['audit', 'list', '--subject-type', 'declaration', '--subject', decl.nostr]).entries.map((e: { action: string }) => e.action);
    expect([...actions].reverse()).toEqual(['declaration.create', 'declaration.finalize', 'declaration.sign', 'declaration.countersign', 'declaration.countersign', 'declaration.export']);
  });

  it('no command printed any private key material', async () => {
    const secrets: string[] = [];
    const password = 'export password 1';
    for (const key of [keys.master, keys.nostrCounter]) {
      const exported = store.ok(['keys', 'export', key.id, '--format', 'ncryptsec'], { env: { DECLSIGN_KEY_PASSWORD: password } });
      const raw = nip49Decrypt(exported.data, password);
      expect(getPublicKey(raw)).toBe(key.public_key);
      secrets.push(Buffer.from(raw).toString('hex'), Buffer.from(raw).toString('base64'), nsecEncode(raw));
    }
    for (const key of [keys.ed, keys.rsa, keys.edCounter]) {
      const exported = store.ok(['keys', 'export', key.id, '--format', 'pem-private'], { env: { DECLSIGN_KEY_PASSWORD: password } });
      const privateKey = createPrivateKey({ key: exported.data, format: 'pem', passphrase: password });
      const jwk = privateKey.export({ format: 'jwk' });
      for (const part of [jwk.d, jwk.p, jwk.q].filter((x): x is string => typeof x === 'string')) {
        const bytes = Buffer.from(part, 'base64url');
        secrets.push(bytes.toString('hex'), bytes.toString('base64'), part);
      }
    }
    const everything = store.transcript.join('\n');
    for (const secret of secrets) expect(everything.includes(secret), 'a private key appeared in CLI output').toBe(false);
    expect(everything).not.toMatch(/nsec1|BEGIN (RSA )?PRIVATE KEY/);
    expect(everything).not.toContain(PASSPHRASE);
  });
});
