// End to end through the browser-mode bridge: every operation in the real table is called with valid inputs after
// keys of each algorithm exist, and no answer (nor any progress event) carries private key material — neither the
// raw private bytes in hex or base64, nor an nsec, nor a field named like a secret.

import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateSecretKey } from 'nostr-tools/pure';
import { nsecEncode } from 'nostr-tools/nip19';
import { decrypt as decryptNcryptsec } from 'nostr-tools/nip49';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppOperations, type AppOperations } from '../../electron/ipc/app-operations';
import { ProgressHub } from '../../electron/ipc/progress';
import { withSigningKey } from '../../electron/ops/resolve';
import { startWebServer, type WebServer } from '../../electron/web/server';
import { RENDERER_DIR } from './harness';

const PASSPHRASE = 'a long store passphrase';
const EXPORT_PASSWORD = 'export password 123';
const SECRET_FIELD = /^(private_?key|secret_?key|privkey|seed|nsec|passphrase|password|d)$/i;

let dir: string;
let app: AppOperations;
let server: WebServer;
const answers: { operation: string; text: string }[] = [];
const progressTexts: string[] = [];
const called = new Set<string>();

async function op<T = any>(operation: string, input: unknown): Promise<T> {
  const response = await fetch(`${server.origin}/api/op/${operation}`, {
    method: 'POST',
    headers: { Origin: server.origin, Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  const text = await response.text();
  answers.push({ operation, text });
  called.add(operation);
  const result = JSON.parse(text) as { ok: boolean; value?: T; error?: { code: string; message: string } };
  if (!result.ok) throw new Error(`${operation} failed: ${result.error!.code}: ${result.error!.message}`);
  return result.value as T;
}

/** Every encoding of `bytes` an answer could leak it in. */
function encodings(bytes: Uint8Array): string[] {
  const buffer = Buffer.from(bytes);
  return [buffer.toString('hex'), buffer.toString('hex').toUpperCase(), buffer.toString('base64'), buffer.toString('base64url')];
}

function secretFields(value: unknown, at = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => secretFields(v, `${at}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [...(SECRET_FIELD.test(k) && v !== null && v !== undefined ? [`${at}.${k}`] : []), ...secretFields(v, `${at}.${k}`)]);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'declsign-secrets-'));
  const progress = new ProgressHub();
  progress.subscribe((json) => progressTexts.push(json));
  app = createAppOperations({ dbPath: path.join(dir, 'store.db'), progress, scrypt: { N: 1024, r: 8, p: 1 } });
  server = await startWebServer({ table: app.table, makeContext: app.makeContext, rendererDir: RENDERER_DIR, progress });
});

afterAll(async () => {
  await server?.close();
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('no private key material reaches the renderer', () => {
  it('holds for every operation of the table, with keys of every algorithm', async () => {
    await op('store.status', {});
    await op('store.init', { passphrase: PASSPHRASE });
    const nostr = await op('keys.generate', { algorithm: 'nostr', label: 'N', role: 'master-admin' });
    const nostr2 = await op('keys.generate', { algorithm: 'nostr', label: 'N2', role: 'operating-admin' });
    const ed = await op('keys.generate', { algorithm: 'ed25519', label: 'E', role: 'operating-admin' });
    const rsa = await op('keys.generate', { algorithm: 'rsa', label: 'R', rsa_bits: 2048 });
    const mldsa = await op('keys.generate', { algorithm: 'ml-dsa-65', label: 'M' });
    const generated = [nostr, nostr2, ed, rsa, mldsa];

    // Imports: a private nsec (becomes a signing key) and a public key of someone else (watch only).
    const importedSecret = generateSecretKey();
    const imported = await op('keys.import', { data_text: nsecEncode(importedSecret), label: 'Imported', role: 'none' });
    const { publicKey: otherPem } = generateKeyPairSync('ed25519', { publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const watch = await op('keys.import', { data_text: otherPem, label: 'Watch' });

    // What the private keys are: decrypted from the encrypted exports, and cross-checked against the vault.
    const secrets = new Map<string, Uint8Array[]>();
    const ncryptsec = await op('keys.export', { id: nostr.id, format: 'ncryptsec', password: EXPORT_PASSWORD });
    secrets.set(nostr.id, [decryptNcryptsec(ncryptsec.data, EXPORT_PASSWORD)]);
    for (const key of [ed, rsa]) {
      const pem = await op('keys.export', { id: key.id, format: 'pem-private', password: EXPORT_PASSWORD });
      const object = createPrivateKey({ key: pem.data, format: 'pem', passphrase: EXPORT_PASSWORD });
      const der = new Uint8Array(object.export({ type: 'pkcs8', format: 'der' }));
      const jwk = object.export({ format: 'jwk' });
      // Ed25519: the 32-byte seed (JWK d); RSA: the whole PKCS#8 and each private CRT component.
      const parts = key.type === 'ed25519' ? [der.slice(-32)] : [der, ...(['d', 'p', 'q', 'dp', 'dq', 'qi'] as const).map((n) => new Uint8Array(Buffer.from(jwk[n] as string, 'base64url')))];
      secrets.set(key.id, parts);
    }
    const ctx = await app.makeContext({ operation: 'test', callId: 'test', emitProgress: () => undefined });
    for (const key of [...generated, imported]) {
      const raw = await withSigningKey(ctx, key.id, (k) => new Uint8Array(k.privateKey));
      const known = secrets.get(key.id);
      if (known && key.type !== 'rsa') expect(Buffer.from(known[0]!).equals(Buffer.from(raw))).toBe(true);
      // ML-DSA-65: sk = rho ‖ K ‖ tr ‖ s1 ‖ s2 ‖ t0, and rho is public (it starts the public key); K onwards is secret.
      secrets.set(key.id, [...(known ?? []), key.type === 'ml-dsa-65' ? raw.slice(32) : raw, ...(key.type === 'ml-dsa-65' ? [raw.slice(32, 64)] : [])]);
    }
    expect(Buffer.from(secrets.get(imported.id)!.at(-1)!).equals(Buffer.from(importedSecret))).toBe(true);

    // Every other key operation, each public export format.
    await op('keys.list', {});
    for (const key of [...generated, imported, watch]) {
      await op('keys.get', { id: key.id });
      for (const format of ['public', 'hex', ...(key.type === 'nostr' ? ['npub'] : key.type === 'ml-dsa-65' ? [] : ['pem'])]) await op('keys.export', { id: key.id, format });
    }
    await op('keys.update', { id: ed.id, label: 'E renamed', role: 'authorized-admin' });
    const disposable = await op('keys.generate', { algorithm: 'ed25519', label: 'Disposable' });
    await op('keys.deletePreview', { id: disposable.id });
    await op('keys.delete', { id: disposable.id });

    // Declarations signed by every algorithm (non-Nostr ones wrapped), countersigned by every algorithm.
    const uuids: string[] = [];
    const bundles: string[] = [];
    for (const issuer of [nostr, ed, rsa, mldsa]) {
      const draft = await op('declarations.create', {
        type: 'privilege-grant',
        issuer: issuer.id,
        subject: watch.id,
        content: { content_schema_version: 1, permissions: ['moderate'], scope: '*' },
      });
      await op('declarations.update', { uuid: draft.declaration_uuid, content: { content_schema_version: 1, permissions: ['moderate', 'revoke'], scope: '*' } });
      await op('declarations.finalize', { uuid: draft.declaration_uuid });
      await op('declarations.sign', { uuid: draft.declaration_uuid, ...(issuer.type === 'nostr' ? {} : { wrap_with: nostr.id }) });
      for (const counter of [nostr2, ed, rsa, mldsa, imported].filter((k) => k.id !== issuer.id)) {
        await op('declarations.countersign', { uuid: draft.declaration_uuid, key: counter.id, ...(counter.type === 'nostr' ? {} : { wrap_with: nostr.id }) });
      }
      for (const format of [undefined, 1, 2, 3, 4]) await op('declarations.get', { uuid: draft.declaration_uuid, ...(format ? { format } : {}) });
      const bundle = await op('declarations.export', { uuid: draft.declaration_uuid });
      uuids.push(draft.declaration_uuid);
      bundles.push(JSON.stringify(bundle));
      const verified = await op('verify.text', { text: JSON.stringify(bundle) });
      expect(verified.valid).toBe(true);
    }
    // Backing out of an unsigned declaration: Finalized → Draft, then erased.
    const spare = await op('declarations.create', { type: 'privilege-grant', issuer: ed.id, subject: watch.id, content: { content_schema_version: 1, permissions: ['moderate'], scope: '*' } });
    await op('declarations.finalize', { uuid: spare.declaration_uuid });
    await op('declarations.reopen', { uuid: spare.declaration_uuid });
    await op('declarations.discard', { uuid: spare.declaration_uuid });
    await op('declarations.list', { limit: 500 });
    await op('audit.list', { limit: 1000 });

    // Relays, anchors, authority, publication state and import, with inputs that need no network.
    const tolerant = (name: string, input: unknown) => op(name, input).catch(() => undefined);
    await tolerant('relays.add', { url: 'ws://127.0.0.1:9' });
    await tolerant('relays.list', {});
    await tolerant('relays.update', { url: 'ws://127.0.0.1:9', write: false });
    await tolerant('anchors.add', { key: nostr.id, label: 'Root' });
    await tolerant('anchors.list', {});
    for (const uuid of uuids) {
      await tolerant('authority.chain', { uuid });
      await tolerant('publish.status', { uuid });
    }
    await tolerant('import.text', { text: bundles.join('\n') });
    await tolerant('import.quarantine', {});
    // Whatever else the table holds: called with an empty input; whatever it answers is inspected.
    for (const name of Object.keys(app.table)) if (!called.has(name) && name !== 'store.lock' && name !== 'store.unlock') await tolerant(name, {});
    await op('store.lock', {});
    await op('store.unlock', { passphrase: PASSPHRASE });
    await op('store.status', {});

    expect([...Object.keys(app.table)].filter((name) => !called.has(name))).toEqual([]);

    const forbidden = [...secrets.values()].flat().flatMap(encodings);
    forbidden.push(nsecEncode(importedSecret), nsecEncode(secrets.get(nostr.id)![0]!));
    // The detector itself: a planted seed in base64 and a planted field are caught.
    const planted = JSON.stringify({ note: Buffer.from(secrets.get(ed.id)![0]!).toString('base64') });
    expect(forbidden.some((secret) => planted.includes(secret))).toBe(true);
    expect(secretFields({ key: { privateKey: 'x' } })).toEqual(['.key.privateKey']);
    for (const { operation, text } of [...answers, ...progressTexts.map((text) => ({ operation: 'progress', text }))]) {
      for (const secret of forbidden) expect(text.includes(secret), `${operation} answer contains private key material`).toBe(false);
      expect(/\bnsec1/.test(text), `${operation} answer contains an nsec`).toBe(false);
      expect(secretFields(JSON.parse(text)), `${operation} answer has secret-named fields`).toEqual([]);
      expect(text.includes(PASSPHRASE) || text.includes(EXPORT_PASSWORD), `${operation} answer echoes a password`).toBe(false);
    }
    expect(answers.length).toBeGreaterThan(60);
  }, 120_000);
});
