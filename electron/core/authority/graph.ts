// Indexes a set of declarations for the evaluator: by declaration, by the subject a grant names, by update chain, and by
// what each revocation targets. Every list is sorted by (signing time, uuid, id), so no answer depends on input order.
//
// A declaration is identified by (uuid, signer fingerprint), not by its uuid alone: anyone can sign a statement under a
// uuid someone else already used, and such a copy must neither block nor stand in for the original. A reference by
// uuid (`target_declaration_uuid`) therefore resolves to candidates: the referrer's own declaration under that uuid if
// it has one (withdrawing or editing what one said oneself), otherwise every structurally compatible declaration under
// that uuid. A reference with several candidates becomes one node per candidate, each judged on its own — so a
// revocation takes effect only on the targets its signer was entitled to revoke.

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
  /**
   * Unique within the graph: `uuid/issuer` for a declaration, and `uuid/issuer>targetId` for one of several readings of
   * an update or revocation whose target uuid names several declarations.
   */
  id: string;
  /** `uuid/issuer`: the declaration this node reads, shared by all its readings. */
  declarationId: string;
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
  /** The update chain this node belongs to: the id of the chain's original declaration (its own id unless an update). */
  root: string;
  /** For an update or revocation whose target resolved: the version it names. */
  target: GraphNode | undefined;
  /** Distinct countersigner fingerprints other than the issuer, sorted. */
  countersigners: string[];
  parsed: ParsedContent | undefined;
  /** Why this node can neither be used nor authorized, when it cannot. */
  problem: { rule: AuthorityRule; message: string } | undefined;
  /** For a delegation, or an update carrying delegation content: what it grants. */
  grant: Grant | undefined;
}

export interface AuthorityGraph {
  /** Every node by id. */
  nodes: ReadonlyMap<string, GraphNode>;
  /** The node(s) of each declaration (`uuid/issuer`): one, or one per reading of an ambiguous target; sorted by id. */
  readingsOf: ReadonlyMap<string, readonly GraphNode[]>;
  /** Nodes under each uuid (every issuer, every reading): the candidates a reference by uuid resolves among. */
  byUuid: ReadonlyMap<string, readonly GraphNode[]>;
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
  const bases: GraphNode[] = [];
  for (const [declarationId, copies] of groupByDeclaration(declarations)) bases.push(nodeFromCopies(declarationId, copies));
  bases.sort(byTimeThenUuid);

  const nodes = new Map<string, GraphNode>();
  const byUuid = new Map<string, GraphNode[]>();
  const add = (node: GraphNode) => {
    nodes.set(node.id, node);
    push(byUuid, node.uuid, node);
  };
  // Originals first, then updates in content_version order (an update names a lower version), so that every target
  // is indexed — with the chain it belongs to — before anything that names it.
  for (const node of bases) if (node.parsed?.type !== 'declaration-update') add(node);
  const updates = bases.filter((node) => node.parsed?.type === 'declaration-update');
  updates.sort((a, b) => a.signedData.content_version - b.signedData.content_version || byTimeThenUuid(a, b));
  for (const node of updates) for (const reading of resolveReferences(node, byUuid)) add(reading);
  // Revocations were added as unresolved nodes with the originals; resolve them now that every version is indexed.
  for (const node of bases) {
    if (node.parsed?.type !== 'declaration-revoke' && node.parsed?.type !== 'privilege-revoke') continue;
    const readings = resolveReferences(node, byUuid);
    if (readings.length === 1 && readings[0] === node) continue;
    nodes.delete(node.id);
    byUuid.set(node.uuid, byUuid.get(node.uuid)!.filter((n) => n !== node));
    for (const reading of readings) add(reading);
  }

  const sorted = [...nodes.values()].sort(byTimeThenUuid);
  const readingsOf = new Map<string, GraphNode[]>();
  const versionsOf = new Map<string, GraphNode[]>();
  const revocationsOf = new Map<string, GraphNode[]>();
  const privilegeRevocationsOf = new Map<string, GraphNode[]>();
  const grantsTo = new Map<string, GraphNode[]>();
  for (const node of sorted) {
    push(readingsOf, node.declarationId, node);
    if (node.problem !== undefined) {
      // Kept so that a signer whose only delegation is unusable learns why (delegation_invalid), not just "none".
      if (isDelegationType(node.type)) push(grantsTo, node.subject, node);
      continue;
    }
    if (node.parsed?.type === 'declaration-revoke') push(revocationsOf, node.target!.root, node);
    else if (node.parsed?.type === 'privilege-revoke') push(privilegeRevocationsOf, node.target!.root, node);
    else push(versionsOf, node.root, node);
    if (node.grant !== undefined) push(grantsTo, node.subject, node);
  }
  for (const list of versionsOf.values()) list.sort(byVersionOrder);
  for (const list of readingsOf.values()) list.sort((a, b) => compare(a.id, b.id));
  return { nodes, readingsOf, byUuid, grantsTo, versionsOf, revocationsOf, privilegeRevocationsOf };
}

/** Orders versions of one chain: signing time, then content_version, then uuid. */
export function byVersionOrder(a: GraphNode, b: GraphNode): number {
  return a.signedAt - b.signedAt || a.signedData.content_version - b.signedData.content_version || compare(a.uuid, b.uuid) || compare(a.id, b.id);
}

export function byTimeThenUuid(a: GraphNode, b: GraphNode): number {
  return a.signedAt - b.signedAt || compare(a.uuid, b.uuid) || compare(a.id, b.id);
}

/** `uuid/issuer`: what identifies a declaration. */
export function declarationIdOf(signedData: SignedData): string {
  return `${signedData.declaration_uuid}/${signedData.signing_keypair_fingerprint}`;
}

/** The reading(s) of a declaration evaluated against a graph it is not part of; its targets resolve in that graph. */
export function nodesOutsideGraph(declaration: AuthorityDeclaration, graph: AuthorityGraph): GraphNode[] {
  const node = nodeFromCopies(declarationIdOf(declaration.signedData), [declaration]);
  return resolveReferences(node, graph.byUuid);
}

function groupByDeclaration(declarations: readonly AuthorityDeclaration[]): Map<string, AuthorityDeclaration[]> {
  const groups = new Map<string, AuthorityDeclaration[]>();
  for (const declaration of declarations) push(groups, declarationIdOf(declaration.signedData), declaration);
  return groups;
}

/**
 * Copies of one declaration (uuid and signer): identical signed data merges (valid if any copy's signature verified,
 * countersigners united). Copies whose signature failed are dropped when a valid one exists. Two different valid
 * declarations by one signer under one uuid cannot both be what a reference to it means, so neither is used — a
 * signer can only ever block its own statements this way.
 */
function nodeFromCopies(declarationId: string, copies: readonly AuthorityDeclaration[]): GraphNode {
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
  const node = makeNode(declarationId, chosen);
  if (valid.length > 1) {
    node.problem = {
      rule: 'conflicting_declarations',
      message: `${valid.length} different validly signed declarations by one key share uuid ${node.uuid}`,
    };
    node.grant = undefined;
  }
  return node;
}

function makeNode(declarationId: string, declaration: AuthorityDeclaration): GraphNode {
  const sd = declaration.signedData;
  const issuer = sd.signing_keypair_fingerprint;
  const node: GraphNode = {
    id: declarationId,
    declarationId,
    uuid: sd.declaration_uuid,
    declaration,
    signedData: sd,
    type: sd.declaration_type,
    issuer,
    subject: sd.target_keypair_fingerprint,
    signedAt: parseTimestamp(sd.signing_timestamp) ?? Number.NaN,
    validFrom: parseTimestamp(sd.valid_from) ?? Number.NaN,
    validUntil: sd.valid_until === null ? null : parseTimestamp(sd.valid_until) ?? Number.NaN,
    // An update joins its target's chain once that resolves (resolveReferences).
    root: declarationId,
    target: undefined,
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

/**
 * The readings of a node that names a target by uuid: the node itself when it names nothing or has a problem already;
 * otherwise one node per candidate target (see the header), or the node with the problem that ruled the candidates out.
 */
function resolveReferences(node: GraphNode, byUuid: ReadonlyMap<string, readonly GraphNode[]>): GraphNode[] {
  if (node.problem !== undefined || node.parsed === undefined || !('target_declaration_uuid' in node.parsed.content)) return [node];
  const targetUuid = node.parsed.content.target_declaration_uuid;
  const all = byUuid.get(targetUuid) ?? [];
  const own = all.filter((candidate) => candidate.issuer === node.issuer);
  const candidates = own.length > 0 ? own : all;
  if (candidates.length === 0) {
    const what = node.parsed.type === 'declaration-update' ? 'the update' : 'the revocation';
    return fail(node, { rule: 'unknown_target', message: `${what} names ${targetUuid}, which is not in the set` });
  }
  const compatible: GraphNode[] = [];
  let problem: GraphNode['problem'];
  for (const candidate of candidates) {
    const found = node.parsed.type === 'declaration-update' ? updateTargetProblem(node, candidate) : revocationTargetProblem(node, candidate);
    if (found === undefined) compatible.push(candidate);
    else problem ??= found;
  }
  if (compatible.length === 0) return fail(node, problem!);
  if (compatible.length === 1) return [withTarget(node, compatible[0]!, node.id)];
  return compatible.map((target) => withTarget(node, target, `${node.id}>${target.id}`));
}

function withTarget(node: GraphNode, target: GraphNode, id: string): GraphNode {
  return { ...node, id, target, root: node.parsed?.type === 'declaration-update' ? target.root : node.root };
}

function fail(node: GraphNode, problem: NonNullable<GraphNode['problem']>): GraphNode[] {
  node.problem = problem;
  node.grant = undefined;
  return [node];
}

function updateTargetProblem(update: GraphNode, target: GraphNode): GraphNode['problem'] {
  if (update.parsed?.type !== 'declaration-update') return undefined;
  const targetUuid = target.uuid;
  if (target.problem !== undefined) return { rule: 'invalid_target', message: `the update names ${targetUuid}, which is unusable: ${target.problem.message}` };
  const original = target.root.slice(0, target.root.indexOf('/'));
  if (original !== update.signedData.original_declaration_uuid) {
    return { rule: 'invalid_target', message: `original_declaration_uuid is ${update.signedData.original_declaration_uuid}, but ${targetUuid} belongs to chain ${original}` };
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

function revocationTargetProblem(revocation: GraphNode, target: GraphNode): GraphNode['problem'] {
  if (revocation.parsed?.type !== 'declaration-revoke' && revocation.parsed?.type !== 'privilege-revoke') return undefined;
  const targetUuid = target.uuid;
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
