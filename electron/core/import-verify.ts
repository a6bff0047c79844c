// Verification for import: one declaration's event texts in, a storable verdict out. Pure (texts, time and the
// signature backend are arguments), so it runs the same on the main thread and in verify workers.
//
// Fail closed, but per event where that is sound: an event that fails its own envelope (shape, id, signature, kind,
// payload, tags) is quarantined alone, so a forged or damaged copy cannot keep a valid declaration out. Everything
// else is judged by the core verifier over the remaining events together; if that fails, all of them are quarantined.
// Only `in_force` is not a reason to refuse: an expired or not-yet-valid declaration is still authentically signed,
// and whether it is in force is decided when it is used.

import { canonicalJson, sha256Hex } from './canonical';
import { checkEnvelope, type Check } from './declaration/checks';
import { replaces } from './declaration/bundle';
import { nostrFormat3 } from './declaration/format3';
import { tagValues, type SchnorrVerifier } from './declaration/nostr-event';
import type { DetachedCountersignature, NostrEvent, SignedData, SignedDataWithSignature, WrapperPayload } from './declaration/types';
import { verifyAll, type VerificationReport } from './declaration/verify';

export type ImportedEventRole = 'primary' | 'wrapper' | 'countersignature';

export interface ImportedEvent {
  /** Position of the event's text in the group handed in. */
  index: number;
  id: string;
  pubkey: string;
  created_at: number;
  role: ImportedEventRole;
  /** The event now holding this event's relay slot (same pubkey and d), or null if this one is current. */
  superseded_by: string | null;
}

export interface AcceptedDeclaration {
  uuid: string;
  signedData: SignedData;
  /** JCS of Format 3, exactly what the verifier checked; its SHA-256 is `signedDataSha256`. */
  format3Text: string;
  signedDataSha256: string;
  /** The newest current primary or wrapper event: the declaration's Nostr form. */
  carrierEventId: string;
  /** Detached countersignatures carried by current wrappers (every one verified). */
  countersignatures: DetachedCountersignature[];
  /** Distinct valid countersigners (the signer excluded). */
  countersigners: number;
  inForce: boolean;
  events: ImportedEvent[];
}

export interface RefusedEvent {
  index: number;
  /** The first failing check. */
  check: Check;
  checks: Check[];
}

export interface GroupRefusal {
  indexes: number[];
  reason: 'equivocation' | 'verification';
  check: Check;
  checks: Check[];
}

export interface GroupVerdict {
  uuid: string | null;
  accepted?: AcceptedDeclaration;
  /** Events refused on their own envelope. */
  refusedEvents: RefusedEvent[];
  /** The rest of the group, refused together. */
  refusedGroup?: GroupRefusal;
}

export interface ImportVerifyOptions {
  /** The instant `in_force` is reported for (`YYYY-MM-DDTHH:MM:SSZ` or a Date). */
  at: Date | string;
  verifySchnorr: SchnorrVerifier;
}

/** The d tag a raw event is grouped under: the first `d` among its string tags (the verifier's own rule). */
export function groupKeyOf(raw: unknown): string | null {
  const tags = typeof raw === 'object' && raw !== null ? (raw as { tags?: unknown }).tags : undefined;
  if (!Array.isArray(tags)) return null;
  const stringTags = tags.filter((tag): tag is string[] => Array.isArray(tag) && tag.every((v) => typeof v === 'string'));
  return tagValues(stringTags, 'd')[0] ?? null;
}

/** `texts` are the exact JSON texts of events that share one d tag; each is parsed afresh here. */
export function verifyImportGroup(texts: readonly string[], options: ImportVerifyOptions): GroupVerdict {
  const all = texts.map((_, index) => index);
  const first = judge(texts, all, options);
  if (first.accepted) return { uuid: first.accepted.uuid, accepted: first.accepted, refusedEvents: [] };
  const uuid = first.report?.declaration_uuid ?? null;

  // Something failed: set aside every event whose own envelope fails, then judge the rest again.
  const refusedEvents: RefusedEvent[] = [];
  const kept: number[] = [];
  for (const index of all) {
    const envelope = checkEnvelope(JSON.parse(texts[index]!), uuid, options.verifySchnorr);
    const failed = envelope.checks.find((c) => !c.ok);
    if (envelope.event === undefined || failed !== undefined) refusedEvents.push({ index, check: failed!, checks: envelope.checks });
    else kept.push(index);
  }
  if (kept.length === 0) return { uuid, refusedEvents };
  const second = kept.length === all.length ? first : judge(texts, kept, options);
  if (second.accepted) return { uuid, accepted: second.accepted, refusedEvents };
  const checks = second.report?.checks ?? [];
  const failed = checks.find((c) => !c.ok && c.name !== 'in_force') ?? { name: 'carrier_present', ok: false, message: 'nothing to verify' };
  return {
    uuid,
    refusedEvents,
    refusedGroup: { indexes: kept, reason: failed.name === 'no_equivocation' ? 'equivocation' : 'verification', check: failed, checks },
  };
}

interface Judgement {
  report?: VerificationReport;
  accepted?: AcceptedDeclaration;
}

function judge(texts: readonly string[], indexes: readonly number[], options: ImportVerifyOptions): Judgement {
  // A JSON array of the exact texts: the verifier parses it itself, so it sees nothing but fresh objects.
  const reports = verifyAll(`[${indexes.map((i) => texts[i]).join(',')}]`, { at: options.at, backend: { verifySchnorr: options.verifySchnorr } });
  const report = reports[0];
  if (reports.length !== 1 || report === undefined) return { report };
  const acceptable = report.checks.every((c) => c.ok || c.name === 'in_force') && report.signed_data !== null && report.declaration_uuid !== null;
  if (!acceptable) return { report };
  return { report, accepted: storable(texts, indexes, report) };
}

/** What the store needs from a declaration that verified: roles, slots, the carrier and its Format 3. */
function storable(texts: readonly string[], indexes: readonly number[], report: VerificationReport): AcceptedDeclaration {
  const parsed = new Map<string, { index: number; event: NostrEvent; payload: Record<string, unknown> }>();
  for (const index of indexes) {
    const event = JSON.parse(texts[index]!) as NostrEvent;
    if (parsed.has(event.id)) continue; // an equal copy (the verifier counted it once)
    parsed.set(event.id, { index, event, payload: JSON.parse(event.content) as Record<string, unknown> });
  }
  const roleOf = (payload: Record<string, unknown>): ImportedEventRole =>
    'countersignature' in payload ? 'countersignature' : 'signed_data' in payload ? 'wrapper' : 'primary';

  // The current event of each pubkey slot, as the verifier chose it.
  const currentBySlot = new Map<string, NostrEvent>();
  for (const { event } of parsed.values()) {
    const held = currentBySlot.get(event.pubkey);
    if (held === undefined || replaces(event, held)) currentBySlot.set(event.pubkey, event);
  }
  const events: ImportedEvent[] = [...parsed.values()].map(({ index, event, payload }) => {
    const current = currentBySlot.get(event.pubkey)!;
    return {
      index,
      id: event.id,
      pubkey: event.pubkey,
      created_at: event.created_at,
      role: roleOf(payload),
      superseded_by: current.id === event.id ? null : current.id,
    };
  });

  const carriers = [...currentBySlot.values()].filter((e) => roleOf(parsed.get(e.id)!.payload) !== 'countersignature');
  const carrier = carriers.reduce((newest, e) => (replaces(e, newest) ? e : newest));
  const carrierPayload = parsed.get(carrier.id)!.payload;
  const signedData = report.signed_data!;
  const format3: SignedDataWithSignature =
    roleOf(carrierPayload) === 'wrapper' ? (carrierPayload as unknown as WrapperPayload).signed_data : nostrFormat3(signedData, carrier);
  const format3Text = canonicalJson(format3, 'Format 3');
  const sha = sha256Hex(format3Text); // signed_data_sha256, from the very text we store
  if (sha !== report.signed_data_sha256) throw new Error(`import: the carrier's Format 3 hashes to ${sha}, the verifier's to ${report.signed_data_sha256}`);

  const countersignatures = new Map<string, DetachedCountersignature>();
  for (const current of carriers) {
    const payload = parsed.get(current.id)!.payload;
    if (roleOf(payload) !== 'wrapper') continue;
    for (const cs of (payload as unknown as WrapperPayload).countersignatures) countersignatures.set(`${cs.fingerprint}:${cs.digital_signature}`, cs);
  }
  return {
    uuid: report.declaration_uuid!,
    signedData,
    format3Text,
    signedDataSha256: sha,
    carrierEventId: carrier.id,
    countersignatures: [...countersignatures.values()],
    countersigners: report.countersigners.length,
    inForce: report.checks.some((c) => c.name === 'in_force' && c.ok),
    events,
  };
}
