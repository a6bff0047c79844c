// The golden vectors: rebuilt byte for byte from the fixed keys and times, and checked with independent primitives.

import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { schnorr } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { verifyDeclaration } from '../../electron/core/declaration';
import { generateVectors } from './generate';

const stored = JSON.parse(readFileSync(new URL('./declarations.json', import.meta.url), 'utf8'));
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hex = (h: string) => Buffer.from(h, 'hex');
const AT = '2025-06-01T00:00:00Z';

describe('golden vectors', () => {
  it('regenerate byte for byte (randomised signatures pinned)', () => {
    expect(JSON.stringify(generateVectors(stored.pinned_signatures), null, 2)).toBe(JSON.stringify(stored, null, 2));
  });

  it('hashes are SHA-256 of the stored canonical bytes', () => {
    for (const name of ['nostr-signed', 'ed25519-signed-wrapped', 'ml-dsa-65-signed-wrapped']) {
      const v = stored.vectors[name];
      expect(sha256(v.format1_jcs)).toBe(v.content_hash_sha256);
      expect(sha256(v.format2_jcs)).toBe(v.signed_data_hash);
      expect(sha256(v.format3_jcs)).toBe(v.signed_data_sha256);
      expect(JSON.parse(v.format2_jcs).content).toEqual(JSON.parse(v.format1_jcs));
    }
  });

  it('event ids follow NIP-01 and every BIP-340 signature verifies (checked with @noble directly)', () => {
    const events = [
      stored.vectors['nostr-signed'].primary_event,
      stored.vectors['nostr-countersignature'].event,
      stored.vectors['ed25519-signed-wrapped'].wrapper_event,
      stored.vectors['ml-dsa-65-signed-wrapped'].wrapper_event,
    ];
    for (const e of events) {
      expect(sha256(JSON.stringify([0, e.pubkey, e.created_at, e.kind, e.tags, e.content]))).toBe(e.id);
      expect(schnorr.verify(hex(e.sig), hex(e.id), hex(e.pubkey))).toBe(true);
    }
    expect(stored.vectors['nostr-signed'].primary_event.content).toBe(stored.vectors['nostr-signed'].format2_jcs);
  });

  it('Ed25519 signatures are pure Ed25519 over the 32 raw hash bytes (checked with node:crypto directly)', () => {
    const ed = stored.vectors['ed25519-signed-wrapped'];
    const key = (publicHex: string) => createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: hex(publicHex).toString('base64url') }, format: 'jwk' });
    expect(nodeVerify(null, hex(ed.signed_data_hash), key(stored.keys.ed25519Issuer.public_key), hex(ed.digital_signature))).toBe(true);
    const cs = ed.detached_countersignature;
    expect(cs.signature_hash_value).toBe(ed.signed_data_sha256);
    expect(nodeVerify(null, hex(ed.signed_data_sha256), key(cs.public_key), hex(cs.digital_signature))).toBe(true);
  });

  it('every vector verifies', () => {
    for (const text of [
      JSON.stringify(stored.vectors['nostr-signed'].bundle),
      JSON.stringify(stored.vectors['ed25519-signed-wrapped'].wrapper_event),
      JSON.stringify(stored.vectors['ml-dsa-65-signed-wrapped'].wrapper_event),
    ]) {
      const report = verifyDeclaration(text, { at: AT });
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
      expect(report.valid).toBe(true);
    }
  });
});
