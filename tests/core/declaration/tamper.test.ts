// Every signed byte matters: flipping any of them in a valid bundle must make verification fail, naming the check.
// Unsigned bytes (Format 4) must change nothing.

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../electron/core/canonical';
import { verifyDeclaration, type CheckName, type DeclarationBundle, type NostrEvent } from '../../../electron/core/declaration';
import { signDeclarationEvent } from '../../../electron/core/declaration/nostr-event';
import { AT, ed25519WrappedBundle, keys, nostrSignedBundle } from './helpers';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const flipHex = (hex: string, at = hex.length - 1) => hex.slice(0, at) + (hex[at] === '0' ? '1' : '0') + hex.slice(at + 1);

function isWrapper(event: NostrEvent) {
  return event.content.startsWith('{"countersignatures"');
}
function isCountersignature(event: NostrEvent) {
  return event.content.startsWith('{"countersignature"');
}

/** Re-signs an event after changing its payload: what a key holder (or an attacker with their own key) could do. */
function resign(event: NostrEvent, secretKey: Uint8Array, change: (payload: Json) => void, options: { raw?: (content: string) => string; createdAt?: number; tags?: string[][] } = {}): NostrEvent {
  const payload = JSON.parse(event.content);
  change(payload);
  const content = options.raw ? options.raw(canonicalJson(payload)) : canonicalJson(payload);
  return signDeclarationEvent(secretKey, { created_at: options.createdAt ?? event.created_at, tags: options.tags ?? event.tags, content });
}

interface Case {
  name: string;
  expected: CheckName;
  mutate(bundle: DeclarationBundle): void;
}

const replaceEvent = (bundle: DeclarationBundle, pick: (e: NostrEvent) => boolean, make: (e: NostrEvent) => NostrEvent) => {
  const index = bundle.events.findIndex(pick);
  if (index < 0) throw new Error('event not found');
  bundle.events[index] = make(bundle.events[index]!);
};

const wrapperKey = keys.nostrWrapper.privateKey!;

const wrappedCases: Case[] = [
  { name: 'wrapper content byte', expected: 'event_id', mutate: (b) => replaceEvent(b, isWrapper, (e) => ({ ...e, content: e.content.replace('operating-admin', 'operating-admim') })) },
  { name: 'wrapper id', expected: 'event_id', mutate: (b) => replaceEvent(b, isWrapper, (e) => ({ ...e, id: flipHex(e.id) })) },
  { name: 'wrapper sig', expected: 'event_signature', mutate: (b) => replaceEvent(b, isWrapper, (e) => ({ ...e, sig: flipHex(e.sig, 10) })) },
  { name: 'wrapper pubkey', expected: 'event_id', mutate: (b) => replaceEvent(b, isWrapper, (e) => ({ ...e, pubkey: keys.nostrIssuer.publicKeyHex })) },
  { name: 'wrapper created_at', expected: 'event_id', mutate: (b) => replaceEvent(b, isWrapper, (e) => ({ ...e, created_at: e.created_at + 1 })) },
  { name: 'wrapper kind', expected: 'event_id', mutate: (b) => replaceEvent(b, isWrapper, (e) => ({ ...e, kind: 31107 })) },
  { name: 'wrapper t tag', expected: 'event_id', mutate: (b) => replaceEvent(b, isWrapper, (e) => ({ ...e, tags: e.tags.map((t) => (t[0] === 't' ? ['t', 'privilege-grant'] : t)) })) },
  { name: 'wrapper created_at in milliseconds', expected: 'event_shape', mutate: (b) => replaceEvent(b, isWrapper, (e) => ({ ...e, created_at: e.created_at * 1000 })) },
  { name: 'wrapper uppercase id', expected: 'event_shape', mutate: (b) => replaceEvent(b, isWrapper, (e) => ({ ...e, id: e.id.toUpperCase() })) },
  { name: 're-wrapped with flipped inner signature', expected: 'inner_signature', mutate: (b) => replaceEvent(b, isWrapper, (e) => resign(e, wrapperKey, (p) => { p.signed_data.signature.digital_signature = flipHex(p.signed_data.signature.digital_signature, 4); })) },
  { name: 're-wrapped with changed content', expected: 'content_hash', mutate: (b) => replaceEvent(b, isWrapper, (e) => resign(e, wrapperKey, (p) => { p.signed_data.content.content.role = 'master-admin'; })) },
  { name: 're-wrapped with changed validity', expected: 'signature_hash', mutate: (b) => replaceEvent(b, isWrapper, (e) => resign(e, wrapperKey, (p) => { p.signed_data.valid_until = '2030-01-01T00:00:00Z'; })) },
  { name: 're-wrapped with a forged hash too', expected: 'inner_signature', mutate: (b) => replaceEvent(b, isWrapper, (e) => resign(e, wrapperKey, (p) => {
    p.signed_data.valid_until = '2030-01-01T00:00:00Z';
    const { signature, ...sd } = p.signed_data;
    signature.signature_hash_value = createHash('sha256').update(canonicalJson(sd)).digest('hex');
  })) },
  { name: 're-wrapped with another signer fingerprint', expected: 'signer_binding', mutate: (b) => replaceEvent(b, isWrapper, (e) => resign(e, wrapperKey, (p) => { p.signed_data.signing_keypair_fingerprint = flipHex(p.signed_data.signing_keypair_fingerprint); })) },
  { name: 're-wrapped with another target key', expected: 'target_binding', mutate: (b) => replaceEvent(b, isWrapper, (e) => resign(e, wrapperKey, (p) => { p.signed_data.target_keypair_public_key = keys.nostrIssuer.publicKeyHex; })) },
  { name: 're-wrapped with an unknown field', expected: 'payload_schema', mutate: (b) => replaceEvent(b, isWrapper, (e) => resign(e, wrapperKey, (p) => { p.signed_data.critical_extension = true; })) },
  { name: 're-wrapped non-canonically', expected: 'payload_canonical', mutate: (b) => replaceEvent(b, isWrapper, (e) => resign(e, wrapperKey, () => undefined, { raw: (c) => JSON.stringify(JSON.parse(c), null, 1) })) },
  { name: 're-wrapped with two d tags', expected: 'event_tags', mutate: (b) => replaceEvent(b, isWrapper, (e) => resign(e, wrapperKey, () => undefined, { tags: [...e.tags, ['d', '00000000-0000-4000-8000-000000000000']] })) },
  { name: 're-wrapped with a flipped countersignature', expected: 'countersignature', mutate: (b) => replaceEvent(b, isWrapper, (e) => resign(e, wrapperKey, (p) => { p.countersignatures[0].digital_signature = flipHex(p.countersignatures[0].digital_signature, 6); })) },
  { name: 're-wrapped with a countersignature over another hash', expected: 'countersignature', mutate: (b) => replaceEvent(b, isWrapper, (e) => resign(e, wrapperKey, (p) => { p.countersignatures[0].signature_hash_value = flipHex(p.countersignatures[0].signature_hash_value); })) },
  { name: 're-wrapped with a countersignature dated after the wrapper', expected: 'countersignature', mutate: (b) => replaceEvent(b, isWrapper, (e) => resign(e, wrapperKey, (p) => { p.countersignatures[0].signed_at = '2025-12-01T00:00:00Z'; })) },
  { name: 'Nostr countersignature content byte', expected: 'event_id', mutate: (b) => replaceEvent(b, isCountersignature, (e) => ({ ...e, content: e.content.replace('"1.0"', '"1.1"') })) },
  { name: 'Nostr countersignature re-signed over another hash', expected: 'countersignature', mutate: (b) => replaceEvent(b, isCountersignature, (e) => resign(e, keys.nostrCountersigner.privateKey!, (p) => { p.countersignature.signed_data_sha256 = flipHex(p.countersignature.signed_data_sha256); })) },
  { name: 'tampered copy of the wrapper added', expected: 'event_id', mutate: (b) => {
    const wrapper = b.events.find(isWrapper)!;
    b.events.push({ ...wrapper, content: wrapper.content.replace('operating-admin', 'master-admin') });
  } },
  { name: 'wrapper removed', expected: 'carrier_present', mutate: (b) => { b.events = b.events.filter((e) => !isWrapper(e)); } },
  { name: 'second wrapper by another admin with different signed data', expected: 'no_equivocation', mutate: (b) => {
    const wrapper = b.events.find(isWrapper)!;
    b.events.push(resign(wrapper, keys.nostrIssuer.privateKey!, (p) => { p.signed_data.content.content.role = 'master-admin'; }));
  } },
];

const issuerKey = keys.nostrIssuer.privateKey!;
const isPrimary = (e: NostrEvent) => !isCountersignature(e);
const nostrCases: Case[] = [
  { name: 'primary content byte', expected: 'event_id', mutate: (b) => replaceEvent(b, isPrimary, (e) => ({ ...e, content: e.content.replace('2026-01-01', '2027-01-01') })) },
  { name: 'primary sig', expected: 'event_signature', mutate: (b) => replaceEvent(b, isPrimary, (e) => ({ ...e, sig: flipHex(e.sig, 70) })) },
  { name: 'primary tags re-signed with a wrong type', expected: 'event_tags', mutate: (b) => replaceEvent(b, isPrimary, (e) => resign(e, issuerKey, () => undefined, { tags: e.tags.map((t) => (t[0] === 't' ? ['t', 'privilege-grant'] : t)) })) },
  { name: 'primary re-signed at another time', expected: 'timestamps', mutate: (b) => {
    // Replaces the original in the issuer's slot (newer), so the countersignature no longer matches either.
    replaceEvent(b, isPrimary, (e) => resign(e, issuerKey, () => undefined, { createdAt: e.created_at + 60 }));
  } },
  { name: 'primary re-signed by another key', expected: 'signer_binding', mutate: (b) => replaceEvent(b, isPrimary, (e) => resign(e, keys.nostrWrapper.privateKey!, () => undefined)) },
  { name: 'second primary by the issuer with different content', expected: 'no_equivocation', mutate: (b) => {
    const primary = b.events.find(isPrimary)!;
    b.events.push(resign(primary, issuerKey, (p) => { p.valid_until = '2025-12-31T00:00:00Z'; }, { createdAt: primary.created_at }));
  } },
  { name: 'countersignature sig', expected: 'event_signature', mutate: (b) => replaceEvent(b, isCountersignature, (e) => ({ ...e, sig: flipHex(e.sig, 3) })) },
];

function failedChecks(bundle: DeclarationBundle) {
  const report = verifyDeclaration(JSON.stringify(bundle), { at: AT });
  return { report, failed: report.checks.filter((c) => !c.ok).map((c) => c.name) };
}

describe('tampering with an Ed25519-signed wrapped bundle', () => {
  it.each(wrappedCases)('$name → $expected fails', ({ mutate, expected }) => {
    const bundle = structuredClone(ed25519WrappedBundle().bundle);
    mutate(bundle);
    const { report, failed } = failedChecks(bundle);
    expect(report.valid).toBe(false);
    expect(failed).toContain(expected);
  });
});

describe('tampering with a Nostr-signed bundle', () => {
  it.each(nostrCases)('$name → $expected fails', ({ mutate, expected }) => {
    const bundle = structuredClone(nostrSignedBundle().bundle);
    mutate(bundle);
    const { report, failed } = failedChecks(bundle);
    expect(report.valid).toBe(false);
    expect(failed).toContain(expected);
  });
});

describe('unsigned fields', () => {
  it('ignores changes to Format 4 in the bundle', () => {
    const bundle = structuredClone(ed25519WrappedBundle().bundle);
    bundle.declaration = { declaration_uuid: bundle.declaration_uuid, status: 'Draft', note: 'edited by someone' };
    const { report, failed } = failedChecks(bundle);
    expect(failed).toEqual([]);
    expect(report.valid).toBe(true);
  });

  it('ignores extra unsigned copies of the same event', () => {
    const bundle = structuredClone(nostrSignedBundle().bundle);
    bundle.events.push(structuredClone(bundle.events[0]!));
    expect(failedChecks(bundle).failed).toEqual([]);
  });
});
