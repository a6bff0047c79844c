// Verification for import: one declaration's event texts in, a storable verdict out. Pure (texts, time and the
// signature backend are arguments), so it runs the same on the main thread and in verify workers.
//
// Fail closed, but per event where that is sound: an event that fails its own envelope (shape, id, signature, kind,
// payload, tags) is quarantined alone, so a forged or damaged copy cannot keep a valid declaration out. Everything
// else is judged by the core verifier over the remaining events together; if that fails, all of them are quarantined.
// Only `in_force` is not a reason to refuse: an expired or not-yet-valid declaration is still authentically signed,
// and whether it is in force is decided when it is used.

import { canonicalJson } from './canonical';
import { checkEnvelope, type Check } from './declaration/checks';
import { MAX_INPUT_BYTES, replaces } from './declaration/bundle';
import { tagValues, type SchnorrVerifier } from './declaration/nostr-event';
import type { DetachedCountersignature, NostrEvent, SignedData } from './declaration/types';
import { verifyEvents, type GroupVerification } from './declaration/verify';
import { DeclsignError } from './errors';

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
  /** JCS of Format 1 (the content), the text `content_hash_sha256` hashes. */
  contentText: string;
  /** The signature in Format 3's signature block. */
  digitalSignature: string;
  /** The newest current primary or wrapper event: the declaration's Nostr form. */
  carrierEventId: string;
  carrierTags: string[][];
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

/** `texts` are the exact JSON texts of events that share one d tag; each is parsed afresh here, once. */
export function verifyImportGroup(texts: readonly string[], options: ImportVerifyOptions): GroupVerdict {
  const raws = parseEventTexts(texts);
  const all = texts.map((_, index) => index);
  const first = judge(raws, all, options);
  if (first.accepted) return { uuid: first.accepted.uuid, accepted: first.accepted, refusedEvents: [] };
  const uuid = first.report?.declaration_uuid ?? null;

  // Something failed: set aside every event whose own envelope fails, then judge the rest again.
  const refusedEvents: RefusedEvent[] = [];
  const kept: number[] = [];
  for (const index of all) {
    const envelope = checkEnvelope(raws[index], uuid, options.verifySchnorr);
    const failed = envelope.checks.find((c) => !c.ok);
    if (envelope.event === undefined || failed !== undefined) refusedEvents.push({ index, check: failed!, checks: envelope.checks });
    else kept.push(index);
  }
  if (kept.length === 0) return { uuid, refusedEvents };
  const second = kept.length === all.length ? first : judge(raws, kept, options);
  if (second.accepted) return { uuid, accepted: second.accepted, refusedEvents };
  const checks = second.report?.checks ?? [];
  const failed = checks.find((c) => !c.ok && c.name !== 'in_force') ?? { name: 'carrier_present', ok: false, message: 'nothing to verify' };
  return {
    uuid,
    refusedEvents,
    refusedGroup: { indexes: kept, reason: failed.name === 'no_equivocation' ? 'equivocation' : 'verification', check: failed, checks },
  };
}

/** Fresh objects for the verifier (which never modifies them, so one parse serves both judgements and storing). */
function parseEventTexts(texts: readonly string[]): unknown[] {
  // The bound verify applies to one input: the group as the JSON array it would be.
  let bytes = 1 + texts.length;
  for (const text of texts) bytes += Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_INPUT_BYTES) throw new DeclsignError('invalid_bundle', `input exceeds ${MAX_INPUT_BYTES} bytes`);
  return texts.map((text, index) => {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new DeclsignError('invalid_bundle', `event text ${index + 1} is not JSON: ${(error as Error).message}`);
    }
  });
}

interface Judgement {
  report?: GroupVerification['report'];
  accepted?: AcceptedDeclaration;
}

function judge(raws: readonly unknown[], indexes: readonly number[], options: ImportVerifyOptions): Judgement {
  const groups = verifyEvents(
    indexes.map((i) => raws[i]),
    { at: options.at, backend: { verifySchnorr: options.verifySchnorr } },
  );
  const group = groups[0];
  if (groups.length !== 1 || group === undefined) return { report: group?.report };
  const { report } = group;
  const acceptable =
    report.checks.every((c) => c.ok || c.name === 'in_force') && report.signed_data !== null && report.declaration_uuid !== null && group.format3Text !== null;
  if (!acceptable) return { report };
  return { report, accepted: storable(raws, indexes, group) };
}

/** What the store needs from a declaration that verified: roles, slots, the carrier and its Format 3. */
function storable(raws: readonly unknown[], indexes: readonly number[], group: GroupVerification): AcceptedDeclaration {
  const { report } = group;
  const parsed = new Map<string, { index: number; event: NostrEvent; role: ImportedEventRole; countersignatures: DetachedCountersignature[]; digitalSignature: string | undefined }>();
  for (const index of indexes) {
    const id = (raws[index] as { id: string }).id;
    if (parsed.has(id)) continue; // an equal copy (the verifier counted it once)
    const item = group.accepted.get(id);
    if (item === undefined) throw new DeclsignError('internal_error', `import: event ${id} verified but is not among the accepted events`);
    const { payload } = item;
    parsed.set(id, {
      index,
      event: item.event,
      role: payload.type === 'signed-data' ? 'primary' : payload.type,
      countersignatures: payload.type === 'wrapper' ? payload.value.countersignatures : [],
      digitalSignature: payload.type === 'wrapper' ? payload.value.signed_data.signature.digital_signature : payload.type === 'signed-data' ? item.event.sig : undefined,
    });
  }

  // The current event of each pubkey slot, as the verifier chose it.
  const currentBySlot = new Map<string, NostrEvent>();
  for (const { event } of parsed.values()) {
    const held = currentBySlot.get(event.pubkey);
    if (held === undefined || replaces(event, held)) currentBySlot.set(event.pubkey, event);
  }
  const events: ImportedEvent[] = [...parsed.values()].map(({ index, event, role }) => {
    const current = currentBySlot.get(event.pubkey)!;
    return { index, id: event.id, pubkey: event.pubkey, created_at: event.created_at, role, superseded_by: current.id === event.id ? null : current.id };
  });

  const carriers = [...currentBySlot.values()].map((e) => parsed.get(e.id)!).filter((p) => p.role !== 'countersignature');
  const carrier = carriers.reduce((newest, p) => (replaces(p.event, newest.event) ? p : newest));
  // Every carrier holds the same Format 3 (no_equivocation compared their canonical texts), so the verifier's text
  // is the newest carrier's too; its SHA-256 is the signed_data_sha256 the verifier reported.
  const signedData = report.signed_data!;

  const countersignatures = new Map<string, DetachedCountersignature>();
  for (const current of carriers) {
    for (const cs of current.countersignatures) countersignatures.set(`${cs.fingerprint}:${cs.digital_signature}`, cs);
  }
  return {
    uuid: report.declaration_uuid!,
    signedData,
    format3Text: group.format3Text!,
    signedDataSha256: report.signed_data_sha256!,
    contentText: canonicalJson(signedData.content, 'content'),
    digitalSignature: carrier.digitalSignature!,
    carrierEventId: carrier.event.id,
    carrierTags: carrier.event.tags,
    countersignatures: [...countersignatures.values()],
    countersigners: report.countersigners.length,
    inForce: report.checks.some((c) => c.name === 'in_force' && c.ok),
    events,
  };
}
