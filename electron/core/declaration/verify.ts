// Verification, fail closed: every event from a fresh parse of the input text, every signature, every binding.
// A report is valid only if every check passed and at least one carrier (primary or wrapper event) was present.

import { CanonicalMemo, canonicalJson, sha256Hex } from '../canonical';
import { DeclsignError } from '../errors';
import type { KeyAlgorithm } from '../keys/types';
import { defaultBackend, type VerifyBackend } from './backend';
import { parseVerifiableInput, replaces } from './bundle';
import {
  check,
  checkEnvelope,
  checkFormat3,
  checkSignedDeclaration,
  detachedCountersignatureProblem,
  nostrCountersignatureProblem,
  publicKeyIdentity,
  rawEventLabel,
  type Check,
  type EnvelopeResult,
  type ParsedPayload,
} from './checks';
import { nostrFormat3, signedDataOf } from './format3';
import { tagValues } from './nostr-event';
import { timestampFromUnix, toUnixSeconds } from './timestamp';
import type { DeclarationType, NostrEvent, SignedData, SignedDataWithSignature } from './types';

export interface Revocation {
  /** `YYYY-MM-DDTHH:MM:SSZ`; the declaration is revoked from this instant on. */
  revoked_at: string;
  /** Who revoked it (e.g. the revoking declaration's UUID). */
  by: string;
}

export interface VerifyOptions {
  /** The instant the declaration must be in force at (the CLI passes now). Date, or `YYYY-MM-DDTHH:MM:SSZ`. */
  at: Date | string;
  /** Revocation lookup; when given, a `not_revoked` check is added. */
  revoked?: (declarationUuid: string) => Revocation | undefined;
  /** Replace the signature primitives (e.g. a WebAssembly Schnorr verifier for bulk imports). */
  backend?: Partial<VerifyBackend>;
}

export type EventRole = 'primary' | 'wrapper' | 'countersignature' | 'embedded-primary' | 'superseded' | 'rejected';

export interface ReportedEvent {
  id: string | undefined;
  role: EventRole;
  pubkey: string | undefined;
}

export interface Countersigner {
  algorithm: KeyAlgorithm;
  canonical_name: string;
  fingerprint: string;
  /** `nostr-event`: its own kind-31106 event; `detached`: carried in a wrapper. */
  via: 'nostr-event' | 'detached';
  signed_at: string;
  /** The countersignature event, or the wrapper that carries a detached one. */
  event_id: string;
}

export interface VerificationReport {
  valid: boolean;
  declaration_uuid: string | null;
  declaration_type: DeclarationType | null;
  /** Set only when the declaration's own checks passed. */
  signer: { algorithm: KeyAlgorithm; canonical_name: string; fingerprint: string } | null;
  /** Format 2, set only when the declaration's own checks passed. */
  signed_data: SignedData | null;
  signed_data_sha256: string | null;
  /** Distinct keys with a valid countersignature, the signer excluded. */
  countersigners: Countersigner[];
  /** Canonical names of keys that countersigned more than once (or the signer countersigning itself); counted once / not at all. */
  duplicate_countersigners: string[];
  checks: Check[];
  events: ReportedEvent[];
}

/** One report per declaration UUID found in the input (bundle, event, array of events, or JSON Lines). */
export function verifyAll(text: string, options: VerifyOptions): VerificationReport[] {
  return verifyEvents(parseVerifiableInput(text).events, options).map((group) => group.report);
}

/** A report with what its verification already holds, for callers that store the result (import). */
export interface GroupVerification {
  report: VerificationReport;
  /** Events whose envelope passed, by id (byte-identical copies once), as parsed and checked. */
  accepted: ReadonlyMap<string, AcceptedEvent>;
  /** JCS of the Format 3 every carrier holds — the text `signed_data_sha256` hashes; null unless the declaration's own checks passed. */
  format3Text: string | null;
}

export interface AcceptedEvent {
  event: NostrEvent;
  payload: ParsedPayload;
}

/** verifyAll over events already parsed from text (each must be fresh from JSON.parse, and is not modified). */
export function verifyEvents(events: unknown[], options: VerifyOptions): GroupVerification[] {
  const context = verificationContext(options);
  return [...groupByDeclaration(events)].map(([uuid, group]) => verifyGroupInDetail(uuid, group, context));
}

/**
 * Verifies the one declaration the input is about: `declarationUuid` if given, else the bundle's, else the only one.
 * Throws `invalid_bundle` when the input holds several and none was chosen.
 */
export function verifyDeclaration(text: string, options: VerifyOptions & { declarationUuid?: string }): VerificationReport {
  const input = parseVerifiableInput(text);
  const context = verificationContext(options);
  const groups = groupByDeclaration(input.events);
  const wanted = options.declarationUuid ?? (new Set(input.bundleUuids).size === 1 ? input.bundleUuids[0] : undefined);
  if (wanted !== undefined) return verifyGroupInDetail(wanted, groups.get(wanted) ?? [], context).report;
  if (groups.size !== 1) {
    throw new DeclsignError('invalid_bundle', `the input holds ${groups.size} declarations; choose one by UUID or verify them all`);
  }
  const [uuid, events] = [...groups][0]!;
  return verifyGroupInDetail(uuid, events, context).report;
}

interface Context {
  at: number;
  backend: VerifyBackend;
  revoked: VerifyOptions['revoked'];
}

function verificationContext(options: VerifyOptions): Context {
  let at: number;
  try {
    at = toUnixSeconds(options.at);
  } catch (error) {
    throw new DeclsignError('invalid_input', `options.at: ${(error as Error).message}`);
  }
  return { at, backend: { ...defaultBackend, ...options.backend }, revoked: options.revoked };
}

/** Groups raw events by their (first) d tag, read leniently: strictness comes later, per event, as named checks. */
function groupByDeclaration(events: unknown[]): Map<string | null, unknown[]> {
  const groups = new Map<string | null, unknown[]>();
  for (const raw of events) {
    const tags = typeof raw === 'object' && raw !== null ? (raw as { tags?: unknown }).tags : undefined;
    const stringTags = Array.isArray(tags) ? tags.filter((tag): tag is string[] => Array.isArray(tag) && tag.every((v) => typeof v === 'string')) : [];
    const uuid = tagValues(stringTags, 'd')[0] ?? null;
    const group = groups.get(uuid);
    if (group) group.push(raw);
    else groups.set(uuid, [raw]);
  }
  return groups;
}

type Accepted = AcceptedEvent;

function verifyGroupInDetail(uuid: string | null, rawEvents: unknown[], context: Context): GroupVerification {
  const { backend } = context;
  // Each object and array of this group is serialised once (the events are fresh parses, never modified here).
  const memo = new CanonicalMemo();
  const accepted = new Map<string, Accepted>();
  let format3Text: string | null = null;
  const checks: Check[] = [];
  const events: ReportedEvent[] = [];
  const report = (extra: Partial<VerificationReport> = {}): GroupVerification => ({
    accepted,
    format3Text,
    report: {
      valid: false,
      declaration_uuid: uuid,
      declaration_type: null,
      signer: null,
      signed_data: null,
      signed_data_sha256: null,
      countersigners: [],
      duplicate_countersigners: [],
      checks,
      events,
      ...extra,
    },
  });

  // 1. Every event's envelope; byte-identical copies of one event count once (a different event claiming the same
  //    id is checked like any other, and fails).
  const acceptedRaw = new Map<string, unknown>();
  for (const raw of rawEvents) {
    const label = rawEventLabel(raw);
    const earlier = label === undefined ? undefined : acceptedRaw.get(label);
    if (earlier !== undefined && JSON.stringify(earlier) === JSON.stringify(raw)) continue;
    const envelope: EnvelopeResult = checkEnvelope(raw, uuid, backend.verifySchnorr, memo);
    checks.push(...envelope.checks);
    if (envelope.event === undefined || envelope.payload === undefined) {
      const pubkey = typeof raw === 'object' && raw !== null ? (raw as { pubkey?: unknown }).pubkey : undefined;
      events.push({ id: label, role: 'rejected', pubkey: typeof pubkey === 'string' ? pubkey.slice(0, 64) : undefined });
      continue;
    }
    accepted.set(envelope.event.id, { event: envelope.event, payload: envelope.payload });
    acceptedRaw.set(envelope.event.id, raw);
  }

  // 2. One slot per pubkey: relays keep only the newest event, so only that one speaks for its key.
  const current = new Map<string, Accepted>();
  for (const item of accepted.values()) {
    const held = current.get(item.event.pubkey);
    if (held === undefined || replaces(item.event, held.event)) current.set(item.event.pubkey, item);
  }
  for (const item of accepted.values()) {
    const role: EventRole = current.get(item.event.pubkey) !== item ? 'superseded' : roleOf(item.payload);
    events.push({ id: item.event.id, role, pubkey: item.event.pubkey });
  }
  const currentItems = [...current.values()];
  const carriers = currentItems.filter((item) => item.payload.type !== 'countersignature');
  checks.push(
    check(
      'carrier_present',
      carriers.length === 0 ? `no primary or wrapper event for declaration ${uuid ?? '(no d tag)'} in the input` : undefined,
      `${carriers.length} carrier event(s)`,
    ),
  );
  if (carriers.length === 0 || uuid === null) return report();

  // 3. Every carrier, superseded or not, must carry the same Format 3: anything else is equivocation.
  const allCarriers = [...accepted.values()].filter((item) => item.payload.type !== 'countersignature');
  const format3s = allCarriers.map((item) => {
    const f3 = format3Of(item, memo);
    return { item, f3, text: canonicalJson(f3, undefined, memo) };
  });
  const first = format3s[0]!;
  const differing = format3s.find((entry) => entry.text !== first.text);
  if (differing !== undefined) {
    const sameSignedData = canonicalJson(signedDataOf(differing.f3), undefined, memo) === canonicalJson(signedDataOf(first.f3), undefined, memo);
    checks.push(
      check(
        'no_equivocation',
        sameSignedData
          ? `events ${first.item.event.id} and ${differing.item.event.id} carry different signatures of the same signed data`
          : `events ${first.item.event.id} and ${differing.item.event.id} carry different signed data for one declaration (equivocation)`,
        '',
      ),
    );
    return report();
  }
  checks.push(check('no_equivocation', undefined, 'every carrier holds the same signed declaration'));

  // 4. The declaration itself. A standalone primary event already passed its envelope checks; a primary that only
  //    travels inside wrappers is verified in full from there.
  const f3 = first.f3;
  const standalonePrimary = allCarriers.find((item) => item.payload.type === 'signed-data');
  if (standalonePrimary !== undefined) {
    checks.push(...checkFormat3(f3, backend.verifyDigest, standalonePrimary.event.id, memo));
  } else {
    checks.push(...checkSignedDeclaration(f3, backend, first.item.event.id, memo));
    if (f3.nostr_event !== undefined) events.push({ id: f3.nostr_event.id, role: 'embedded-primary', pubkey: f3.nostr_event.pubkey });
  }
  const declarationOk = checks.every((c) => c.ok);
  const signedData = signedDataOf(f3);
  const hash = sha256Hex(first.text); // signed_data_sha256: SHA-256 of JCS(Format 3)

  // 5. Countersignatures: each verified; distinct keys counted, the signer never.
  const signerKey = `${signedData.signing_keypair_algorithm}:${signedData.signing_keypair_fingerprint}`;
  const counted = new Map<string, string>(); // key → digital signature (or event id) that was counted
  const countersigners: Countersigner[] = [];
  const duplicates: string[] = [];
  const record = (signer: Countersigner, proof: string) => {
    const key = `${signer.algorithm}:${signer.fingerprint}`;
    if (counted.get(key) === proof) return; // the same countersignature carried by two wrappers
    if (key === signerKey || counted.has(key)) {
      duplicates.push(signer.canonical_name);
      return;
    }
    counted.set(key, proof);
    countersigners.push(signer);
  };
  const csContext = { signedData, signedDataSha256: hash };
  for (const item of currentItems) {
    if (item.payload.type === 'countersignature') {
      const problem = nostrCountersignatureProblem(item.event, item.payload.value, csContext);
      const identity = publicKeyIdentity('nostr', item.event.pubkey);
      checks.push(check('countersignature', problem, `Nostr countersignature by ${identity.canonicalName} verifies`, item.event.id));
      if (problem === undefined) {
        const signedAt = timestampFromUnix(item.event.created_at);
        record({ algorithm: 'nostr', canonical_name: identity.canonicalName, fingerprint: identity.fingerprint, via: 'nostr-event', signed_at: signedAt, event_id: item.event.id }, item.event.id);
      }
    } else if (item.payload.type === 'wrapper') {
      for (const cs of item.payload.value.countersignatures) {
        const problem = detachedCountersignatureProblem(cs, csContext, item.event.created_at, backend.verifyDigest);
        checks.push(check('countersignature', problem, `${cs.algorithm} countersignature by ${cs.canonical_name} verifies`, item.event.id));
        if (problem === undefined) {
          record({ algorithm: cs.algorithm, canonical_name: cs.canonical_name, fingerprint: cs.fingerprint, via: 'detached', signed_at: cs.signed_at, event_id: item.event.id }, cs.digital_signature);
        }
      }
    }
  }

  // 6. In force at the requested instant, and not revoked by then.
  checks.push(check('in_force', inForceProblem(signedData, context.at), `in force at ${timestampFromUnix(context.at)}`));
  if (context.revoked !== undefined) {
    const revocation = context.revoked(uuid);
    const revokedAt = revocation === undefined ? undefined : toUnixSecondsOrZero(revocation.revoked_at);
    checks.push(
      check(
        'not_revoked',
        revocation !== undefined && revokedAt! <= context.at ? `revoked at ${revocation.revoked_at} by ${revocation.by}` : undefined,
        'not revoked',
      ),
    );
  }

  if (declarationOk) format3Text = first.text;
  return report({
    valid: checks.every((c) => c.ok),
    declaration_type: declarationOk ? signedData.declaration_type : null,
    signer: declarationOk
      ? { algorithm: signedData.signing_keypair_algorithm, canonical_name: signedData.signing_keypair_canonical_name, fingerprint: signedData.signing_keypair_fingerprint }
      : null,
    signed_data: declarationOk ? signedData : null,
    signed_data_sha256: declarationOk ? hash : null,
    countersigners,
    duplicate_countersigners: duplicates,
  });
}

function roleOf(payload: ParsedPayload): EventRole {
  return payload.type === 'signed-data' ? 'primary' : payload.type === 'wrapper' ? 'wrapper' : 'countersignature';
}

/** The Format 3 a carrier holds: rebuilt from a primary event, or taken from a wrapper's payload. */
function format3Of(item: Accepted, memo: CanonicalMemo): SignedDataWithSignature {
  if (item.payload.type === 'signed-data') return nostrFormat3(item.payload.value, item.event, memo);
  if (item.payload.type === 'wrapper') return item.payload.value.signed_data;
  throw new DeclsignError('internal_error', 'a countersignature event carries no Format 3');
}

function inForceProblem(sd: SignedData, at: number): string | undefined {
  const from = toUnixSeconds(sd.valid_from);
  if (at < from) return `not yet valid: valid_from is ${sd.valid_from}, checked at ${timestampFromUnix(at)}`;
  if (sd.valid_until !== null && at > toUnixSeconds(sd.valid_until)) return `expired: valid_until was ${sd.valid_until}, checked at ${timestampFromUnix(at)}`;
  return undefined;
}

/** A malformed revocation time is treated as "revoked since forever": fail closed. */
function toUnixSecondsOrZero(timestamp: string): number {
  try {
    return toUnixSeconds(timestamp);
  } catch {
    return 0;
  }
}
