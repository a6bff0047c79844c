// Human summaries of the operations' values: what a person needs to see and check, in a few aligned lines.
// `--json` prints the values themselves; nothing here changes them or decides anything about trust.

import type { VerifyTextResult } from '../ops/handlers/verify';
import type { declarationView } from '../ops/handlers/declarations';
import type { KeyView } from '../ops/handlers/keys';
import type { AuditEntry } from '../store/audit';
import { renderTable } from './render';

export type DeclarationView = ReturnType<typeof declarationView>;

/** Content shown inline up to this many characters; longer content is left to `decl show --format 1`. */
const INLINE_CONTENT_CHARS = 240;

/** Label/value lines with the values aligned; rows without a value are left out. */
function fields(rows: ReadonlyArray<readonly [string, string | null | undefined]>): string {
  const present = rows.filter((r): r is readonly [string, string] => r[1] !== null && r[1] !== undefined && r[1] !== '');
  const width = Math.max(...present.map(([label]) => label.length));
  return present.map(([label, value]) => `${label.padEnd(width)}  ${value.split('\n').join(`\n${' '.repeat(width + 2)}`)}`).join('\n');
}

function isoFromUnix(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

export function renderKey(key: KeyView): string {
  return fields([
    ['Key', `${key.label}  (${key.id})`],
    ['Type', key.experimental ? `${key.type} (experimental)` : key.type],
    ['Role', key.role],
    ['Fingerprint', key.fingerprint_grouped],
    ['Name', key.canonical_name],
    ['Private key', key.has_private_key ? 'held (encrypted in the store)' : 'none: watch key'],
    ['Source', key.source_format],
  ]);
}

export function renderKeyList(keys: readonly KeyView[]): string {
  return renderTable(
    keys.map((k) => ({ id: k.id, label: k.label, type: k.type, role: k.role, private: k.has_private_key, fingerprint: k.fingerprint_grouped })),
    ['id', 'label', 'type', 'role', 'private', 'fingerprint'],
  );
}

function contentLine(view: DeclarationView): string {
  const inner = JSON.stringify(view.content.content);
  return inner.length <= INLINE_CONTENT_CHARS ? inner : `${inner.length} characters (declsign decl show ${view.declaration_uuid} --format 1)`;
}

function countersignerLines(view: DeclarationView): string | null {
  const detached = view.countersignatures.map((c) => `${c.canonical_name}  ${c.algorithm}, detached, ${c.signed_at}`);
  const nostr = view.events
    .filter((e) => e.role === 'countersignature')
    .map((e) => `${authorOf(e)}  nostr, event ${e.event_id}, ${isoFromUnix(e.created_at)}`);
  const all = [...nostr, ...detached];
  return all.length ? all.join('\n') : null;
}

function eventLines(view: DeclarationView): string | null {
  if (view.events.length === 0) return null;
  const width = Math.max(...view.events.map((e) => e.role.length));
  return view.events
    .map((e) => `${e.role.padEnd(width)}  ${e.event_id}  ${isoFromUnix(e.created_at)}  by ${authorOf(e)}${e.superseded ? '  (superseded)' : ''}`)
    .join('\n');
}

/** An event's author as the rest of the output names keys: the local label when this store knows the key, then the npub. */
function authorOf(event: DeclarationView['events'][number]): string {
  return event.author_label ? `${event.author_label}  ${event.author_canonical_name}` : event.author_canonical_name;
}

export function renderDeclaration(view: DeclarationView): string {
  const issuer = view.issuer_label ? `${view.issuer_label}  ${view.issuer_canonical_name ?? ''}`.trimEnd() : view.issuer_canonical_name;
  const signer = view.signing_keypair_canonical_name
    ? `${view.signing_keypair_canonical_name}  at ${view.signing_timestamp ?? '?'}`
    : null;
  // The current wrapper: the Nostr key under which relays see this declaration (an older one is superseded).
  const wrapper = view.events.find((e) => e.role === 'wrapper' && !e.superseded);
  const flags = [view.is_revoked ? `revoked ${view.revoked_at ?? ''}`.trimEnd() : null, view.is_update ? 'update' : null].filter(Boolean);
  return fields([
    ['Declaration', view.declaration_uuid],
    ['Type', view.declaration_type],
    ['Status', flags.length ? `${view.status} (${flags.join(', ')})` : view.status],
    ['Issuer', issuer],
    ['Signer', signer],
    ['Wrapped by', wrapper ? authorOf(wrapper) : null],
    ['Subject', view.target_canonical_name],
    ['Valid', `${view.valid_from ?? '?'} → ${view.valid_until ?? 'permanent'}`],
    ['Content', contentLine(view)],
    ['Content hash', view.content_hash_sha256],
    ['Signed data', view.signed_data_sha256 ? `sha256 ${view.signed_data_sha256}` : null],
    ['Nostr event', view.nostr_event_id],
    ['Countersigners', countersignerLines(view)],
    ['Events', eventLines(view)],
  ]);
}

/** One line per declaration; then its failing checks, or every check when `verbose`. */
export function renderVerification(result: VerifyTextResult, verbose: boolean): string {
  const lines: string[] = [];
  for (const report of result.reports) {
    const who = report.signer ? `  signed by ${report.signer.canonical_name}` : '';
    const counter = report.countersigners.length ? `  +${report.countersigners.length} countersigner(s)` : '';
    lines.push(`${report.valid ? 'VALID  ' : 'INVALID'}  ${report.declaration_uuid ?? '(no declaration)'}  ${report.declaration_type ?? ''}${who}${counter}`);
    for (const check of report.checks) {
      if (verbose || !check.ok) lines.push(`  [${check.ok ? ' ok ' : 'FAIL'}] ${check.name}: ${check.message}`);
    }
  }
  if (result.reports.length === 0) lines.push('INVALID  nothing to verify: no declaration event in the input');
  return lines.join('\n');
}

export function renderAudit(entries: readonly AuditEntry[]): string {
  return renderTable(
    entries.map((e) => ({ id: e.id, at: e.at, action: e.action, subject: e.subject_id ? `${e.subject_type ?? ''} ${e.subject_id}`.trim() : null, actor: e.actor })),
    ['id', 'at', 'action', 'subject', 'actor'],
  );
}
