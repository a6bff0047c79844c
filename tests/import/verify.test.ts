// The WebAssembly verifier's key cache and self-test, and worker-thread verification (native and WebAssembly backends)
// against the calling thread and noble: the same answers, always. Backend-by-backend BIP-340 answers: schnorr-backends.test.ts.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { schnorr } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { verifySchnorrNoble } from '../../electron/core/declaration';
import { createWasmSchnorrVerifier } from '../../electron/core/declaration/wasm-backend';
import { verifyImportGroup } from '../../electron/core/import-verify';
import { createLocalVerifier, createVerifyPool, wasmSchnorrVerifier } from '../../electron/relays/import-pool';
import { buildDeclaration, mixedDeclarations, otherNostrSigner, tampered } from './fixtures';
import { bundledVerifyWorker, onCleanup } from './helpers';

const AT = '2025-06-01T00:00:00Z';
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const flip = (h: string, at: number) => h.slice(0, at) + (h[at] === 'f' ? 'e' : 'f') + h.slice(at + 1);

describe('WebAssembly Schnorr verifier', () => {
  it('answers the same through its cache of parsed keys: more keys than slots, revisited, with invalid keys between', async () => {
    const verify = await wasmSchnorrVerifier();
    const signers = Array.from({ length: 150 }, () => {
      const secret = schnorr.utils.randomSecretKey();
      const message = hex(crypto.getRandomValues(new Uint8Array(32)));
      return { pubkey: hex(schnorr.getPublicKey(secret)), message, signature: hex(schnorr.sign(Buffer.from(message, 'hex'), secret)) };
    });
    const offCurve = 'eefdea4cdb677750a420fee807eacf21eb9898ae79b9768766e4faa04a2d4a34';
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < signers.length; i++) {
        const at = (i * (round + 1) * 7) % signers.length;
        const { pubkey, message, signature } = signers[at]!;
        const neighbour = signers[(at + 1) % signers.length]!;
        expect(verify(signature, message, pubkey)).toBe(true);
        expect(verify(signature, message, neighbour.pubkey)).toBe(false); // a cached key answers only for itself
        expect(verify(signature, message, offCurve)).toBe(false);
        expect(verify(neighbour.signature, neighbour.message, neighbour.pubkey)).toBe(true);
      }
    }
  });

  it('refuses to start on a module that is not the libsecp256k1 build it expects', async () => {
    // A valid WebAssembly module with none of the exports: creation fails instead of returning a verifier.
    const empty = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    await expect(createWasmSchnorrVerifier(empty)).rejects.toThrow(/secp256k1 wasm/);
    // The real binary passes its self-test.
    const file = path.join(path.dirname(createRequire(import.meta.url).resolve('nostr-wasm')), '..', 'public', 'out', 'secp256k1.wasm');
    const verify = await createWasmSchnorrVerifier(readFileSync(file));
    expect(typeof verify).toBe('function');
  });
});

describe('import verification', () => {
  it('gives the same verdicts with the wasm verifier as with noble, and the same across worker threads', async () => {
    const declarations = mixedDeclarations(9);
    const groups = declarations.map((d) => d.events.map((e) => JSON.stringify(e)));
    // Failing groups too: a forged copy next to a genuine event, a forged event alone, and equivocating carriers.
    const forged = buildDeclaration('rsa');
    groups.push([JSON.stringify(forged.events[0]), JSON.stringify(tampered(forged.events[0]!))]);
    groups.push([JSON.stringify(tampered(buildDeclaration('nostr').events[0]!))]);
    const a = buildDeclaration('nostr');
    const b = buildDeclaration('nostr', { uuid: a.uuid, nostrSigner: otherNostrSigner });
    groups.push([JSON.stringify(a.events[0]), JSON.stringify(b.events[0])]);
    // A correct id under a signature with one bit changed: only the BIP-340 backend can catch this one.
    const resigned = buildDeclaration('ed25519').events[0]!;
    groups.push([JSON.stringify({ ...resigned, sig: flip(resigned.sig, 77) })]);

    const noble = groups.map((texts) => verifyImportGroup(texts, { at: AT, verifySchnorr: verifySchnorrNoble }));
    const local = (await (await createLocalVerifier()).verify(groups, AT)).read();
    const pool = await createVerifyPool({ threads: 2, workerFile: await bundledVerifyWorker(), chunkEvents: 3 });
    onCleanup(() => pool.close());
    const progress: number[] = [];
    const threaded = (await pool.verify(groups, AT, (done) => progress.push(done))).read();
    const wasmPool = await createVerifyPool({ threads: 2, workerFile: await bundledVerifyWorker(), chunkEvents: 3, schnorr: 'wasm' });
    onCleanup(() => wasmPool.close());

    expect(local).toEqual(noble);
    expect(threaded).toEqual(noble);
    expect((await wasmPool.verify(groups, AT)).read()).toEqual(noble);
    expect(progress[progress.length - 1]).toBe(groups.length);
    expect(noble.slice(0, 9).every((v) => v.accepted !== undefined && v.refusedEvents.length === 0)).toBe(true);
    expect(noble[9]!.accepted).toBeDefined();
    expect(noble[9]!.refusedEvents.map((r) => r.check.name)).toEqual(['event_id']);
    expect(noble[10]!.accepted).toBeUndefined();
    expect(noble[10]).toMatchObject({ refusedEvents: [{ index: 0, check: { name: 'event_id' } }] });
    expect(noble[11]!.accepted).toBeUndefined();
    expect(noble[11]).toMatchObject({ refusedGroup: { reason: 'equivocation', indexes: [0, 1] } });
    expect(noble[12]).toMatchObject({ refusedEvents: [{ index: 0, check: { name: 'event_signature' } }] });
  });

  it('keeps workers within their heap bound on large events: chunks are bounded in bytes, so nothing crashes', async () => {
    // 60 events of ~1.5 MB each (90 MB, beyond a worker's heap bound) would be one chunk by count; by size each goes alone.
    const big = Array.from({ length: 60 }, (_, i) => [JSON.stringify({ id: String(i).padStart(64, '0'), kind: 31106, content: 'x'.repeat(1_500_000) })]);
    // The largest group verification accepts at all (just under the 32 MB input bound) fits a worker too.
    big.push([JSON.stringify({ id: '1'.repeat(64), kind: 31106, content: 'y'.repeat(31_000_000) })]);
    const genuine = mixedDeclarations(3).map((d) => d.events.map((e) => JSON.stringify(e)));
    const pool = await createVerifyPool({ threads: 2, workerFile: await bundledVerifyWorker() });
    onCleanup(() => pool.close());
    const verdicts = (await pool.verify([...big, ...genuine], AT)).read();
    expect(verdicts).toHaveLength(64);
    expect(verdicts.slice(0, 61).every((v) => v.accepted === undefined && v.refusedEvents.length === 1)).toBe(true);
    expect(verdicts.slice(61).every((v) => v.accepted !== undefined)).toBe(true);
  });
});

