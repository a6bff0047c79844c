// Authority as part of verification: which declarations of a verification run feed the graph, the `authority` check
// each report gains, and the one line a person reads — `anchor npub1… → uuid (operating-admin) → … → signer npub1…`
// or the rule that failed. Pure: the caller supplies the anchors and the declarations the store already holds.

import type { Check } from '../declaration/checks';
import { parseTimestamp } from '../declaration/timestamp';
import type { SignedData } from '../declaration/types';
import type { VerificationReport } from '../declaration/verify';
import { groupFingerprint } from '../keys/identity';
import { buildAuthorityGraph } from './graph';
import { AuthorityEvaluator } from './evaluate';
import type { Anchor, AuthorityDeclaration, AuthorityResult, ChainLink } from './types';

/** Where the anchors of a check came from: the store's pinned anchors, or a list given for this check only. */
export type AnchorSource = 'store' | 'given';

/**
 * What a verification report says about authority (`report.authority`).
 *  - not evaluated: no anchor was pinned or given (`no_anchors`), or the declaration itself did not verify
 *    (`not_verified`). `valid` then rests on the cryptographic checks alone; nothing is added to `checks`.
 *  - evaluated: a check named `authority` was added with the same `ok` and `message`, and `valid` includes it.
 */
export type ReportAuthority =
  | { evaluated: false; reason: 'no_anchors' | 'not_verified'; message: string }
  | {
      evaluated: true;
      ok: boolean;
      anchors: AnchorSource;
      anchor_count: number;
      /** One line: the chain from the anchor to the signer, or the rule that failed and why. */
      message: string;
      result: AuthorityResult;
    };

export type ReportWithAuthority = VerificationReport & { authority: ReportAuthority };

/** The evaluator's view of a verified report; undefined when the declaration's own checks failed. */
export function authorityDeclarationOf(report: VerificationReport): AuthorityDeclaration | undefined {
  if (report.signed_data === null) return undefined;
  return { signedData: report.signed_data, cryptoValid: true, countersignerFingerprints: report.countersigners.map((c) => c.fingerprint) };
}

export interface ReportAuthorityOptions {
  anchors: readonly Anchor[];
  anchorSource: AnchorSource;
  /** Declarations known besides the input (the store's, already verified); duplicates of input declarations merge. */
  known: readonly AuthorityDeclaration[];
  /** Names to show for keys, e.g. anchors pinned with their canonical name; declarations supply the rest. */
  names?: ReadonlyMap<string, string>;
  /** The instant of the check (Unix seconds): a declaration revoked at or before it is not valid. */
  at: number;
}

/**
 * Adds authority to each report: with anchors, every report whose declaration verified is judged against a graph of
 * all verified input declarations plus `known`, gets an `authority` check, and is valid only if authorized. An
 * authorized revocation in that graph signed at or before `at` also fails the report's `not_revoked` check — so an
 * offline check of a set that holds a revocation does not call the revoked declaration valid.
 */
export function withAuthority(reports: readonly VerificationReport[], options: ReportAuthorityOptions): ReportWithAuthority[] {
  if (options.anchors.length === 0) {
    const authority: ReportAuthority = {
      evaluated: false,
      reason: 'no_anchors',
      message: 'authority not evaluated: no trust anchor is pinned or given (pin one with "declsign anchors add", or pass --anchors FILE)',
    };
    return reports.map((report) => ({ ...report, authority }));
  }
  const inputs = reports.map(authorityDeclarationOf);
  const verified = inputs.filter((d): d is AuthorityDeclaration => d !== undefined);
  const all = [...verified, ...options.known];
  const evaluator = new AuthorityEvaluator(buildAuthorityGraph(all), { anchors: options.anchors });
  const nameOf = keyNamer(all.map((d) => d.signedData), options.names);
  const labels = new Map(options.anchors.filter((a) => a.label !== undefined).map((a) => [a.fingerprint, a.label!]));
  const revoked = new Map(
    evaluator
      .revocationStatuses()
      .filter((s) => s.is_revoked && s.revoked_at !== null && (parseTimestamp(s.revoked_at) ?? 0) <= options.at)
      .map((s) => [`${s.declaration_uuid}/${s.issuer_fingerprint}`, s]),
  );
  return reports.map((report, index) => {
    const declaration = inputs[index];
    if (declaration === undefined) {
      return { ...report, authority: { evaluated: false, reason: 'not_verified', message: 'authority not evaluated: the declaration itself did not verify' } };
    }
    const result = evaluator.evaluate(declaration);
    const message = describeAuthority(result, nameOf, labels);
    const checks: Check[] = [...report.checks, { name: 'authority', ok: result.ok, message }];
    const revocation = revoked.get(`${declaration.signedData.declaration_uuid}/${declaration.signedData.signing_keypair_fingerprint}`);
    if (revocation !== undefined && !report.checks.some((c) => c.name === 'not_revoked' && !c.ok)) {
      checks.push({ name: 'not_revoked', ok: false, message: `revoked at ${revocation.revoked_at} by ${revocation.revoked_by_declaration_uuid}` });
    }
    return {
      ...report,
      valid: report.valid && result.ok && revocation === undefined,
      checks,
      authority: { evaluated: true, ok: result.ok, anchors: options.anchorSource, anchor_count: options.anchors.length, message, result },
    };
  });
}

/** Canonical names by fingerprint, from the signed data of declarations (signers and subjects) and `extra`. */
export function keyNamer(signedData: readonly SignedData[], extra?: ReadonlyMap<string, string>): (fingerprint: string) => string {
  const names = new Map<string, string>(extra);
  for (const sd of signedData) {
    if (!names.has(sd.signing_keypair_fingerprint)) names.set(sd.signing_keypair_fingerprint, sd.signing_keypair_canonical_name);
    if (!names.has(sd.target_keypair_fingerprint)) names.set(sd.target_keypair_fingerprint, sd.target_keypair_canonical_name);
  }
  return (fingerprint) => names.get(fingerprint) ?? `key ${groupFingerprint(fingerprint).slice(0, 19)}…`;
}

/** The chain as the steps a person follows, anchor first: `anchor …`, each delegation, then `signer …`. */
export function chainSteps(result: Extract<AuthorityResult, { ok: true }>, nameOf: (fingerprint: string) => string, labels?: ReadonlyMap<string, string>): string[] {
  const named = (fingerprint: string) => {
    const label = labels?.get(fingerprint);
    return label === undefined ? nameOf(fingerprint) : `"${label}" ${nameOf(fingerprint)}`;
  };
  if (result.basis === 'issuer_of_target') return ['issuer of the target: withdrawing its own declaration needs no further authority'];
  if (result.basis === 'anchor') return [`anchor ${named(result.anchor_fingerprint!)} (the signer itself)`];
  return [`anchor ${named(result.anchor_fingerprint!)}`, ...result.chain.map(linkStep), `signer ${named(result.chain.at(-1)!.subject_fingerprint)}`];
}

/** One line: the chain joined by arrows, or `rule: why` with the chain that was tried. */
export function describeAuthority(result: AuthorityResult, nameOf: (fingerprint: string) => string, labels?: ReadonlyMap<string, string>): string {
  if (result.ok) return chainSteps(result, nameOf, labels).join(' → ');
  const tried = result.path_tried?.length ? ` (chain tried: ${pathText(result.path_tried, nameOf)})` : '';
  return `${result.rule}: ${result.message}${tried}`;
}

function linkStep(link: ChainLink): string {
  return `${link.declaration_uuid} (${link.trust_level ?? link.declaration_type})`;
}

function pathText(path: readonly ChainLink[], nameOf: (fingerprint: string) => string): string {
  return [nameOf(path[0]!.issuer_fingerprint), ...path.map(linkStep), nameOf(path.at(-1)!.subject_fingerprint)].join(' → ');
}
