import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { assertIJson, canonicalJson, parseCanonicalJson } from '../../../electron/core/canonical';
import {
  MAX_CONTENT_BYTES,
  buildBundle,
  buildContent,
  buildSignedData,
  countersignDetached,
  countersignWithNostr,
  parseTimestamp,
  parseVerifiableInput,
  signDetached,
  signWithNostr,
  verifyAll,
  verifyDeclaration,
  wrap,
} from '../../../electron/core/declaration';
import { signDeclarationEvent } from '../../../electron/core/declaration/nostr-event';
import { generatePrivateKey, keyMaterialFromPrivate } from '../../../electron/core/keys';
import { VECTOR_TIMES, VECTOR_UUID_ED25519, VECTOR_UUID_NOSTR, labelledBytes, vectorSignedData } from '../../vectors/scenario';
import { AT, ed25519WrappedBundle, keys, nostrSignedBundle } from './helpers';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return 'no error';
};

describe('canonical JSON', () => {
  it('serialises as RFC 8785 does (sorted keys, ECMAScript numbers, minimal escapes)', () => {
    expect(canonicalJson({ b: [333333333.3333333, 4.5, 0.002, 1e-27, -0, 9007199254740991], a: '\u20ac$\u000f\nA\'"\\', '\u00e9': 1, '1': true })).toBe(
      '{"1":true,"a":"€$\\u000f\\nA\'\\"\\\\","b":[333333333.3333333,4.5,0.002,1e-27,0,9007199254740991],"é":1}',
    );
  });

  it('refuses values that are not I-JSON', () => {
    for (const bad of [{ a: undefined }, { a: NaN }, { a: 2 ** 53 + 2 }, { a: 1e30 }, { a: 'x\ud800' }, { a: new Date(0) }, [, 1], { a: () => 1 }, { a: 10n }]) {
      expect(codeOf(() => assertIJson(bad))).toBe('invalid_input');
    }
    let deep: unknown = 1;
    for (let i = 0; i < 70; i++) deep = [deep];
    expect(codeOf(() => canonicalJson(deep))).toBe('invalid_input');
  });

  it('accepts only text that is already canonical', () => {
    expect(parseCanonicalJson('{"a":1,"b":[true,null]}')).toEqual({ a: 1, b: [true, null] });
    for (const text of ['{"b":1,"a":2}', '{"a": 1}', '{"a":1,"a":1}', '{"a":1.0}', '{"a":"\\u0041"}']) {
      expect(codeOf(() => parseCanonicalJson(text))).toBe('invalid_json');
    }
  });
});

describe('timestamps', () => {
  it('accepts exactly YYYY-MM-DDTHH:MM:SSZ of real dates', () => {
    expect(parseTimestamp('2025-01-15T12:00:00Z')).toBe(1736942400);
    expect(parseTimestamp('2024-02-29T00:00:00Z')).toBe(1709164800);
    for (const bad of ['2025-02-29T00:00:00Z', '2025-01-15T12:00:00.000Z', '2025-01-15T12:00:00+00:00', '2025-01-15 12:00:00Z', '2025-13-01T00:00:00Z', '2025-01-15T24:00:00Z', 1736942400]) {
      expect(parseTimestamp(bad)).toBeUndefined();
    }
  });

  it('answers the same the second time (parsed times are remembered), well past the number it remembers', () => {
    const seconds = (i: number) => 1_700_000_000 + i * 86_401;
    const text = (i: number) => new Date(seconds(i) * 1000).toISOString().replace('.000Z', 'Z');
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 5_000; i++) {
        expect(parseTimestamp(text(i))).toBe(seconds(i));
        expect(parseTimestamp('2025-02-29T00:00:00Z')).toBeUndefined(); // a refusal is remembered as a refusal
      }
    }
  });
});

describe('building and signing refuse what a verifier would reject', () => {
  it('validity window and content size', () => {
    const build = (times: Parameters<typeof vectorSignedDataWith>[0]) => () => vectorSignedDataWith(times);
    expect(codeOf(build({ validUntil: '2024-12-31T00:00:00Z' }))).toBe('invalid_validity');
    expect(codeOf(build({ signingTimestamp: '2026-02-01T00:00:00Z' }))).toBe('invalid_validity');
    expect(codeOf(build({ validFrom: '2025-01-01T00:00:00.000Z' }))).toBe('invalid_validity');
    expect(codeOf(() => buildContent('trust-declaration', { blob: 'x'.repeat(MAX_CONTENT_BYTES) }))).toBe('content_too_large');
    expect(codeOf(() => buildContent('no-such-type' as never, {}))).toBe('invalid_input');
  });

  it('signing with a key that is not the declared signer', () => {
    const nostrData = vectorSignedData(VECTOR_UUID_NOSTR, keys.nostrIssuer, keys.nostrTarget);
    expect(codeOf(() => signWithNostr({ signedData: nostrData, nostrPrivateKey: keys.nostrWrapper.privateKey! }))).toBe('signer_mismatch');
    const edData = vectorSignedData(VECTOR_UUID_ED25519, keys.ed25519Issuer, keys.nostrTarget);
    expect(codeOf(() => signDetached({ signedData: edData, algorithm: 'ed25519', privateKey: keys.ed25519Countersigner.privateKey! }))).toBe('signer_mismatch');
    expect(codeOf(() => signDetached({ signedData: { ...edData, content_hash_sha256: '00'.repeat(32) }, algorithm: 'ed25519', privateKey: keys.ed25519Issuer.privateKey! }))).toBe('verification_failed');
  });

  it('duplicate countersigners and the one-slot-per-Nostr-key rule', () => {
    const { format3 } = ed25519WrappedBundle();
    const { format3: nostrFormat3, countersignature } = nostrSignedBundle();
    expect(codeOf(() => countersignWithNostr({ format3: nostrFormat3, nostrPrivateKey: keys.nostrIssuer.privateKey!, createdAt: VECTOR_TIMES.wrapCreatedAt }))).toBe('duplicate_countersigner');
    expect(codeOf(() => countersignWithNostr({ format3: nostrFormat3, nostrPrivateKey: keys.nostrCountersigner.privateKey!, createdAt: VECTOR_TIMES.wrapCreatedAt, existing: { nostrCountersignatures: [countersignature] } }))).toBe('duplicate_countersigner');
    expect(codeOf(() => countersignWithNostr({ format3, nostrPrivateKey: keys.nostrWrapper.privateKey!, createdAt: VECTOR_TIMES.wrapCreatedAt, existing: { wrapperPubkeys: [keys.nostrWrapper.publicKeyHex] } }))).toBe('nostr_slot_taken');
    expect(codeOf(() => wrap({ format3, countersignatures: [], wrapperPrivateKey: keys.nostrCountersigner.privateKey!, createdAt: VECTOR_TIMES.wrapCreatedAt, nostrCountersignerPubkeys: [keys.nostrCountersigner.publicKeyHex] }))).toBe('nostr_slot_taken');
    const selfCountersign = () =>
      countersignDetached({ format3, algorithm: 'ed25519', privateKey: keys.ed25519Issuer.privateKey!, publicKeyHex: keys.ed25519Issuer.publicKeyHex, signedAt: VECTOR_TIMES.countersignedAt });
    expect(codeOf(selfCountersign)).toBe('duplicate_countersigner');
    const detached = countersignDetached({ format3, algorithm: 'ed25519', privateKey: keys.ed25519Countersigner.privateKey!, publicKeyHex: keys.ed25519Countersigner.publicKeyHex, signedAt: VECTOR_TIMES.countersignedAt });
    expect(codeOf(() => countersignDetached({ format3, algorithm: 'ed25519', privateKey: keys.ed25519Countersigner.privateKey!, publicKeyHex: keys.ed25519Countersigner.publicKeyHex, signedAt: VECTOR_TIMES.countersignedAt, existing: { countersignatures: [detached] } }))).toBe('duplicate_countersigner');
    expect(codeOf(() => wrap({ format3, countersignatures: [detached, detached], wrapperPrivateKey: keys.nostrWrapper.privateKey!, createdAt: VECTOR_TIMES.wrapCreatedAt }))).toBe('duplicate_countersigner');
  });

  it('a re-wrap is strictly newer than the wrapper it replaces, and replaces it in the bundle', () => {
    const { format3, detached, wrapper } = ed25519WrappedBundle();
    const rewrap = wrap({ format3, countersignatures: [detached], wrapperPrivateKey: keys.nostrWrapper.privateKey!, createdAt: wrapper.created_at, previousCreatedAt: wrapper.created_at });
    expect(rewrap.created_at).toBe(wrapper.created_at + 1);
    const bundle = buildBundle({ declarationUuid: VECTOR_UUID_ED25519, events: [wrapper, rewrap] });
    expect(bundle.events.map((e) => e.id)).toEqual([rewrap.id]);
  });

  it('a Nostr-signed declaration with detached countersignatures, wrapped by its own issuer, verifies from the wrapper alone', () => {
    const { format3 } = nostrSignedBundle();
    // Countersigned in the very second of signing, wrapped "at" that second too: the wrapper must still land later.
    const detached = countersignDetached({ format3, algorithm: 'ed25519', privateKey: keys.ed25519Countersigner.privateKey!, publicKeyHex: keys.ed25519Countersigner.publicKeyHex, signedAt: VECTOR_TIMES.signingTimestamp });
    const wrapper = wrap({ format3, countersignatures: [detached], wrapperPrivateKey: keys.nostrIssuer.privateKey!, createdAt: format3.nostr_event!.created_at });
    expect(wrapper.created_at).toBe(format3.nostr_event!.created_at + 1);
    const bundle = buildBundle({ declarationUuid: VECTOR_UUID_NOSTR, events: [format3.nostr_event!, wrapper] });
    expect(bundle.events).toHaveLength(1);
    const report = verifyDeclaration(JSON.stringify(bundle), { at: AT });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.events.map((e) => e.role).sort()).toEqual(['embedded-primary', 'wrapper']);
    expect(report.countersigners.map((c) => c.canonical_name)).toEqual([keys.ed25519Countersigner.canonicalName]);
  });
});

describe('RSA-PSS and ML-DSA-65 signers', () => {
  it.each(['rsa', 'ml-dsa-65'] as const)('%s: sign, countersign, wrap, verify; tampering fails', (algorithm) => {
    const issuer =
      algorithm === 'rsa'
        ? keyMaterialFromPrivate('rsa', Uint8Array.from(generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { format: 'der', type: 'pkcs8' }, publicKeyEncoding: { format: 'der', type: 'spki' } }).privateKey))
        : keyMaterialFromPrivate('ml-dsa-65', generatePrivateKey('ml-dsa-65', labelledBytes('ml-dsa-65-issuer')));
    const signedData = vectorSignedData(VECTOR_UUID_ED25519, issuer, keys.nostrTarget);
    const format3 = signDetached({ signedData, algorithm, privateKey: issuer.privateKey! });
    const detached = countersignDetached({ format3, algorithm: 'ed25519', privateKey: keys.ed25519Countersigner.privateKey!, publicKeyHex: keys.ed25519Countersigner.publicKeyHex, signedAt: VECTOR_TIMES.countersignedAt });
    const wrapper = wrap({ format3, countersignatures: [detached], wrapperPrivateKey: keys.nostrWrapper.privateKey!, createdAt: VECTOR_TIMES.wrapCreatedAt });
    const report = verifyDeclaration(JSON.stringify(wrapper), { at: AT });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.signer?.canonical_name).toBe(`${algorithm}:${issuer.fingerprint}`);
    // A wrapper key holder who alters the inner signature cannot make it verify (and the countersignature, which
    // covers the signature too, no longer matches).
    const payload = JSON.parse(wrapper.content);
    // Flip one bit of the first byte: an ML-DSA signature is randomised, so overwriting the byte with a constant would
    // be a no-op whenever the signature already began with it (one run in 256).
    const original: string = payload.signed_data.signature.digital_signature;
    const flippedFirstByte = (Number.parseInt(original.slice(0, 2), 16) ^ 0x01).toString(16).padStart(2, '0');
    payload.signed_data.signature.digital_signature = `${flippedFirstByte}${original.slice(2)}`;
    const forged = signDeclarationEvent(keys.nostrWrapper.privateKey!, { created_at: wrapper.created_at, tags: wrapper.tags, content: canonicalJson(payload) });
    expect(verifyDeclaration(JSON.stringify(forged), { at: AT }).checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['inner_signature', 'countersignature']);
  });
});

describe('verification options and inputs', () => {
  const text = JSON.stringify(nostrSignedBundle().bundle);

  it('in_force and not_revoked at the requested instant', () => {
    const failing = (options: Parameters<typeof verifyDeclaration>[1]) => verifyDeclaration(text, options).checks.filter((c) => !c.ok).map((c) => c.name);
    expect(failing({ at: '2024-12-31T23:59:59Z' })).toEqual(['in_force']);
    expect(failing({ at: '2026-01-01T00:00:01Z' })).toEqual(['in_force']);
    expect(failing({ at: new Date('2025-06-01T00:00:00Z') })).toEqual([]);
    const revoked = () => ({ revoked_at: '2025-03-01T00:00:00Z', by: 'declaration 1234' });
    expect(failing({ at: AT, revoked })).toEqual(['not_revoked']);
    expect(failing({ at: '2025-02-01T00:00:00Z', revoked })).toEqual([]);
    expect(codeOf(() => verifyDeclaration(text, { at: 'yesterday' }))).toBe('invalid_input');
  });

  it('reads a bundle, one event, an array and JSON Lines; reports each declaration', () => {
    const nostr = nostrSignedBundle().bundle;
    const wrapped = ed25519WrappedBundle().bundle;
    const lines = [...nostr.events, ...wrapped.events].map((e) => JSON.stringify(e)).join('\n');
    const reports = verifyAll(lines, { at: AT });
    expect(reports.map((r) => [r.declaration_uuid, r.valid]).sort()).toEqual([[VECTOR_UUID_ED25519, true], [VECTOR_UUID_NOSTR, true]]);
    expect(codeOf(() => verifyDeclaration(lines, { at: AT }))).toBe('invalid_bundle');
    expect(verifyDeclaration(lines, { at: AT, declarationUuid: VECTOR_UUID_NOSTR }).valid).toBe(true);
    expect(verifyDeclaration(JSON.stringify(nostr.events), { at: AT }).valid).toBe(true);
    expect(verifyDeclaration(JSON.stringify(nostr.events[0]), { at: AT }).valid).toBe(true);
    const none = verifyDeclaration(lines, { at: AT, declarationUuid: '00000000-0000-4000-8000-000000000000' });
    expect(none.valid).toBe(false);
    expect(none.checks.map((c) => c.name)).toEqual(['carrier_present']);
  });

  it('a lone countersignature is not a declaration', () => {
    const { countersignature } = nostrSignedBundle();
    const report = verifyDeclaration(JSON.stringify(countersignature), { at: AT });
    expect(report.valid).toBe(false);
    expect(report.checks.find((c) => !c.ok)?.name).toBe('carrier_present');
  });

  it('malformed input is invalid_bundle with a precise message', () => {
    const message = (input: string) => {
      try {
        parseVerifiableInput(input);
      } catch (error) {
        return `${(error as { code: string }).code}: ${(error as Error).message}`;
      }
      return 'parsed';
    };
    expect(message('')).toBe('invalid_bundle: input is empty');
    expect(message('{"id":1}\n{oops\n')).toMatch(/^invalid_bundle: line 2 is not JSON/);
    expect(message('42')).toMatch(/^invalid_bundle: input is neither/);
    expect(message('{"declsign_bundle":2,"declaration_uuid":"x","events":[]}')).toMatch(/unsupported bundle version/);
    expect(message(`{"declsign_bundle":1,"declaration_uuid":"${VECTOR_UUID_NOSTR}","events":[{}],"extra":1}`)).toMatch(/unknown bundle field "extra"/);
  });

  it('a bad event shape is a named check, not a crash', () => {
    const report = verifyDeclaration(JSON.stringify([{ tags: [['d', VECTOR_UUID_NOSTR]], content: 5 }]), { at: AT });
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([['event_shape', false], ['carrier_present', false]]);
  });
});

function vectorSignedDataWith(times: Partial<{ validFrom: string; validUntil: string | null; signingTimestamp: string }>) {
  return buildSignedData({
    declarationUuid: VECTOR_UUID_NOSTR,
    content: buildContent('trust-declaration', { role: 'authorized-admin' }),
    signer: { algorithm: 'nostr', publicKeyHex: keys.nostrIssuer.publicKeyHex },
    target: { algorithm: 'nostr', publicKeyHex: keys.nostrTarget.publicKeyHex },
    validFrom: VECTOR_TIMES.validFrom,
    validUntil: VECTOR_TIMES.validUntil,
    signingTimestamp: VECTOR_TIMES.signingTimestamp,
    ...times,
  });
}
