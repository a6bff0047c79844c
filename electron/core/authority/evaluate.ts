// "Was this signer allowed to say this?" — devdocs/authority.md is normative; this file implements it.
//
// The one primitive is `alive(link, t)`: does a delegation still hand authority to its subject at time t? It does when
// the link is in its own window, not revoked at t, still the current version of its update chain at t, and some
// capability its issuer held — signed no later than the link, and itself alive at t — permitted issuing it. Liveness
// is monotone (once dead, dead for good), so "alive at t" also means "alive at every moment since it was signed":
// a declaration is judged at its own signing time, and a revocation cascades to everything signed after it.

import { canonicalJson } from '../canonical';
import { DeclsignError } from '../errors';
import { timestampFromUnix } from '../declaration/timestamp';
import { indexAnchors } from './anchors';
import type { ParsedContent } from './content';
import { byTimeThenUuid, declarationIdOf, nodesOutsideGraph, type AuthorityGraph, type GraphNode } from './graph';
import {
  AUTHORITY_RULES,
  type Anchor,
  type AuthorityBasis,
  type AuthorityDeclaration,
  type AuthorityOptions,
  type AuthorityResult,
  type AuthorityRule,
  type ChainLink,
  type CountersignaturePolicy,
  type KeyChangeWarning,
  type RevocationStatus,
} from './types';
import {
  PERMISSIONS,
  describeScope,
  missingPermissions,
  rankOf,
  scopeWithin,
  type Permission,
  type Scope,
  type TrustLevel,
} from './vocabulary';

export const DEFAULT_MAX_DEPTH = 8;
export const MAX_ALLOWED_DEPTH = 64;
export const DEFAULT_COUNTERSIGNATURE_POLICY: Readonly<CountersignaturePolicy> = { 'grant-master-admin': 1, 'touch-master-admin': 1 };
/** Nested evaluations beyond this are refused rather than risking the stack; no honest graph comes near it. */
const MAX_NESTING = 1500;

/** Authority some key holds at some moment, and how it got it. */
interface Capability {
  /** The delegation that grants it; null for an anchor. */
  source: GraphNode | null;
  anchor: string;
  level: TrustLevel;
  permissions: ReadonlySet<Permission>;
  scope: Scope;
  validUntil: number | null;
  chain: ChainLink[];
}

interface Failure {
  rule: AuthorityRule;
  message: string;
  path?: ChainLink[];
}

type Alive = { ok: true; capability: Capability } | { ok: false; failure: Failure };
interface Holdings {
  capabilities: Capability[];
  failures: Failure[];
}
type Judgement = { ok: true; basis: AuthorityBasis; capability: Capability | null } | { ok: false; failure: Failure };

class NestingLimit extends Error {}

const ALL_PERMISSIONS: ReadonlySet<Permission> = new Set(PERMISSIONS);

/**
 * Answers authority questions over one graph and one set of anchors. Answers are memoised, so evaluate many
 * declarations with one evaluator. Pure: nothing here reads a clock, a store or the network.
 */
export class AuthorityEvaluator {
  private readonly anchors: Map<string, Anchor>;
  private readonly anchorsByLabel: Map<string, string[]>;
  private readonly maxDepth: number;
  private readonly policy: CountersignaturePolicy;
  private readonly cache = new Map<string, unknown>();
  private readonly inProgress = new Map<string, number>();
  /** Lowest stack position an in-progress lookup reached since the enclosing memo node started (see `memo`). */
  private lowestHit = Number.POSITIVE_INFINITY;

  constructor(
    readonly graph: AuthorityGraph,
    options: AuthorityOptions,
  ) {
    const indexed = indexAnchors(options.anchors);
    this.anchors = indexed.byFingerprint;
    this.anchorsByLabel = indexed.byLabel;
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    if (!Number.isSafeInteger(this.maxDepth) || this.maxDepth < 1 || this.maxDepth > MAX_ALLOWED_DEPTH) {
      throw new DeclsignError('invalid_input', `maxDepth must be a whole number from 1 to ${MAX_ALLOWED_DEPTH}`);
    }
    this.policy = { ...DEFAULT_COUNTERSIGNATURE_POLICY, ...options.countersignatures };
    for (const [action, count] of Object.entries(this.policy)) {
      if (!Number.isSafeInteger(count) || count < 0) throw new DeclsignError('invalid_input', `countersignature count for ${action} must be a whole number ≥ 0`);
    }
  }

  /** Judges a declaration (in the graph or not) by the authority its signer held when it was signed. */
  evaluate(target: AuthorityDeclaration): AuthorityResult {
    const readings = this.readingsFor(target);
    const node = readings[0]!;
    const warnings = this.keyChangeWarnings(node);
    let judgement: Judgement;
    try {
      judgement = this.judgeReadings(readings);
    } catch (error) {
      if (!(error instanceof NestingLimit)) throw error;
      judgement = { ok: false, failure: { rule: 'depth_exceeded', message: `evaluation nested deeper than ${MAX_NESTING} steps` } };
    }
    if (!judgement.ok) {
      const { rule, message, path } = judgement.failure;
      const result: AuthorityResult = { ok: false, evaluated: rule !== 'no_anchors', declaration_uuid: node.uuid, rule, message, warnings };
      if (path !== undefined && path.length > 0) result.path_tried = path;
      return result;
    }
    const capability = judgement.capability;
    return {
      ok: true,
      evaluated: true,
      declaration_uuid: node.uuid,
      basis: judgement.basis,
      anchor_fingerprint: capability?.anchor ?? null,
      chain: capability?.chain ?? [],
      acting_level: capability?.level ?? null,
      warnings,
    };
  }

  /**
   * is_revoked / revoked_at / revoked_by for every declaration in the graph, sorted by uuid then issuer. A declaration
   * read several ways (its target uuid names several declarations) reports the first reading that is authorized.
   */
  revocationStatuses(): RevocationStatus[] {
    const statuses: RevocationStatus[] = [];
    for (const [, readings] of [...this.graph.readingsOf].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      statuses.push(this.guarded(() => this.revocationStatus(this.guarded(() => readings.find((r) => this.judge(r).ok)) ?? readings[0]!)));
    }
    return statuses;
  }

  /** Key-change warnings for every declaration in the graph, sorted by signing time then uuid. */
  allKeyChangeWarnings(): KeyChangeWarning[] {
    return [...this.graph.readingsOf.values()]
      .map((readings) => readings[0]!)
      .sort(byTimeThenUuid)
      .flatMap((node) => this.keyChangeWarnings(node));
  }

  // ── the declaration itself ──────────────────────────────────────────────────────────────────────────────

  /** The graph's readings of this declaration when the graph holds it, else readings built against the graph. */
  private readingsFor(target: AuthorityDeclaration): readonly GraphNode[] {
    const held = this.graph.readingsOf.get(declarationIdOf(target.signedData));
    const first = held?.[0];
    if (first !== undefined && (first.declaration === target || (target.cryptoValid && sameSignedData(first, target)))) return held!;
    // Any validly signed copy of a declaration the set holds conflicting versions of shares the conflict.
    if (first?.problem?.rule === 'conflicting_declarations' && target.cryptoValid) return held!;
    return nodesOutsideGraph(target, this.graph);
  }

  /** A declaration read several ways is authorized when some reading is (the first, by id); else the most relevant failure. */
  private judgeReadings(readings: readonly GraphNode[]): Judgement {
    const failures: Failure[] = [];
    for (const node of readings) {
      const judgement = this.graph.nodes.get(node.id) === node ? this.judge(node) : this.judgeNode(node);
      if (judgement.ok) return judgement;
      failures.push(judgement.failure);
    }
    return { ok: false, failure: mostRelevant(failures)! };
  }

  private judge(node: GraphNode): Judgement {
    return this.memo(`j|${node.id}`, cycleJudgement(node), () => this.judgeNode(node));
  }

  private judgeNode(node: GraphNode): Judgement {
    if (node.problem !== undefined) return { ok: false, failure: { ...node.problem } };
    const parsed = node.parsed!;
    if ((parsed.type === 'declaration-revoke' || parsed.type === 'privilege-revoke') && node.target?.issuer === node.issuer) {
      // Withdrawing what one said oneself only ever reduces trust, so it needs no further authority.
      return { ok: true, basis: 'issuer_of_target', capability: null };
    }
    if (this.anchors.size === 0) {
      return { ok: false, failure: { rule: 'no_anchors', message: 'no trust anchor is pinned, so authority was not evaluated' } };
    }
    const holdings = this.holdingsAt(node.issuer, node.signedAt, this.maxDepth);
    let best: Capability | undefined;
    const failures = [...holdings.failures];
    for (const capability of holdings.capabilities) {
      const failure = this.permits(capability, node, parsed);
      if (failure === undefined) best = better(best, capability);
      else failures.push({ ...failure, path: capability.chain });
    }
    if (best !== undefined) return { ok: true, basis: best.source === null ? 'anchor' : 'delegation', capability: best };
    const failure = mostRelevant(failures);
    if (failure !== undefined) return { ok: false, failure };
    const rule = parsed.type === 'declaration-update' ? 'unauthorized_update' : parsed.type.endsWith('-revoke') ? 'unauthorized_revocation' : 'not_delegated';
    return { ok: false, failure: { rule, message: `signer ${short(node.issuer)} is not an anchor, holds no delegation${rule === 'not_delegated' ? '' : ' and did not issue the target'}` } };
  }

  /** Whether `capability` allows its holder to issue `node` (content `parsed`); undefined when it does. */
  private permits(capability: Capability, node: GraphNode, parsed: ParsedContent): Failure | undefined {
    switch (parsed.type) {
      case 'declaration-revoke':
      case 'privilege-revoke':
        return this.touchProblem(capability, node, node.target!, 'unauthorized_revocation');
      case 'declaration-update': {
        const target = node.target!;
        if (target.issuer !== node.issuer) {
          const problem = this.touchProblem(capability, node, target, 'unauthorized_update');
          if (problem !== undefined) return problem;
        }
        return this.issueProblem(capability, node, parsed.updated);
      }
      default:
        return this.issueProblem(capability, node, parsed);
    }
  }

  /** Rules for issuing new content: level, permission, then "same or narrower" permissions, scope and validity. */
  private issueProblem(capability: Capability, node: GraphNode, content: Exclude<ParsedContent, { type: 'declaration-update' }>): Failure | undefined {
    const level = capability.level;
    const need = (permission: Permission, rule: AuthorityRule = 'not_authorized_for_type'): Failure | undefined =>
      capability.permissions.has(permission)
        ? undefined
        : { rule, message: `${content.type} needs permission "${permission}", which this ${level} capability lacks` };
    const within = (scope: Scope): Failure | undefined =>
      scopeWithin(scope, capability.scope)
        ? undefined
        : { rule: 'exceeds_delegated_scope', message: `scope ${describeScope(scope)} is not within the delegated ${describeScope(capability.scope)}` };

    switch (content.type) {
      case 'moderation-action':
        return need('moderate') ?? within(content.content.scope);
      case 'admin-control-message':
        if (rankOf(level) < rankOf('operating-admin')) {
          return { rule: 'not_authorized_for_type', message: 'admin-control-messages are issued by operating-admin or master-admin only' };
        }
        return need('control') ?? within(content.content.scope);
      case 'privilege-revoke':
      case 'declaration-revoke':
        // Revocations carry no new content; permits() routes them to touchProblem.
        throw new DeclsignError('internal_error', `${content.type} reached the issuing rules`);
      default: {
        const grant = node.grant!;
        if (content.type === 'metadata-delegation') {
          const missing = need('manage-metadata', 'exceeds_delegated_permissions');
          if (missing !== undefined) return missing;
        } else {
          const missing = need('grant-privileges');
          if (missing !== undefined) return missing;
          if (rankOf(grant.level) >= rankOf('operating-admin') && level !== 'master-admin') {
            return { rule: 'not_authorized_for_type', message: `only a master-admin may grant ${grant.level}; the signer acts as ${level}` };
          }
          const lacking = missingPermissions(grant.permissions, capability.permissions);
          if (lacking.length > 0) {
            return { rule: 'exceeds_delegated_permissions', message: `grants ${lacking.join(', ')}, which the signer does not hold` };
          }
        }
        const scope = within(grant.scope);
        if (scope !== undefined) return scope;
        if (level === 'authorized-admin' && capability.validUntil !== null && (node.validUntil === null || node.validUntil > capability.validUntil)) {
          return {
            rule: 'exceeds_delegated_validity',
            message: `valid until ${node.validUntil === null ? 'forever' : timestampFromUnix(node.validUntil)}, beyond the delegated ${timestampFromUnix(capability.validUntil)}`,
          };
        }
        if (grant.level === 'master-admin') return this.countersignatureProblem(node, 'grant-master-admin');
        return undefined;
      }
    }
  }

  /**
   * Whether `capability` lets its holder revoke or update `target` that someone else issued: it needs `revoke`, the
   * target's scope within its own, and to outrank the target — both the level it grants and the level its issuer acted
   * with. Master-admin outranks everything except a master-admin grant, which needs master-admin countersigners too.
   */
  private touchProblem(capability: Capability, node: GraphNode, target: GraphNode, rule: 'unauthorized_revocation' | 'unauthorized_update'): Failure | undefined {
    const verb = rule === 'unauthorized_revocation' ? 'revoke' : 'update';
    if (!capability.permissions.has('revoke')) {
      return { rule, message: `to ${verb} a declaration issued by ${short(target.issuer)} the signer needs permission "revoke"` };
    }
    const scope = scopeOf(target);
    if (!scopeWithin(scope, capability.scope)) {
      return { rule, message: `the target's scope ${describeScope(scope)} is outside the signer's ${describeScope(capability.scope)}` };
    }
    const granted = target.grant?.level;
    if (granted === 'master-admin') {
      if (capability.level !== 'master-admin') return { rule, message: `only a master-admin may ${verb} a master-admin grant` };
      return this.countersignatureProblem(node, 'touch-master-admin');
    }
    if (capability.level === 'master-admin') return undefined;
    const protectedRank = Math.max(granted === undefined ? 0 : rankOf(granted), this.issuerRank(target));
    if (rankOf(capability.level) <= protectedRank) {
      return { rule, message: `a ${capability.level} cannot ${verb} a declaration issued or granted at ${levelName(protectedRank)} level` };
    }
    return undefined;
  }

  /** Distinct keys other than the signer that held master-admin when the declaration was signed. */
  private countersignatureProblem(node: GraphNode, action: keyof CountersignaturePolicy): Failure | undefined {
    const needed = this.policy[action];
    if (needed === 0) return undefined;
    const masters = node.countersigners.filter((fingerprint) => this.isMasterAt(fingerprint, node.signedAt));
    if (masters.length >= needed) return undefined;
    return {
      rule: 'insufficient_countersignatures',
      message: `${action} needs ${needed} distinct master-admin countersigner(s) besides the signer; ${masters.length} of ${node.countersigners.length} distinct countersigner(s) qualify`,
    };
  }

  private isMasterAt(fingerprint: string, t: number): boolean {
    if (this.anchors.has(fingerprint)) return true;
    return this.holdingsAt(fingerprint, t, this.maxDepth).capabilities.some((c) => c.level === 'master-admin');
  }

  /** The highest level the target's issuer held when it signed the target (0: none). */
  private issuerRank(target: GraphNode): number {
    if (this.anchors.has(target.issuer)) return rankOf('master-admin');
    const held = this.holdingsAt(target.issuer, target.signedAt, this.maxDepth).capabilities;
    return held.reduce((rank, c) => Math.max(rank, rankOf(c.level)), 0);
  }

  // ── the chain behind a signer ───────────────────────────────────────────────────────────────────────────

  /** What `key` holds at `t` through chains of at most `budget` links, and why the rest failed. */
  private holdingsAt(key: string, t: number, budget: number): Holdings {
    if (this.anchors.has(key)) return { capabilities: [anchorCapability(key)], failures: [] };
    return this.memo(`h|${key}|${t}|${budget}`, { capabilities: [], failures: [cycleFailure(key)] }, () => {
      const holdings: Holdings = { capabilities: [], failures: [] };
      for (const link of this.graph.grantsTo.get(key) ?? []) {
        const alive = this.alive(link, t, budget);
        if (alive.ok) holdings.capabilities.push(alive.capability);
        else holdings.failures.push(alive.failure);
      }
      return holdings;
    });
  }

  private alive(link: GraphNode, t: number, budget: number): Alive {
    return this.memo(`a|${link.id}|${t}|${budget}`, { ok: false, failure: cycleFailure(link.subject) }, () => {
      const self = [linkOf(link)];
      if (link.problem !== undefined) {
        return { ok: false, failure: { rule: 'delegation_invalid', message: `delegation ${link.uuid} is unusable: ${link.problem.message}`, path: self } };
      }
      const own = this.ownStatus(link, t);
      if (own !== undefined) return { ok: false, failure: { ...own, path: [...this.chainWhenSigned(link, budget), ...self] } };
      if (!this.anchors.has(link.issuer) && budget <= 1) {
        return { ok: false, failure: { rule: 'depth_exceeded', message: `the chain is longer than ${this.maxDepth} delegations`, path: self } };
      }
      const issuer = this.holdingsAt(link.issuer, t, budget - 1);
      let best: Capability | undefined;
      const failures = issuer.failures.map((f) => extend(f, self));
      for (const capability of issuer.capabilities) {
        // Judged at signing time: the issuer must already have held this capability when it signed the link.
        if (capability.source !== null && capability.source.signedAt > link.signedAt) continue;
        const failure = this.permits(capability, link, link.parsed!);
        if (failure === undefined) best = better(best, capability);
        else failures.push({ ...failure, path: [...capability.chain, ...self] });
      }
      if (best !== undefined) {
        const grant = link.grant!;
        return {
          ok: true,
          capability: {
            source: link,
            anchor: best.anchor,
            level: grant.level,
            permissions: this.permissionsAt(link, t),
            scope: grant.scope,
            validUntil: link.validUntil,
            chain: [...best.chain, ...self],
          },
        };
      }
      const failure = mostRelevant(failures) ?? {
        rule: 'not_delegated' as const,
        message: `${short(link.issuer)}, who issued ${link.uuid}, is not an anchor and holds no delegation`,
        path: self,
      };
      return { ok: false, failure: asCycleIfRepeating(failure) };
    });
  }

  /** For reporting a link that failed on its own: the chain that backed it when it was signed, if any. */
  private chainWhenSigned(link: GraphNode, budget: number): ChainLink[] {
    if (this.anchors.has(link.issuer) || budget <= 1) return [];
    const backing = this.alive(link, link.signedAt, budget);
    return backing.ok ? backing.capability.chain.slice(0, -1) : [];
  }

  /** Why the link itself gives nothing at `t`, ignoring who issued it; undefined when it is in force. */
  private ownStatus(link: GraphNode, t: number): Failure | undefined {
    const at = timestampFromUnix(t);
    if (t < link.signedAt || t < link.validFrom) {
      return { rule: 'delegation_not_yet_valid', message: `delegation ${link.uuid} was not yet in force at ${at}` };
    }
    if (link.validUntil !== null && t > link.validUntil) {
      return { rule: 'delegation_expired', message: `delegation ${link.uuid} expired at ${timestampFromUnix(link.validUntil)}, before ${at}` };
    }
    const revocation = this.revocationAt(link.root, t);
    if (revocation !== undefined) {
      return {
        rule: 'delegation_revoked',
        message: `delegation ${link.uuid} was revoked by ${revocation.uuid} at ${revocation.signedData.signing_timestamp}, before ${at}`,
      };
    }
    const current = this.currentVersion(link.root, t);
    if (current !== link) {
      return { rule: 'delegation_superseded', message: `delegation ${link.uuid} was superseded by update ${current?.uuid ?? '(none)'} before ${at}` };
    }
    return undefined;
  }

  /** The earliest authorized revocation of a chain signed at or before `t`. */
  private revocationAt(root: string, t: number): GraphNode | undefined {
    for (const revocation of this.graph.revocationsOf.get(root) ?? []) {
      if (revocation.signedAt > t) break;
      if (this.judge(revocation).ok) return revocation;
    }
    return undefined;
  }

  /** The latest authorized version of a chain signed at or before `t`. */
  private currentVersion(root: string, t: number): GraphNode | undefined {
    const versions = this.graph.versionsOf.get(root) ?? [];
    for (let i = versions.length - 1; i >= 0; i--) {
      const version = versions[i]!;
      if (version.signedAt > t) continue;
      if (version.type !== 'declaration-update' || this.judge(version).ok) return version;
    }
    return undefined;
  }

  /** A grant's permissions at `t`, less those authorized privilege-revokes (signed no earlier than the grant) removed. */
  private permissionsAt(link: GraphNode, t: number): ReadonlySet<Permission> {
    const held = new Set(link.grant!.permissions);
    for (const revoke of this.graph.privilegeRevocationsOf.get(link.root) ?? []) {
      if (revoke.signedAt > t) break;
      if (revoke.signedAt < link.signedAt || revoke.parsed?.type !== 'privilege-revoke') continue;
      if (this.judge(revoke).ok) for (const permission of revoke.parsed.content.permissions) held.delete(permission);
    }
    return held;
  }

  // ── revocation status and warnings ──────────────────────────────────────────────────────────────────────

  private revocationStatus(node: GraphNode): RevocationStatus {
    const status: RevocationStatus = {
      declaration_uuid: node.uuid,
      issuer_fingerprint: node.issuer,
      is_revoked: false,
      revoked_at: null,
      revoked_by_declaration_uuid: null,
      superseded_by_declaration_uuid: null,
      refused_revocations: [],
    };
    for (const revocation of this.graph.revocationsOf.get(node.root) ?? []) {
      const judgement = this.judge(revocation);
      if (!judgement.ok) {
        status.refused_revocations.push({ declaration_uuid: revocation.uuid, rule: judgement.failure.rule });
      } else if (!status.is_revoked) {
        status.is_revoked = true;
        status.revoked_at = revocation.signedData.signing_timestamp;
        status.revoked_by_declaration_uuid = revocation.uuid;
      }
    }
    const current = this.currentVersion(node.root, Number.POSITIVE_INFINITY);
    if (current !== undefined && current !== node && (this.graph.versionsOf.get(node.root) ?? []).includes(node)) {
      status.superseded_by_declaration_uuid = current.uuid;
    }
    return status;
  }

  private keyChangeWarnings(node: GraphNode): KeyChangeWarning[] {
    const label = node.parsed?.content.issuer_label;
    if (label === undefined) return [];
    const pinned = this.anchorsByLabel.get(label);
    if (pinned === undefined || pinned.includes(node.issuer)) return [];
    return [
      {
        kind: 'key_change',
        declaration_uuid: node.uuid,
        label,
        pinned_fingerprints: [...pinned],
        presented_fingerprint: node.issuer,
        message: `"${label}" is pinned as ${pinned.map(short).join(', ')}, but ${node.uuid} claims that name under key ${short(node.issuer)}; nothing is trusted because of the name`,
      },
    ];
  }

  // ── memoisation ─────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Memoises `compute` under `key`. Re-entering a key that is still being computed returns `whileInProgress` (a
   * conservative "no"). A result that relied on such a provisional answer for a node further up the stack is not cached,
   * since evaluated from elsewhere it could differ — so answers never depend on the order questions were asked in.
   */
  private memo<T>(key: string, whileInProgress: T, compute: () => T): T {
    if (this.cache.has(key)) return this.cache.get(key) as T;
    const position = this.inProgress.get(key);
    if (position !== undefined) {
      this.lowestHit = Math.min(this.lowestHit, position);
      return whileInProgress;
    }
    if (this.inProgress.size >= MAX_NESTING) throw new NestingLimit();
    const mine = this.inProgress.size;
    this.inProgress.set(key, mine);
    const outer = this.lowestHit;
    this.lowestHit = Number.POSITIVE_INFINITY;
    try {
      const value = compute();
      if (this.lowestHit >= mine) this.cache.set(key, value);
      return value;
    } finally {
      this.inProgress.delete(key);
      this.lowestHit = Math.min(outer, this.lowestHit >= mine ? Number.POSITIVE_INFINITY : this.lowestHit);
    }
  }

  private guarded<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof NestingLimit) throw new DeclsignError('internal_error', `authority evaluation nested deeper than ${MAX_NESTING} steps`);
      throw error;
    }
  }
}

// ── conveniences ───────────────────────────────────────────────────────────────────────────────────────────

/** One-off evaluation. For many declarations over one graph, reuse an AuthorityEvaluator: it memoises. */
export function evaluateAuthority(target: AuthorityDeclaration, graph: AuthorityGraph, options: AuthorityOptions): AuthorityResult {
  return new AuthorityEvaluator(graph, options).evaluate(target);
}

/** is_revoked, revoked_at and revoked_by_declaration_uuid for every declaration in the graph (imported ones too). */
export function computeRevocations(graph: AuthorityGraph, options: AuthorityOptions): RevocationStatus[] {
  return new AuthorityEvaluator(graph, options).revocationStatuses();
}

/** Declarations claiming a pinned administrator's label under a different key. */
export function findKeyChangeWarnings(graph: AuthorityGraph, anchors: readonly Anchor[]): KeyChangeWarning[] {
  return new AuthorityEvaluator(graph, { anchors }).allKeyChangeWarnings();
}

// ── helpers ────────────────────────────────────────────────────────────────────────────────────────────────

function anchorCapability(fingerprint: string): Capability {
  return { source: null, anchor: fingerprint, level: 'master-admin', permissions: ALL_PERMISSIONS, scope: '*', validUntil: null, chain: [] };
}

function linkOf(node: GraphNode): ChainLink {
  return {
    declaration_uuid: node.uuid,
    declaration_type: node.type as ChainLink['declaration_type'],
    issuer_fingerprint: node.issuer,
    subject_fingerprint: node.subject,
    trust_level: node.grant?.level ?? null,
  };
}

/** The scope a target acts in: what a grant covers, or where an action applies. */
function scopeOf(target: GraphNode): Scope {
  if (target.grant !== undefined) return target.grant.scope;
  const parsed = target.parsed?.type === 'declaration-update' ? target.parsed.updated : target.parsed;
  return parsed !== undefined && 'scope' in parsed.content ? parsed.content.scope : '*';
}

/** Shorter chains first, then the lexicographically smaller chain of uuids: the same answer for any input order. */
function better(held: Capability | undefined, candidate: Capability): Capability {
  if (held === undefined) return candidate;
  if (candidate.chain.length !== held.chain.length) return candidate.chain.length < held.chain.length ? candidate : held;
  return chainKey(candidate) < chainKey(held) ? candidate : held;
}

function chainKey(capability: Capability): string {
  return capability.chain.map((link) => link.declaration_uuid).join('/');
}

const PRIORITY = new Map(AUTHORITY_RULES.map((rule, index) => [rule, index]));

/** The failure closest to the signer's intent: rules earlier in AUTHORITY_RULES say more than later ones. */
function mostRelevant(failures: readonly Failure[]): Failure | undefined {
  let best: Failure | undefined;
  for (const failure of failures) if (best === undefined || PRIORITY.get(failure.rule)! < PRIORITY.get(best.rule)!) best = failure;
  return best;
}

function extend(failure: Failure, links: ChainLink[]): Failure {
  return { ...failure, path: [...(failure.path ?? []), ...links] };
}

/** A chain that ran out of depth while revisiting a key is a cycle, not merely a long chain. */
function asCycleIfRepeating(failure: Failure): Failure {
  if (failure.rule !== 'depth_exceeded' || failure.path === undefined) return failure;
  const subjects = failure.path.map((link) => link.subject_fingerprint);
  const repeated = subjects.find((subject, index) => subjects.indexOf(subject) !== index);
  if (repeated === undefined) return failure;
  return { ...failure, rule: 'cycle', message: `delegations lead in a circle through ${short(repeated)} without reaching an anchor` };
}

function cycleFailure(key: string): Failure {
  return { rule: 'cycle', message: `authority of ${short(key)} depends on itself` };
}

function cycleJudgement(node: GraphNode): Judgement {
  return { ok: false, failure: { rule: 'cycle', message: `${node.uuid} is authorized only through itself` } };
}

function sameSignedData(node: GraphNode, target: AuthorityDeclaration): boolean {
  return node.signedData === target.signedData || canonicalJson(node.signedData) === canonicalJson(target.signedData);
}

function levelName(rank: number): string {
  return rank >= 3 ? 'master-admin' : rank === 2 ? 'operating-admin' : rank === 1 ? 'authorized-admin' : 'no';
}

function short(fingerprint: string): string {
  return fingerprint.slice(0, 16);
}

