// The BIP-340 backends bulk verification may use — libsecp256k1 natively (the optional addon) and as WebAssembly —
// must answer exactly as noble does: on the published BIP-340 vectors, on random signatures with every kind of
// alteration, and on malformed input, which they must refuse rather than read loosely.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { schnorr } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { verifySchnorrNoble, type SchnorrVerifier } from '../../electron/core/declaration';
import { loadNativeSchnorr } from '../../electron/native/secp256k1';
import { bulkSchnorrBackend, wasmSchnorrVerifier } from '../../electron/relays/import-pool';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const flip = (h: string, at: number) => h.slice(0, at) + (h[at] === 'f' ? 'e' : 'f') + h.slice(at + 1);

/** The system library's header: when it is installed, the build must have produced a working addon. */
const LIBSECP256K1_HEADER = '/usr/include/secp256k1_schnorrsig.h';
const native = loadNativeSchnorr();

const backends: [string, () => Promise<SchnorrVerifier>][] = [
  ['wasm', wasmSchnorrVerifier],
  ...(native.ok ? [['native', async () => native.verify] as [string, () => Promise<SchnorrVerifier>]] : []),
];

describe('the native backend on this machine', () => {
  it('is built and passes its self-test wherever libsecp256k1 is installed, and is the bulk backend then', async () => {
    if (!existsSync(LIBSECP256K1_HEADER)) {
      expect(native.ok).toBe(false); // nothing to link against: the reason says so, and wasm takes over
      expect((await bulkSchnorrBackend()).name).toBe('wasm');
      return;
    }
    expect(native).toMatchObject({ ok: true });
    expect((await bulkSchnorrBackend()).name).toBe('native');
  });

  it('can be turned off, and a file that is not the addon is refused with the reason', () => {
    expect(loadNativeSchnorr(undefined, { DECLSIGN_SCHNORR: 'wasm' })).toEqual({ ok: false, reason: 'DECLSIGN_SCHNORR=wasm' });
    const bogus = path.join(os.tmpdir(), `declsign-not-an-addon-${process.pid}.node`);
    writeFileSync(bogus, 'not an ELF file');
    const loaded = loadNativeSchnorr(bogus, {});
    expect(loaded.ok).toBe(false);
    expect(!loaded.ok && loaded.reason).toMatch(/could not load/);
  });
});

describe.each(backends)('BIP-340 backend: %s', (_name, make) => {
  const rows = readFileSync(new URL('../core/keys/vectors/bip340-test-vectors.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [index, , publicKey, , message, signature, result] = line.split(',');
      return { index, publicKey: publicKey!.toLowerCase(), message: message!.toLowerCase(), signature: signature!.toLowerCase(), valid: result === 'TRUE' };
    });

  it('answers every published BIP-340 vector (test-vectors.csv) as the file says', async () => {
    const verify = await make();
    expect(rows).toHaveLength(15);
    for (const row of rows) expect(verify(row.signature, row.message, row.publicKey), `vector ${row.index}`).toBe(row.valid);
  });

  it('answers exactly as noble on valid, altered, wrong-key and malformed inputs', async () => {
    const verify = await make();
    const other = hex(schnorr.getPublicKey(schnorr.utils.randomSecretKey()));
    let valid = 0;
    for (let i = 0; i < 40; i++) {
      const secret = schnorr.utils.randomSecretKey();
      const pubkey = hex(schnorr.getPublicKey(secret));
      const message = hex(crypto.getRandomValues(new Uint8Array(32)));
      const signature = hex(schnorr.sign(Buffer.from(message, 'hex'), secret));
      const cases: [string, string, string][] = [
        [signature, message, pubkey],
        [signature, flip(message, i % 64), pubkey],
        [flip(signature, i % 128), message, pubkey],
        [signature, message, other],
        [signature, message, flip(pubkey, i % 64)],
        [signature.slice(2), message, pubkey],
        [signature.toUpperCase(), message, pubkey],
        [signature, `${message}00`, pubkey],
        [`${signature}00`, message, pubkey],
        [signature, message, `${pubkey}0`],
        [`${signature.slice(0, 126)}zz`, message, pubkey],
        ['f'.repeat(128), message, pubkey],
        // a character whose low byte is '0' (U+0130): a Latin-1 read would take it for '0'
        [signature, message.replace(/0/, '\u0130'), pubkey],
      ];
      for (const [s, m, p] of cases) {
        const expected = verifySchnorrNoble(s, m, p);
        expect(verify(s, m, p), `${s} ${m} ${p}`).toBe(expected);
        if (expected) valid += 1;
      }
      // only when the message had a '0' to replace is the U+0130 case different from the valid one
      expect(valid).toBeGreaterThanOrEqual(i + 1);
    }
  });

  it('answers false, never throws, for values that are not strings', async () => {
    const verify = (await make()) as unknown as (...args: unknown[]) => boolean;
    const vector = rows[1]!;
    for (const args of [[], [vector.signature], [vector.signature, vector.message], [null, vector.message, vector.publicKey], [vector.signature, 7, vector.publicKey], [vector.signature, vector.message, Buffer.from(vector.publicKey, 'hex')]]) {
      expect(verify(...args)).toBe(false);
    }
    expect(verify(vector.signature, vector.message, vector.publicKey)).toBe(true);
  });
});
