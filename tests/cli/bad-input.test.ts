// Bad input through the real CLI: every case exits 2 with a precise error code in `--json` output, and leaves every
// row of every table in the store exactly as it was.

import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { npubEncode, nsecEncode } from 'nostr-tools/nip19';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliStore, ensureCliBuilt, generateKey, PASSPHRASE, runCli } from './helpers';

interface Fixture {
  store: CliStore;
  master: string;
  ed: string;
  watch: string;
  draft: string;
  finalized: string;
  /** Finalized, valid from 2098: signing it now would sign before its validity starts. */
  future: string;
  signed: string;
  files: Record<'content' | 'badJson' | 'array' | 'string' | 'null' | 'huge' | 'truncatedPem' | 'p12', string>;
}

interface Case {
  name: string;
  args: (f: Fixture) => string[];
  code: string;
  /** What the message must say, when the code alone does not tell the user what to do. */
  message?: RegExp;
  env?: Record<string, string | undefined>;
  stdin?: string | Buffer;
}

const P12_PASSWORD = 'right p12 password';

function pkcs12File(): Buffer {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }) as string) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date('2025-01-01T00:00:00Z');
  cert.validity.notAfter = new Date('2035-01-01T00:00:00Z');
  cert.setSubject([{ name: 'commonName', value: 'declsign test' }]);
  cert.setIssuer([{ name: 'commonName', value: 'declsign test' }]);
  cert.sign(key, forge.md.sha256.create());
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, cert, P12_PASSWORD, { algorithm: 'aes256' });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

const create = (f: Fixture, ...extra: string[]) => ['decl', 'create', '--type', 'trust-declaration', '--issuer', f.master, '--subject', f.ed, ...extra];

const CASES: Case[] = [
  // content
  { name: 'malformed content JSON', args: (f) => create(f, '--content', f.files.badJson), code: 'invalid_json' },
  { name: 'malformed content JSON on stdin', args: (f) => create(f, '--content', '-'), stdin: '{"trust": tru', code: 'invalid_json' },
  { name: 'content is an array', args: (f) => create(f, '--content', f.files.array), code: 'invalid_input' },
  { name: 'content is a string', args: (f) => create(f, '--content', f.files.string), code: 'invalid_input' },
  { name: 'content is null', args: (f) => create(f, '--content', f.files.null), code: 'invalid_input' },
  { name: 'content file missing', args: (f) => create(f, '--content', path.join(f.store.dir, 'nope.json')), code: 'not_found' },
  { name: 'content over 64 KiB', args: (f) => create(f, '--content', f.files.huge), code: 'content_too_large' },
  { name: 'content not UTF-8', args: (f) => create(f, '--content', '-'), stdin: Buffer.from([0x7b, 0xff, 0x7d]), code: 'invalid_input' },
  // wrong types and shapes
  { name: 'unknown declaration type', args: (f) => ['decl', 'create', '--type', 'root-of-all-trust', '--issuer', f.master, '--subject', f.ed, '--content', f.files.content], code: 'invalid_input' },
  { name: 'issuer is not a uuid', args: (f) => ['decl', 'create', '--type', 'trust-declaration', '--issuer', 'master', '--subject', f.ed, '--content', f.files.content], code: 'invalid_input' },
  { name: 'impossible date', args: (f) => create(f, '--content', f.files.content, '--valid-from', '2026-13-45T00:00:00Z'), code: 'invalid_input' },
  { name: 'local time instead of UTC', args: (f) => create(f, '--content', f.files.content, '--valid-until', '2030-01-01T00:00:00+02:00'), code: 'invalid_input' },
  { name: 'sub-second validity', args: (f) => create(f, '--content', f.files.content, '--valid-until', '2030-01-01T00:00:00.5Z'), code: 'invalid_validity' },
  { name: 'subject and subject-pubkey both', args: (f) => create(f, '--content', f.files.content, '--subject-pubkey', npubEncode(getPublicKey(generateSecretKey()))), code: 'invalid_input' },
  { name: 'subject given as a private key', args: (f) => ['decl', 'create', '--type', 'trust-declaration', '--issuer', f.master, '--subject-pubkey', nsecEncode(generateSecretKey()), '--content', f.files.content], code: 'invalid_input' },
  { name: 'subject pubkey not on the curve', args: (f) => ['decl', 'create', '--type', 'trust-declaration', '--issuer', f.master, '--subject-pubkey', 'ff'.repeat(32), '--content', f.files.content], code: 'invalid_key' },
  { name: 'RSA bits not a number', args: () => ['keys', 'generate', '--type', 'rsa', '--label', 'x', '--bits', 'many'], code: 'invalid_input' },
  { name: 'RSA bits too small', args: () => ['keys', 'generate', '--type', 'rsa', '--label', 'x', '--bits', '1024'], code: 'invalid_input' },
  { name: 'unknown algorithm', args: () => ['keys', 'generate', '--type', 'dsa', '--label', 'x'], code: 'invalid_input' },
  { name: 'unknown role', args: () => ['keys', 'generate', '--type', 'nostr', '--label', 'x', '--role', 'god'], code: 'invalid_input' },
  { name: 'blank label', args: () => ['keys', 'generate', '--type', 'nostr', '--label', '   '], code: 'invalid_input' },
  { name: 'negative list limit', args: () => ['decl', 'list', '--limit', '-1'], code: 'invalid_input' },
  { name: 'declaration format 5', args: (f) => ['decl', 'show', f.signed, '--format', '5'], code: 'invalid_input' },
  // unknown things
  { name: 'unknown issuer key', args: (f) => ['decl', 'create', '--type', 'trust-declaration', '--issuer', randomUUID(), '--subject', f.ed, '--content', f.files.content], code: 'unknown_key' },
  { name: 'unknown subject key', args: (f) => ['decl', 'create', '--type', 'trust-declaration', '--issuer', f.master, '--subject', randomUUID(), '--content', f.files.content], code: 'unknown_key' },
  { name: 'unknown key to show', args: () => ['keys', 'show', randomUUID()], code: 'unknown_key' },
  { name: 'unknown key to delete', args: () => ['keys', 'delete', randomUUID()], code: 'unknown_key' },
  { name: 'unknown countersigning key', args: (f) => ['decl', 'countersign', f.signed, '--key', randomUUID()], code: 'unknown_key' },
  { name: 'unknown declaration', args: () => ['decl', 'show', randomUUID()], code: 'not_found' },
  // lifecycle
  { name: 'edit a Finalized declaration', args: (f) => ['decl', 'edit', f.finalized, '--content', f.files.content], code: 'not_draft' },
  { name: 'edit a Signed declaration', args: (f) => ['decl', 'edit', f.signed, '--valid-until', '2090-01-01T00:00:00Z'], code: 'not_draft' },
  { name: 'finalize twice', args: (f) => ['decl', 'finalize', f.finalized], code: 'not_draft' },
  { name: 'sign a Draft', args: (f) => ['decl', 'sign', f.draft], code: 'not_finalized' },
  { name: 'sign a Signed declaration again', args: (f) => ['decl', 'sign', f.signed], code: 'invalid_status_transition' },
  { name: 'sign with a key that is not the issuer', args: (f) => ['decl', 'sign', f.finalized, '--key', f.ed], code: 'signer_mismatch' },
  { name: 'wrap a Nostr signature', args: (f) => ['decl', 'sign', f.finalized, '--wrap-with', f.master], code: 'invalid_input' },
  { name: 'countersign a Draft', args: (f) => ['decl', 'countersign', f.draft, '--key', f.ed], code: 'not_signed' },
  { name: 'countersign with the signer’s own key', args: (f) => ['decl', 'countersign', f.signed, '--key', f.master], code: 'duplicate_countersigner' },
  { name: 'countersign with a watch key', args: (f) => ['decl', 'countersign', f.signed, '--key', f.watch], code: 'missing_signer_private_key' },
  { name: 'wrap with a non-Nostr key', args: (f) => ['decl', 'countersign', f.signed, '--key', f.ed, '--wrap-with', f.ed], code: 'not_a_nostr_key' },
  { name: 'export a Draft as a bundle', args: (f) => ['decl', 'export', f.draft], code: 'not_signed' },
  { name: 'reopen a Draft', args: (f) => ['decl', 'reopen', f.draft], code: 'not_finalized' },
  { name: 'reopen a Signed declaration', args: (f) => ['decl', 'reopen', f.signed], code: 'invalid_status_transition', message: /declaration-revoke/ },
  { name: 'discard a Signed declaration', args: (f) => ['decl', 'discard', f.signed], code: 'already_signed', message: /signed declaration-revoke/ },
  { name: 'discard an unknown declaration', args: () => ['decl', 'discard', randomUUID()], code: 'not_found' },
  { name: 'discard a malformed uuid', args: () => ['decl', 'discard', 'draft-1'], code: 'invalid_input' },
  // validity
  { name: 'validity window already over', args: (f) => create(f, '--content', f.files.content, '--valid-from', '2020-01-01T00:00:00Z', '--valid-until', '2020-06-01T00:00:00Z'), code: 'invalid_validity' },
  { name: 'valid_until in the past', args: (f) => create(f, '--content', f.files.content, '--valid-until', '2021-01-01T00:00:00Z'), code: 'invalid_validity' },
  { name: 'valid_until before valid_from', args: (f) => create(f, '--content', f.files.content, '--valid-from', '2095-01-01T00:00:00Z', '--valid-until', '2094-01-01T00:00:00Z'), code: 'invalid_validity' },
  { name: 'valid_until equal to valid_from', args: (f) => create(f, '--content', f.files.content, '--valid-from', '2095-01-01T00:00:00Z', '--valid-until', '2095-01-01T00:00:00Z'), code: 'invalid_validity' },
  { name: 'edit a Draft to expire in the past', args: (f) => ['decl', 'edit', f.draft, '--valid-until', '2021-01-01T00:00:00Z'], code: 'invalid_validity' },
  { name: 'sign before the validity starts', args: (f) => ['decl', 'sign', f.future], code: 'invalid_validity' },
  // keys
  { name: 'truncated PEM', args: (f) => ['keys', 'import', f.files.truncatedPem, '--label', 'cut'], code: 'invalid_key' },
  { name: 'PKCS#12 with the wrong password', args: (f) => ['keys', 'import', f.files.p12, '--label', 'p12', '--password'], env: { DECLSIGN_KEY_PASSWORD: 'wrong password' }, code: 'wrong_key_password' },
  { name: 'ncryptsec with the wrong password', args: () => ['keys', 'import', '-', '--label', 'enc'], stdin: 'ncryptsec1qgg9947rlpvqu76pj5ecreduf9jxhselq2nae2kghhvd5g7dgjtcxfqtd67p9m0w57lspw8gsq6yphnm8623nsl8xn9j4jdzz84zm3frztj3z7s35vpzmqf6ksu8r89qk5z2zxfmu5gv8th8wclt0h4p', env: { DECLSIGN_KEY_PASSWORD: 'not the password' }, code: 'wrong_key_password' },
  { name: 'garbage key file', args: () => ['keys', 'import', '-', '--label', 'junk'], stdin: 'hello, I am not a key', code: 'invalid_key' },
  { name: 'empty key file', args: () => ['keys', 'import', '-', '--label', 'empty'], stdin: '', code: 'invalid_input' },
  { name: 'export a private key without password', args: (f) => ['keys', 'export', f.master, '--format', 'ncryptsec'], env: { DECLSIGN_KEY_PASSWORD: '' }, code: 'invalid_input' },
  { name: 'ncryptsec of an Ed25519 key', args: (f) => ['keys', 'export', f.ed, '--format', 'ncryptsec'], env: { DECLSIGN_KEY_PASSWORD: 'pw pw pw pw' }, code: 'unsupported_algorithm' },
  { name: 'private export of a watch key', args: (f) => ['keys', 'export', f.watch, '--format', 'ncryptsec'], env: { DECLSIGN_KEY_PASSWORD: 'pw pw pw pw' }, code: 'missing_signer_private_key' },
  { name: 'delete the last Nostr key with a private key', args: (f) => ['keys', 'delete', f.master], code: 'last_nostr_key' },
  { name: 'demote the last Nostr admin key', args: (f) => ['keys', 'update', f.master, '--role', 'none'], code: 'last_nostr_key' },
  { name: 'watch key as issuer', args: (f) => ['decl', 'create', '--type', 'trust-declaration', '--issuer', f.watch, '--subject', f.ed, '--content', f.files.content], code: 'missing_signer_private_key' },
  // store and vault
  { name: 'wrong store passphrase', args: () => ['keys', 'generate', '--type', 'nostr', '--label', 'x'], env: { DECLSIGN_PASSPHRASE: 'not the passphrase' }, code: 'wrong_passphrase' },
  { name: 'wrong store passphrase when signing', args: (f) => ['decl', 'sign', f.finalized], env: { DECLSIGN_PASSPHRASE: 'not the passphrase' }, code: 'wrong_passphrase' },
  { name: 'no passphrase and no terminal', args: () => ['keys', 'generate', '--type', 'nostr', '--label', 'x'], env: { DECLSIGN_PASSPHRASE: undefined }, code: 'store_locked', message: /DECLSIGN_PASSPHRASE/ },
  { name: 'no key password and no terminal (export)', args: (f) => ['keys', 'export', f.master, '--format', 'ncryptsec'], code: 'invalid_input', message: /DECLSIGN_KEY_PASSWORD/ },
  { name: 'no key password and no terminal (import)', args: (f) => ['keys', 'import', f.files.p12, '--label', 'p12', '--password'], code: 'invalid_input', message: /DECLSIGN_KEY_PASSWORD/ },
  { name: 'init twice', args: () => ['init'], code: 'store_exists' },
  { name: 'test scrypt cost below 2^10', args: () => ['keys', 'list'], env: { DECLSIGN_TEST_SCRYPT_LOG_N: '9' }, code: 'invalid_input' },
  // usage
  { name: 'unknown option', args: () => ['keys', 'list', '--colour'], code: 'invalid_input' },
  { name: 'option without its value', args: (f) => ['decl', 'show', f.signed, '--format'], code: 'invalid_input' },
  { name: 'option given twice', args: () => ['keys', 'generate', '--type', 'nostr', '--type', 'ed25519', '--label', 'x'], code: 'invalid_input' },
  { name: 'missing argument', args: () => ['decl', 'show'], code: 'invalid_input' },
  { name: 'discard without a uuid', args: () => ['decl', 'discard'], code: 'invalid_input' },
  { name: 'extra argument', args: (f) => ['decl', 'show', f.signed, f.draft], code: 'invalid_input' },
  { name: 'missing required option', args: () => ['keys', 'generate', '--label', 'x'], code: 'invalid_input' },
  { name: 'unknown command', args: () => ['decl', 'publish-everything'], code: 'invalid_input' },
  { name: 'verify input that is not JSON', args: () => ['verify', '-'], stdin: 'not json at all', code: 'invalid_bundle' },
  { name: 'verify an empty input', args: () => ['verify', '-'], stdin: '', code: 'invalid_input' },
];

describe('declsign: bad input exits 2 with a precise code and changes nothing', () => {
  const f = {} as Fixture;

  beforeAll(() => {
    ensureCliBuilt();
    const store = new CliStore().init();
    f.store = store;
    f.master = generateKey(store, 'nostr', 'master', ['--role', 'master-admin']).id;
    f.ed = generateKey(store, 'ed25519', 'ed').id;
    f.watch = store.ok(['keys', 'import', '-', '--label', 'watched'], { stdin: npubEncode(getPublicKey(generateSecretKey())) }).id;
    const rsaPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    f.files = {
      content: store.file('content.json', '{"trust_level":"full"}'),
      badJson: store.file('bad.json', '{"trust_level": "full",'),
      array: store.file('array.json', '[1, 2, 3]'),
      string: store.file('string.json', '"full trust"'),
      null: store.file('null.json', 'null'),
      huge: store.file('huge.json', JSON.stringify({ blob: 'x'.repeat(70_000) })),
      truncatedPem: store.file('cut.pem', rsaPem.slice(0, Math.floor(rsaPem.length / 2))),
      p12: store.file('key.p12', pkcs12File()),
    };
    const draftOf = (...extra: string[]) => store.ok([...create(f, '--content', f.files.content), ...extra]).declaration_uuid as string;
    f.draft = draftOf();
    f.finalized = draftOf();
    store.ok(['decl', 'finalize', f.finalized]);
    f.future = draftOf('--valid-from', '2098-01-01T00:00:00Z');
    store.ok(['decl', 'finalize', f.future]);
    f.signed = draftOf();
    store.ok(['decl', 'finalize', f.signed]);
    store.ok(['decl', 'sign', f.signed]);
  });
  afterAll(() => f.store.remove());

  it('the snapshot sees real changes (sanity check of the comparison itself)', () => {
    const scratch = new CliStore().init();
    try {
      const before = scratch.snapshot();
      generateKey(scratch, 'nostr', 'one');
      expect(scratch.snapshot()).not.toEqual(before);
    } finally {
      scratch.remove();
    }
  });

  it.each(CASES)('$name → $code', (c) => {
    // Compared with the state just before the case, so one failing case does not hide the others.
    const before = f.store.snapshot();
    const error = f.store.fails(c.args(f), c.code, { ...(c.env ? { env: c.env } : {}), ...(c.stdin !== undefined ? { stdin: c.stdin } : {}) });
    expect(error.message.length).toBeGreaterThan(10);
    if (c.message) expect(error.message).toMatch(c.message);
    expect(f.store.snapshot()).toEqual(before);
  });

  it('the importable ncryptsec case really is the right key with the right password (so the failure above is the password)', () => {
    // NIP-49's published vector: password "nostr", log_n 16.
    const result = f.store.run(['keys', 'import', '-', '--label', 'vector', '--json'], {
      stdin: 'ncryptsec1qgg9947rlpvqu76pj5ecreduf9jxhselq2nae2kghhvd5g7dgjtcxfqtd67p9m0w57lspw8gsq6yphnm8623nsl8xn9j4jdzz84zm3frztj3z7s35vpzmqf6ksu8r89qk5z2zxfmu5gv8th8wclt0h4p',
      env: { DECLSIGN_KEY_PASSWORD: 'nostr' },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.json.public_key).toBe(getPublicKey(Buffer.from('3501454135014541350145413501453fefb02227e449e57cf4d3a3ce05378683', 'hex')));
    const before = f.store.snapshot();
    f.store.fails(['keys', 'import', '-', '--label', 'again'], 'duplicate_key', { stdin: 'ncryptsec1qgg9947rlpvqu76pj5ecreduf9jxhselq2nae2kghhvd5g7dgjtcxfqtd67p9m0w57lspw8gsq6yphnm8623nsl8xn9j4jdzz84zm3frztj3z7s35vpzmqf6ksu8r89qk5z2zxfmu5gv8th8wclt0h4p', env: { DECLSIGN_KEY_PASSWORD: 'nostr' } });
    expect(f.store.snapshot()).toEqual(before);
  });

  it('a short passphrase at init is refused without creating a file', () => {
    const fresh = new CliStore();
    try {
      fresh.fails(['init'], 'invalid_input', { env: { DECLSIGN_PASSPHRASE: 'short' } });
      expect(existsSync(fresh.dbPath)).toBe(false);
    } finally {
      fresh.remove();
    }
  });

  it('commands on a missing store say store_not_initialized and create nothing', () => {
    const missing = new CliStore();
    try {
      for (const args of [['keys', 'list'], ['decl', 'list'], ['keys', 'generate', '--type', 'nostr', '--label', 'x'], ['decl', 'show', randomUUID()], ['audit', 'list'], ['keys', 'import', '-', '--label', 'x']]) {
        missing.fails(args, 'store_not_initialized', { stdin: npubEncode(getPublicKey(generateSecretKey())) });
      }
      expect(existsSync(missing.dbPath)).toBe(false);
      // status reports instead of failing.
      expect(missing.ok(['status'])).toMatchObject({ exists: false, initialized: false });
      expect(existsSync(missing.dbPath)).toBe(false);
    } finally {
      missing.remove();
    }
  });

  it('a --db that is not a store (a text file, a directory) is invalid_input and is left as it was', () => {
    const dir = path.dirname(f.store.dbPath);
    const textFile = path.join(dir, 'notes.txt');
    writeFileSync(textFile, 'not a database');
    for (const db of [textFile, dir]) {
      const result = runCli(['--db', db, 'keys', 'list', '--json'], { env: { DECLSIGN_PASSPHRASE: PASSPHRASE } });
      expect(result.code).toBe(2);
      expect(result.json).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(readFileSync(textFile, 'utf8')).toBe('not a database');
  });

  it('usage errors without --json still exit 2 and explain on stderr', () => {
    const result = runCli(['keys', 'list', '--colour'], { env: { DECLSIGN_DB: f.store.dbPath, DECLSIGN_PASSPHRASE: PASSPHRASE } });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/Unknown option --colour.*\(invalid_input\)/);
  });
});
