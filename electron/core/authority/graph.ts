// Indexes a set of declarations for the evaluator: by uuid, by the subject a grant names, by update chain, and by
// what each revocation targets. Every list is sorted by (signing time, uuid), so no answer depends on input order.

import { canonicalJson } from '../canonical';
import { parseTimestamp } from '../declaration/timestamp';
import type { DeclarationType, SignedData } from '../declaration/types';
import { isDelegationType, parseAuthorityContent, type ParsedContent } from './content';
import type { AuthorityDeclaration, AuthorityRule } from './types';
import type { Permission, Scope, TrustLevel } from './vocabulary';

/** What a delegation version hands its subject. */
export interface Grant {
  level: TrustLevel;
  permissions: readonly Permission[];
  scope: Scope;
}

export interface GraphNode {
  uuid: string;
  declaration: AuthorityDeclaration;
  signedData: SignedData;
  type: DeclarationType;
  issuer: string;
  subject: string;
  /** Unix seconds. */
  signedAt: number;
  validFrom: number;
  validUntil: number | null;
  /** The update chain this node belongs to: its own uuid, or for an update the chain's original declaration. */
  root: string;
  /** Distinct countersigner fingerprints other than the issuer, sorted. */
  countersigners: string[];
  parsed: ParsedContent | undefined;
  /** Why this node can neither be used nor authorized, when it cannot. */
  problem: { rule: AuthorityRule; message: string } | undefined;
  /** For a delegation, or an update carrying delegation content: what it grants. */
  grant: Grant | undefined;
}

export interface AuthorityGraph {
  nodes: ReadonlyMap<string, GraphNode>;
  /** Delegations (and updates carrying one) by subject fingerprint; unusable ones carry a `problem`. */
  grantsTo: ReadonlyMap<string, readonly GraphNode[]>;
  /** Per chain root: the original (when present) and its structurally valid updates. */
  versionsOf: ReadonlyMap<string, readonly GraphNode[]>;
  /** Per chain root: declaration-revokes whose target is a version of that chain. */
  revocationsOf: ReadonlyMap<string, readonly GraphNode[]>;
  /** Per chain root: privilege-revokes whose target is a version of that chain. */
  privilegeRevocationsOf: ReadonlyMap<string, readonly GraphNode[]>;
}

export function buildAuthorityGraph(declarations: readonly AuthorityDeclaration[]): AuthorityGraph {
  const nodes = new Map<string, GraphNode>();
  for (const [uuid, copies] of groupByUuid(declarations)) nodes.set(uuid, nodeFromCopies(uuid, copies));

  const sorted = [...nodes.values()].sort(byTimeThenUuid);
  const versionsOf = new Map<string, GraphNode[]>();
  const revocationsOf = new Map<string, GraphNode[]>();
  const privilegeRevocationsOf = new Map<string, GraphNode[]>();
  const grantsTo = new Map<string, GraphNode[]>();

  // Originals first, so that update targets resolve against a complete index.
  for (const node of sorted) if (node.problem === undefined && node.type !== 'declaration-update') push(versionsOf, node.root, node);
  for (const node of sorted) {
    if (node.problem !== undefined || node.parsed?.type !== 'declaration-update') continue;
    const problem = updateTargetProblem(node, nodes);
    if (problem === undefined) push(versionsOf, node.root, node);
    else {
      node.problem = problem;
      node.grant = undefined;
    }
  }
  for (const node of sorted) {
    if (node.problem !== undefined) {
      // Kept so that a signer whose only delegation is unusable learns why (delegation_invalid), not just "none".
      if (isDelegationType(node.type)) push(grantsTo, node.subject, node);
      continue;
    }
    if (node.parsed?.type === 'declaration-revoke' || node.parsed?.type === 'privilege-revoke') {
      const problem = revocationTargetProblem(node, nodes);
      if (problem !== undefined) {
        node.problem = problem;
        continue;
      }
      const target = nodes.get(node.parsed.content.target_declaration_uuid)!;
      push(node.parsed.type === 'declaration-revoke' ? revocationsOf : privilegeRevocationsOf, target.root, node);
    }
    if (node.grant !== undefined) push(grantsTo, node.subject, node);
  }
  for (const list of versionsOf.values()) list.sort(byVersionOrder);
  return { nodes, grantsTo, versionsOf, revocationsOf, privilegeRevocationsOf };
}

/** Orders versions of one chain: signing time, then content_version, then uuid. */
export function byVersionOrder(a: GraphNode, b: GraphNode): number {
  return a.signedAt - b.signedAt || a.signedData.content_version - b.signedData.content_version || compare(a.uuid, b.uuid);
}

export function byTimeThenUuid(a: GraphNode, b: GraphNode): number {
  return a.signedAt - b.signedAt || compare(a.uuid, b.uuid);
}

/** Builds the node for a declaration evaluated against a graph it is not part of; its targets resolve in that graph. */
export function nodeOutsideGraph(declaration: AuthorityDeclaration, graph: AuthorityGraph): GraphNode {
  const node = nodeFromCopies(declaration.signedData.declaration_uuid, [declaration]);
  node.problem ??= updateTargetProblem(node, graph.nodes) ?? revocationTargetProblem(node, graph.nodes);
  if (node.problem !== undefined) node.grant = undefined;
  return node;
}

function groupByUuid(declarations: readonly AuthorityDeclaration[]): Map<string, AuthorityDeclaration[]> {
  const groups = new Map<string, AuthorityDeclaration[]>();
  for (const declaration of declarations) push(groups, declaration.signedData.declaration_uuid, declaration);
  return groups;
}

/**
 * Copies of one uuid: identical signed data merges (valid if any copy's signature verified, countersigners united).
 * Copies whose signature failed are dropped when a valid one exists. Two different valid declarations under one uuid
 * cannot both be what a reference to that uuid means, so neither is used.
 */
function nodeFromCopies(uuid: string, copies: readonly AuthorityDeclaration[]): GraphNode {
  const distinct = new Map<string, AuthorityDeclaration>();
  for (const copy of copies) {
    const key = copies.length === 1 ? '' : canonicalJson(copy.signedData, 'signed data');
    const held = distinct.get(key);
    distinct.set(
      key,
      held === undefined
        ? copy
        : {
            signedData: held.signedData,
            cryptoValid: held.cryptoValid || copy.cryptoValid,
            countersignerFingerprints: [...held.countersignerFingerprints, ...copy.countersignerFingerprints],
          },
    );
  }
  const candidates = [...distinct.values()];
  const valid = candidates.filter((c) => c.cryptoValid);
  const chosen = valid[0] ?? candidates[0]!;
  const node = makeNode(uuid, chosen);
  if (valid.length > 1) {
    node.problem = { rule: 'conflicting_declarations', message: `${valid.length} different validly signed declarations share uuid ${uuid}` };
    node.grant = undefined;
  }
  return node;
}

function makeNode(uuid: string, declaration: AuthorityDeclaration): GraphNode {
  const sd = declaration.signedData;
  const issuer = sd.signing_keypair_fingerprint;
  const node: GraphNode = {
    uuid,
    declaration,
    signedData: sd,
    type: sd.declaration_type,
    issuer,
    subject: sd.target_keypair_fingerprint,
    signedAt: parseTimestamp(sd.signing_timestamp) ?? Number.NaN,
    validFrom: parseTimestamp(sd.valid_from) ?? Number.NaN,
    validUntil: sd.valid_until === null ? null : parseTimestamp(sd.valid_until) ?? Number.NaN,
    root: sd.declaration_type === 'declaration-update' && sd.original_declaration_uuid !== null ? sd.original_declaration_uuid : uuid,
    countersigners: [...new Set(declaration.countersignerFingerprints)].filter((fp) => fp !== issuer).sort(),
    parsed: undefined,
    problem: undefined,
    grant: undefined,
  };
  node.problem = intrinsicProblem(node);
  if (node.problem === undefined) {
    const content = parseAuthorityContent(sd.declaration_type, sd.content.content);
    if (content.ok) node.parsed = content.parsed;
    else node.problem = { rule: content.rule, message: content.message };
  }
  if (node.problem === undefined && node.parsed !== undefined) node.grant = grantOf(node.parsed);
  return node;
}

function intrinsicProblem(node: GraphNode): GraphNode['problem'] {
  const sd = node.signedData;
  if (!node.declaration.cryptoValid) return { rule: 'invalid_signature', message: `the signature on ${node.uuid} did not verify` };
  if (sd.content.declaration_type !== sd.declaration_type) {
    return { rule: 'invalid_content', message: `signed data says ${sd.declaration_type} but its content says ${sd.content.declaration_type}` };
  }
  if (Number.isNaN(node.signedAt) || Number.isNaN(node.validFrom) || (node.validUntil !== null && Number.isNaN(node.validUntil))) {
    return { rule: 'invalid_content', message: 'a timestamp is not YYYY-MM-DDTHH:MM:SSZ' };
  }
  if (sd.declaration_type === 'declaration-update' && sd.original_declaration_uuid === null) {
    return { rule: 'invalid_content', message: 'a declaration-update must name its original_declaration_uuid' };
  }
  return undefined;
}

function grantOf(parsed: ParsedContent): Grant | undefined {
  const effective = parsed.type === 'declaration-update' ? parsed.updated : parsed;
  if (!isDelegationType(effective.type)) return undefined;
  switch (effective.type) {
    case 'trust-declaration':
      return { level: effective.content.trust_level, permissions: effective.content.permissions, scope: effective.content.scope };
    case 'privilege-grant':
      return { level: 'authorized-admin', permissions: effective.content.permissions, scope: effective.content.scope };
    case 'metadata-delegation':
      return { level: 'authorized-admin', permissions: ['manage-metadata'], scope: effective.content.scope };
    default:
      return undefined;
  }
}

/** The type a version stands for: its own, or for an update the type of the content it carries. */
export function effectiveType(node: GraphNode): DeclarationType {
  return node.parsed?.type === 'declaration-update' ? node.parsed.updated.type : node.type;
}

function updateTargetProblem(update: GraphNode, nodes: ReadonlyMap<string, GraphNode>): GraphNode['problem'] {
  if (update.parsed?.type !== 'declaration-update') return undefined;
  const targetUuid = update.parsed.content.target_declaration_uuid;
  const target = nodes.get(targetUuid);
  if (target === undefined) return { rule: 'unknown_target', message: `the update names ${targetUuid}, which is not in the set` };
  if (target.problem !== undefined) return { rule: 'invalid_target', message: `the update names ${targetUuid}, which is unusable: ${target.problem.message}` };
  if (target.root !== update.root) {
    return { rule: 'invalid_target', message: `original_declaration_uuid is ${update.root}, but ${targetUuid} belongs to chain ${target.root}` };
  }
  if (effectiveType(target) !== update.parsed.updated.type) {
    return { rule: 'invalid_target', message: `an update of a ${effectiveType(target)} cannot carry ${update.parsed.updated.type} content` };
  }
  if (target.subject !== update.subject) return { rule: 'invalid_target', message: 'an update cannot change the subject of what it updates' };
  if (update.signedData.content_version <= target.signedData.content_version) {
    return { rule: 'invalid_target', message: `content_version ${update.signedData.content_version} does not follow ${target.signedData.content_version}` };
  }
  return undefined;
}

function revocationTargetProblem(revocation: GraphNode, nodes: ReadonlyMap<string, GraphNode>): GraphNode['problem'] {
  if (revocation.parsed?.type !== 'declaration-revoke' && revocation.parsed?.type !== 'privilege-revoke') return undefined;
  const targetUuid = revocation.parsed.content.target_declaration_uuid;
  const target = nodes.get(targetUuid);
  if (target === undefined) return { rule: 'unknown_target', message: `the revocation names ${targetUuid}, which is not in the set` };
  if (target.problem !== undefined && target.problem.rule === 'conflicting_declarations') {
    return { rule: 'invalid_target', message: `the revocation names ${targetUuid}, which is ambiguous: ${target.problem.message}` };
  }
  const type = effectiveType(target);
  if (type === 'declaration-revoke' || type === 'privilege-revoke') {
    return { rule: 'invalid_target', message: 'revocations are final: a revocation cannot itself be revoked' };
  }
  if (revocation.parsed.type === 'privilege-revoke' && (type === 'metadata-delegation' || !isDelegationType(type))) {
    return { rule: 'invalid_target', message: `a privilege-revoke removes permissions from a grant, and ${targetUuid} is a ${type}` };
  }
  if (target.subject !== revocation.subject) {
    return { rule: 'invalid_target', message: 'a revocation names the same subject (target key) as what it revokes' };
  }
  return undefined;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
