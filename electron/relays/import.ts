// Import: event texts from a file, pasted text or relays → verified declarations in the store, everything else in
// quarantine. One path for all sources (files, relay queries, live discovery):
//   1. exact-text repeats are duplicates, the rest is grouped by declaration (d tag);
//   2. per slice of groups: events already stored byte for byte are duplicates (nothing to verify), and a held
//      declaration's current events join its group, so a new countersignature is judged with its carrier and other
//      signed data under a held UUID shows as equivocation;
//   3. groups are verified (worker threads for big imports) from fresh parses of the texts;
//   4. verdicts are stored in transactions of bounded size; refused events go to quarantine with their failing check.

import type { Database } from 'better-sqlite3';
import { timestampFromDate } from '../core/declaration';
import type { Check } from '../core/declaration/checks';
import type { GroupVerdict } from '../core/import-verify';
import { currentEventTexts, heldDeclaration, quarantineEvent, storeImportedDeclaration, type QuarantineReason } from '../store/imports';
import { prepared, withTransaction } from '../store/database';
import type { GroupVerifier, PackedVerdicts } from './import-pool';
import { claimsOfText } from './import-split';

export interface ImportItem {
  /** Exact JSON text of one event. */
  text: string;
  /** Its d tag and claimed id, if the caller already read them (import-split does); read here otherwise. */
  groupKey?: string | null;
  claimedId?: string | null;
  /** `relay:<url>`, `file:<path>`, `text`: recorded with quarantined items. */
  source: string;
  /** Normalised relay URL when it came from a relay (recorded as discovered_from_relay). */
  relay: string | null;
}

export interface ImportCounts {
  /** Declarations that verified (newly stored, updated with new events, or already held unchanged). */
  verified: number;
  /** Events refused (each is in quarantine). */
  quarantined: number;
  /** Events already stored, or repeated in the input. */
  duplicates: number;
  /** Events that are history now (an older version in their relay slot). */
  superseded: number;
}

export interface QuarantinedEventResult {
  event_id: string | null;
  reason: QuarantineReason;
  check: string;
  message: string;
}

export interface DeclarationImportResult {
  /** The declaration's UUID (for a refused group: only what its events claim). */
  declaration_uuid: string | null;
  status: 'new' | 'updated' | 'unchanged' | 'quarantined';
  /** Set when it verified. */
  signer?: string;
  in_force?: boolean;
  countersigners?: number;
  quarantined: QuarantinedEventResult[];
}

export interface ImportResult {
  counts: ImportCounts;
  declarations: DeclarationImportResult[];
}

export interface ImportOptions {
  now: Date;
  verifier: GroupVerifier;
  /** Groups verified so far / groups to verify. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Runs in the last storing transaction when the import stored or changed a declaration (e.g. applying the
   * revocations it carried); not for an import of duplicates and refusals only, which changes nothing it could read.
   */
  afterStore?: (db: Database, now: string) => void;
}

/** Groups verified and stored per slice (one transaction each): the write lock is released between them so the app
 *  and CLI can interleave. */
const STORE_BATCH = 250;
/** Slices handed to the verifier before the first is stored. */
const SLICES_AHEAD = 3;

/** An item with its routing claims read. */
type ClaimedItem = ImportItem & { groupKey: string | null; claimedId: string | null };

/** The input's events of one declaration (or one event without a d tag), before the store is consulted. */
interface PendingGroup {
  key: string | null;
  items: ClaimedItem[];
}

/** What is verified together: a pending group's new events after the held declaration's current ones. */
interface Group {
  key: string | null;
  texts: string[];
  /** Indexes of texts that came from the store. */
  stored: Set<number>;
  items: (ImportItem | undefined)[];
}

export async function importEvents(db: Database, items: readonly ImportItem[], options: ImportOptions): Promise<ImportResult> {
  const stamp = options.now.toISOString();
  const counts: ImportCounts = { verified: 0, quarantined: 0, duplicates: 0, superseded: 0 };
  const results: DeclarationImportResult[] = [];

  // 1: exact-text repeats go, the rest is grouped by declaration, in memory only (this pass is all that runs before
  // the first slice is verified). Repeats are found by claimed id, then text, so no whole text is hashed.
  const textsById = new Map<string | null, string[]>();
  const groups = new Map<string, PendingGroup>();
  const loose: PendingGroup[] = []; // events without a d tag: each judged (and refused) on its own
  for (const item of items) {
    const { groupKey: key, claimedId } =
      item.groupKey !== undefined && item.claimedId !== undefined ? { groupKey: item.groupKey, claimedId: item.claimedId } : claimsOfText(item.text);
    const seen = textsById.get(claimedId);
    if (seen === undefined) textsById.set(claimedId, [item.text]);
    else if (seen.includes(item.text)) {
      counts.duplicates += 1;
      continue;
    } else seen.push(item.text);
    const claimed: ClaimedItem = { ...item, groupKey: key, claimedId };
    if (key === null) {
      loose.push({ key, items: [claimed] });
      continue;
    }
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { key, items: [] }));
    group.items.push(claimed);
  }
  const work = [...groups.values(), ...loose];

  // 2 (per slice, as it is handed to the verifier, so the store is read while earlier slices verify): events already
  // stored byte for byte are duplicates; a held declaration's current events join its group, so a new
  // countersignature is judged with its carrier and other signed data under a held UUID shows as equivocation; a held
  // declaration that brought nothing new is unchanged.
  const storedText = prepared<{ event_json: string }>(db, 'SELECT event_json FROM declaration_events WHERE event_id = ?');
  const prepareSlice = (from: number): Group[] => {
    const ready: Group[] = [];
    for (const group of work.slice(from, from + STORE_BATCH)) {
      const fresh = group.items.filter((item) => {
        const stored = item.claimedId !== null && storedText.get(item.claimedId)?.event_json === item.text;
        if (stored) counts.duplicates += 1;
        return !stored;
      });
      if (fresh.length === 0) {
        if (group.key !== null && heldDeclaration(db, group.key) !== undefined) {
          counts.verified += 1;
          results.push({ declaration_uuid: group.key, status: 'unchanged', quarantined: [] });
        }
        continue;
      }
      const withHeld: Group = { key: group.key, texts: [], stored: new Set(), items: [] };
      if (group.key !== null && heldDeclaration(db, group.key) !== undefined) {
        for (const text of currentEventTexts(db, group.key)) {
          withHeld.stored.add(withHeld.texts.length);
          withHeld.texts.push(text);
          withHeld.items.push(undefined);
        }
      }
      for (const item of fresh) {
        withHeld.texts.push(item.text);
        withHeld.items.push(item);
      }
      ready.push(withHeld);
    }
    return ready;
  };

  // 3 + 4: the workers verify the next SLICES_AHEAD slices while the main thread stores one (one transaction per
  // slice), so neither waits for the other; at most SLICES_AHEAD + 1 slices of verdicts are held.
  const at = timestampFromDate(options.now);
  let verifiedTotal = 0;
  const verifySlice = (from: number) => {
    const slice = prepareSlice(from);
    const unchanged = Math.min(STORE_BATCH, work.length - from) - slice.length; // nothing of theirs to verify
    if (unchanged > 0) {
      verifiedTotal += unchanged;
      options.onProgress?.(verifiedTotal, work.length);
    }
    let sliceDone = 0;
    const advance = (done: number) => {
      verifiedTotal += done - sliceDone;
      sliceDone = done;
      options.onProgress?.(verifiedTotal, work.length);
    };
    const verdicts = slice.length === 0 ? Promise.resolve({ read: () => [] }) : options.verifier.verify(slice.map((g) => g.texts), at, advance);
    verdicts.catch(() => {}); // awaited below; a failure while an earlier slice is stored must not go unhandled
    return { slice, verdicts };
  };
  const ahead: { slice: Group[]; verdicts: Promise<PackedVerdicts> }[] = [];
  for (let k = 0; k < SLICES_AHEAD && (k === 0 || k * STORE_BATCH < work.length); k++) ahead.push(verifySlice(k * STORE_BATCH));
  for (let from = 0; ; from += STORE_BATCH) {
    const next = ahead.shift()!;
    const verdicts = (await next.verdicts).read();
    const last = from + STORE_BATCH >= work.length;
    const following = from + SLICES_AHEAD * STORE_BATCH;
    if (following < work.length) ahead.push(verifySlice(following));
    withTransaction(db, () => {
      verdicts.forEach((verdict, i) => results.push(storeVerdict(db, next.slice[i]!, verdict, counts, stamp)));
      if (last && results.some((r) => r.status === 'new' || r.status === 'updated')) options.afterStore?.(db, stamp);
    });
    if (last) break;
  }
  return { counts, declarations: results };
}

function storeVerdict(db: Database, group: Group, verdict: GroupVerdict, counts: ImportCounts, stamp: string): DeclarationImportResult {
  const result: DeclarationImportResult = { declaration_uuid: verdict.uuid ?? group.key, status: 'quarantined', quarantined: [] };
  const quarantine = (index: number, reason: QuarantineReason, check: Check, checks: readonly Check[]) => {
    const item = group.items[index];
    if (item === undefined) return; // already stored: never quarantined for what arrived with it
    quarantineEvent(db, { raw_text: item.text, source: item.source, reason, check, checks }, stamp);
    counts.quarantined += 1;
    result.quarantined.push({ event_id: claimsOfText(item.text).claimedId, reason, check: check.name, message: check.message });
  };
  for (const refused of verdict.refusedEvents) quarantine(refused.index, 'verification', refused.check, refused.checks);
  if (verdict.refusedGroup) {
    const { indexes, reason, check, checks } = verdict.refusedGroup;
    for (const index of indexes) quarantine(index, reason, check, checks);
  }
  const accepted = verdict.accepted;
  if (accepted === undefined) return result;

  const held = heldDeclaration(db, accepted.uuid);
  if (held !== undefined && held.signed_data_sha256 !== accepted.signedDataSha256) {
    const check: Check = {
      name: 'no_equivocation',
      ok: false,
      message: held.is_local
        ? `declaration ${accepted.uuid} exists locally with other signed data; the import never overwrites it (equivocation)`
        : `declaration ${accepted.uuid} was imported before with other signed data (equivocation)`,
    };
    for (const event of accepted.events) quarantine(event.index, 'equivocation', check, [check]);
    return result;
  }
  const relay = accepted.events.map((e) => group.items[e.index]?.relay).find((r) => r != null) ?? null;
  const stored = storeImportedDeclaration(db, { accepted, texts: group.texts, storedIndexes: group.stored, relay, now: stamp });
  counts.verified += 1;
  counts.duplicates += stored.duplicateEvents;
  counts.superseded += stored.supersededEvents;
  result.status = stored.outcome;
  result.signer = accepted.signedData.signing_keypair_canonical_name;
  result.in_force = accepted.inForce;
  result.countersigners = accepted.countersigners;
  return result;
}
