// Human output for trust anchors, authority chains, and the authority line of `declsign verify`.
// `--json` prints the operations' values instead; nothing here decides anything about trust.

import type { KeyChangeWarning, ReportWithAuthority } from '../core/authority';
import type { AnchorView, ChainView } from '../ops/handlers/authority';
import type { VerifyTextResult } from '../ops/handlers/verify';
import { renderTable } from './render';
import { renderVerification } from './views';

export function renderAnchor(anchor: AnchorView & { created?: boolean }, verb = 'Anchor'): string {
  const rows: [string, string | null][] = [
    [verb, anchor.label ?? '(no label)'],
    ['Fingerprint', anchor.fingerprint_grouped],
    ['Name', anchor.canonical_name],
    ['Type', anchor.algorithm],
    ['Pinned at', anchor.pinned_at],
    ['Local key', anchor.local_key ? `${anchor.local_key.label}  (${anchor.local_key.id})` : null],
    ['Note', anchor.note],
  ];
  const present = rows.filter((r): r is [string, string] => r[1] !== null);
  const width = Math.max(...present.map(([label]) => label.length));
  return present.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}

/** The table of anchors, then one line per key-change warning (a declaration using an anchor's label with another key). */
export function renderAnchorList(anchors: readonly AnchorView[], warnings: readonly KeyChangeWarning[] = []): string {
  if (anchors.length === 0) return 'No trust anchors are pinned: authority is not evaluated. Pin one with "declsign anchors add".';
  const table = renderTable(
    anchors.map((a) => ({ label: a.label, name: a.canonical_name, fingerprint: a.fingerprint_grouped, local: a.local_key?.label ?? null, pinned_at: a.pinned_at })),
    ['label', 'name', 'fingerprint', 'local', 'pinned_at'],
  );
  return [table, ...warnings.map((w) => `warning: ${w.message}`)].join('\n');
}

/** `AUTHORIZED uuid` and the chain one step per line, or `NOT AUTHORIZED uuid` and the rule that failed. */
export function renderChain(view: ChainView): string {
  const warnings = view.result.warnings.map((w) => `  warning: ${w.message}`);
  if (view.revoked) warnings.push(`  revoked at ${view.revoked.at} by ${view.revoked.by}`);
  if (view.superseded_by) warnings.push(`  superseded by update ${view.superseded_by}`);
  if (view.result.ok) {
    const [first, ...rest] = view.steps;
    return [`AUTHORIZED  ${view.declaration_uuid}`, `  ${first}`, ...rest.map((step) => `  → ${step}`), ...warnings].join('\n');
  }
  const head = view.result.evaluated ? 'NOT AUTHORIZED' : 'NOT EVALUATED';
  return [`${head}  ${view.declaration_uuid}`, `  ${view.message}`, ...warnings].join('\n');
}

/** The verification summary of each report, followed by its authority line when the checks did not already show it. */
export function renderVerificationWithAuthority(result: VerifyTextResult, verbose: boolean): string {
  if (result.reports.length === 0) return renderVerification(result, verbose);
  return result.reports
    .map((report) => {
      const text = renderVerification({ valid: report.valid, reports: [report] }, verbose);
      const line = authorityLine(report, verbose);
      return line === undefined ? text : `${text}\n${line}`;
    })
    .join('\n');
}

function authorityLine(report: ReportWithAuthority, verbose: boolean): string | undefined {
  const authority = report.authority;
  if (!authority.evaluated) return authority.reason === 'no_anchors' ? `  [info] ${authority.message}` : undefined;
  // A failing authority check, or any check in verbose mode, is already listed with the others.
  return authority.ok && !verbose ? `  [ ok ] authority: ${authority.message}` : undefined;
}
