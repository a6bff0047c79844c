// Table-driven authority scenarios over real, really signed declarations (see fixture.ts).

import { describe, expect, it } from 'vitest';
import {
  AuthorityEvaluator,
  buildAuthorityGraph,
  computeRevocations,
  evaluateAuthority,
  findKeyChangeWarnings,
  pinAnchor,
  type AuthorityDeclaration,
  type AuthorityOptions,
  type AuthorityResult,
} from '../../../electron/core/authority';
import type { JsonValue } from '../../../electron/core/declaration/types';
import { ALL, declare, makeKey, ns, trust, verified, type Declared } from './fixture';

const M = makeKey('master');
const M2 = makeKey('master-2', 'ed25519');
const M3 = makeKey('master-3', 'ed25519');
const O = makeKey('operating');
const O2 = makeKey('operating-2', 'ed25519');
const A = makeKey('authorized');
const A2 = makeKey('authorized-2', 'ed25519');
const N = makeKey('new-master');
const U = makeKey('unknown');
const X = makeKey('member');
const B = makeKey('loop-b');
const C = makeKey('loop-c');

const anchors = [pinAnchor({ npub: M.canonicalName }, 'Alice'), pinAnchor({ fingerprint: M2.fingerprint }), pinAnchor({ algorithm: 'ed25519', publicKeyHex: M3.publicKeyHex })];

const at = (day: string) => `2025-${day}T12:00:00Z`;
const moderation = (scope: JsonValue = ns('games/chess')): { [key: string]: JsonValue } => ({ action: 'hide', scope, reason: 'spam' });

// ── the world: M → O → A, plus side branches ─────────────────────────────────────────────────────────────
const mo = declare({ issuer: M, subject: O, type: 'trust-declaration', content: trust('operating-admin', ['grant-privileges', 'revoke', 'moderate', 'control'], ns('games')), signedAt: at('01-10') });
const oa = declare({
  issuer: O, subject: A, type: 'trust-declaration', signedAt: at('01-20'), validUntil: at('06-01'),
  content: trust('authorized-admin', ['grant-privileges', 'moderate', 'revoke'], ns('games/chess')),
});
const aModerates = declare({ issuer: A, subject: X, type: 'moderation-action', content: moderation(ns('games/chess/openings')), signedAt: at('02-01') });
const aGrantsMore = declare({ issuer: A, subject: A2, type: 'privilege-grant', content: { permissions: ['moderate', 'control'], scope: ns('games/chess') }, signedAt: at('02-02'), validUntil: at('05-01') });
const aGrantsWider = declare({ issuer: A, subject: A2, type: 'privilege-grant', content: { permissions: ['moderate'], scope: ns('games') }, signedAt: at('02-02'), validUntil: at('05-01') });
const aGrantsLonger = declare({ issuer: A, subject: A2, type: 'privilege-grant', content: { permissions: ['moderate'], scope: ns('games/chess') }, signedAt: at('02-02'), validUntil: at('07-01') });
const aGrantsForever = declare({ issuer: A, subject: A2, type: 'privilege-grant', content: { permissions: ['moderate'], scope: ns('games/chess') }, signedAt: at('02-02') });
const aGrantsFewer = declare({ issuer: A, subject: A2, type: 'privilege-grant', content: { permissions: ['moderate'], scope: ns('games/chess/blitz') }, signedAt: at('02-03'), validUntil: at('05-01') });
const a2Moderates = declare({ issuer: A2, subject: X, type: 'moderation-action', content: moderation(ns('games/chess/blitz')), signedAt: at('02-04') });
const a2ModeratesOutside = declare({ issuer: A2, subject: X, type: 'moderation-action', content: moderation(ns('games/chess/rapid')), signedAt: at('02-04') });
const oGrantsOperating = declare({ issuer: O, subject: O2, type: 'trust-declaration', content: trust('operating-admin', ['moderate'], ns('games')), signedAt: at('01-21') });
const aControl = declare({ issuer: A, subject: X, type: 'admin-control-message', content: { message_type: 'announcement', scope: ns('games/chess'), body: 'hello' }, signedAt: at('02-05') });
const oControl = declare({ issuer: O, subject: X, type: 'admin-control-message', content: { message_type: 'maintenance', scope: ns('games'), body: 'down at noon' }, signedAt: at('02-05') });
const aModeratesLate = declare({ issuer: A, subject: X, type: 'moderation-action', content: moderation(), signedAt: at('07-01') });
const aModeratesEarly = declare({ issuer: A, subject: X, type: 'moderation-action', content: moderation(), signedAt: at('01-15') });
const uModerates = declare({ issuer: U, subject: X, type: 'moderation-action', content: moderation(), signedAt: at('02-01') });
const mModerates = declare({ issuer: M, subject: X, type: 'moderation-action', content: { ...moderation('*'), issuer_label: 'Alice' }, signedAt: at('02-01') });
const impostor = declare({ issuer: U, subject: X, type: 'moderation-action', content: { ...moderation(), issuer_label: 'Alice' }, signedAt: at('02-01') });

// Revocation attempts on M → O.
const aRevokesMo = declare({ issuer: A, subject: O, type: 'declaration-revoke', content: { target_declaration_uuid: mo.signedData.declaration_uuid, reason: 'coup' }, signedAt: at('02-10') });
const uRevokesMo = declare({ issuer: U, subject: O, type: 'declaration-revoke', content: { target_declaration_uuid: mo.signedData.declaration_uuid, reason: 'coup' }, signedAt: at('02-10') });

const world: Declared[] = [mo, oa, aModerates, aGrantsFewer, a2Moderates, aRevokesMo, uRevokesMo];
const graph = buildAuthorityGraph(world);
const options: AuthorityOptions = { anchors };

function expectOutcome(result: AuthorityResult, expected: { ok: true; chain?: Declared[] } | { ok: false; rule: string; evaluated?: boolean }) {
  if (expected.ok) {
    expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
    if (expected.chain !== undefined && result.ok) {
      expect(result.chain.map((l) => l.declaration_uuid)).toEqual(expected.chain.map((d) => d.signedData.declaration_uuid));
    }
  } else {
    expect(result, JSON.stringify(result)).toMatchObject({ ok: false, rule: expected.rule, evaluated: expected.evaluated ?? true });
  }
}

describe('authority over one world', () => {
  const evaluator = new AuthorityEvaluator(graph, options);
  const table: { name: string; target: AuthorityDeclaration; expected: Parameters<typeof expectOutcome>[1] }[] = [
    { name: 'a valid three-level chain (M → O → A, A moderates)', target: aModerates, expected: { ok: true, chain: [mo, oa] } },
    { name: 'the anchor itself acts with an empty chain', target: mModerates, expected: { ok: true, chain: [] } },
    { name: 'an authorized admin grants fewer permissions, narrower scope, shorter validity', target: aGrantsFewer, expected: { ok: true, chain: [mo, oa] } },
    { name: 'a fourth level acts within what it was given', target: a2Moderates, expected: { ok: true, chain: [mo, oa, aGrantsFewer] } },
    { name: 'the fourth level acts outside its scope', target: a2ModeratesOutside, expected: { ok: false, rule: 'exceeds_delegated_scope' } },
    { name: 'an authorized admin grants a permission it lacks', target: aGrantsMore, expected: { ok: false, rule: 'exceeds_delegated_permissions' } },
    { name: 'an authorized admin grants a wider scope', target: aGrantsWider, expected: { ok: false, rule: 'exceeds_delegated_scope' } },
    { name: 'an authorized admin grants longer validity', target: aGrantsLonger, expected: { ok: false, rule: 'exceeds_delegated_validity' } },
    { name: 'an authorized admin grants without end', target: aGrantsForever, expected: { ok: false, rule: 'exceeds_delegated_validity' } },
    { name: 'an operating admin grants operating-admin', target: oGrantsOperating, expected: { ok: false, rule: 'not_authorized_for_type' } },
    { name: 'an authorized admin sends an admin-control-message', target: aControl, expected: { ok: false, rule: 'not_authorized_for_type' } },
    { name: 'an operating admin with "control" sends one', target: oControl, expected: { ok: true, chain: [mo] } },
    { name: 'a delegation used after it expired', target: aModeratesLate, expected: { ok: false, rule: 'delegation_expired' } },
    { name: 'a delegation used before it was signed', target: aModeratesEarly, expected: { ok: false, rule: 'delegation_not_yet_valid' } },
    { name: 'an unknown signer', target: uModerates, expected: { ok: false, rule: 'not_delegated' } },
    { name: 'an authorized admin revokes an operating grant', target: aRevokesMo, expected: { ok: false, rule: 'unauthorized_revocation' } },
    { name: 'a stranger revokes an operating grant', target: uRevokesMo, expected: { ok: false, rule: 'unauthorized_revocation' } },
  ];
  for (const row of table) it(row.name, () => expectOutcome(evaluator.evaluate(row.target), row.expected));

  it('reports the path it tried when a link expired', () => {
    const result = evaluator.evaluate(aModeratesLate);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.path_tried?.map((l) => l.declaration_uuid)).toEqual([mo, oa].map((d) => d.signedData.declaration_uuid));
  });

  it('refused revocations leave the grant in force and are listed', () => {
    const status = computeRevocations(graph, options).find((s) => s.declaration_uuid === mo.signedData.declaration_uuid)!;
    expect(status.is_revoked).toBe(false);
    expect(status.refused_revocations.map((r) => r.rule).sort()).toEqual(['unauthorized_revocation', 'unauthorized_revocation']);
  });

  it('the chain links carry issuer, subject and level', () => {
    const result = evaluator.evaluate(aModerates);
    expect(result.ok && result.chain).toEqual([
      { declaration_uuid: mo.signedData.declaration_uuid, declaration_type: 'trust-declaration', issuer_fingerprint: M.fingerprint, subject_fingerprint: O.fingerprint, trust_level: 'operating-admin' },
      { declaration_uuid: oa.signedData.declaration_uuid, declaration_type: 'trust-declaration', issuer_fingerprint: O.fingerprint, subject_fingerprint: A.fingerprint, trust_level: 'authorized-admin' },
    ]);
    expect(result.ok && result.acting_level).toBe('authorized-admin');
    expect(result.ok && result.anchor_fingerprint).toBe(M.fingerprint);
  });
});

describe('revocation of an intermediate', () => {
  const revoke = declare({ issuer: M, subject: O, type: 'declaration-revoke', content: { target_declaration_uuid: mo.signedData.declaration_uuid, reason: 'left' }, signedAt: at('03-01') });
  const before = declare({ issuer: A, subject: X, type: 'moderation-action', content: moderation(), signedAt: at('02-28') });
  const sameSecond = declare({ issuer: A, subject: X, type: 'moderation-action', content: moderation(), signedAt: at('03-01') });
  const after = declare({ issuer: A, subject: X, type: 'moderation-action', content: moderation(), signedAt: at('03-02') });
  const oAfter = declare({ issuer: O, subject: X, type: 'moderation-action', content: moderation(), signedAt: at('03-02') });
  const g = buildAuthorityGraph([mo, oa, revoke, before, after]);
  const evaluator = new AuthorityEvaluator(g, options);

  it('a declaration signed before the revocation stays valid', () => expectOutcome(evaluator.evaluate(before), { ok: true, chain: [mo, oa] }));
  it('from the revocation time on, the revoked link fails', () => expectOutcome(evaluator.evaluate(sameSecond), { ok: false, rule: 'delegation_revoked' }));
  it('the revocation cascades to what depended on it', () => expectOutcome(evaluator.evaluate(after), { ok: false, rule: 'delegation_revoked' }));
  it('the revoked subject itself fails after it', () => expectOutcome(evaluator.evaluate(oAfter), { ok: false, rule: 'delegation_revoked' }));
  it('the revocation was authorized (its issuer issued the target)', () => {
    expect(evaluator.evaluate(revoke)).toMatchObject({ ok: true, basis: 'issuer_of_target' });
  });
  it('computeRevocations marks the revoked declaration', () => {
    const byUuid = new Map(computeRevocations(g, options).map((s) => [s.declaration_uuid, s]));
    expect(byUuid.get(mo.signedData.declaration_uuid)).toMatchObject({
      is_revoked: true,
      revoked_at: at('03-01'),
      revoked_by_declaration_uuid: revoke.signedData.declaration_uuid,
    });
    expect(byUuid.get(oa.signedData.declaration_uuid)?.is_revoked).toBe(false);
    expect(byUuid.size).toBe(5);
  });
  it('a second master (another anchor) may revoke an operating grant', () => {
    const byM2 = declare({ issuer: M2, subject: O, type: 'declaration-revoke', content: { target_declaration_uuid: mo.signedData.declaration_uuid, reason: 'x' }, signedAt: at('03-05') });
    const e = new AuthorityEvaluator(buildAuthorityGraph([mo, oa, byM2]), options);
    expect(e.evaluate(byM2)).toMatchObject({ ok: true, basis: 'anchor' });
  });
});

describe('who may revoke what', () => {
  const masterGrant = declare({ issuer: M, subject: N, type: 'trust-declaration', content: trust('master-admin'), signedAt: at('01-03'), countersigners: [M2] });
  const revokeMaster = (countersigners: typeof M2[]) =>
    declare({ issuer: M2, subject: N, type: 'declaration-revoke', content: { target_declaration_uuid: masterGrant.signedData.declaration_uuid, reason: 'x' }, signedAt: at('03-01'), countersigners });
  it('another master revoking a master-admin grant needs a master countersigner', () => {
    const bare = revokeMaster([]);
    expectOutcome(evaluateAuthority(bare, buildAuthorityGraph([masterGrant, bare]), options), { ok: false, rule: 'insufficient_countersignatures' });
    const countersigned = revokeMaster([M3]);
    expectOutcome(evaluateAuthority(countersigned, buildAuthorityGraph([masterGrant, countersigned]), options), { ok: true });
  });
  it('an operating admin with "revoke" may revoke a grant an authorized admin made', () => {
    const byO = declare({ issuer: O, subject: A2, type: 'declaration-revoke', content: { target_declaration_uuid: aGrantsFewer.signedData.declaration_uuid, reason: 'x' }, signedAt: at('03-01') });
    const e = new AuthorityEvaluator(buildAuthorityGraph([mo, oa, aGrantsFewer, byO, a2Moderates]), options);
    expectOutcome(e.evaluate(byO), { ok: true, chain: [mo] });
    const later = declare({ issuer: A2, subject: X, type: 'moderation-action', content: moderation(ns('games/chess/blitz')), signedAt: at('03-02') });
    expectOutcome(e.evaluate(a2Moderates), { ok: true });
    expectOutcome(e.evaluate(later), { ok: false, rule: 'delegation_revoked' });
  });
  it('an operating admin cannot revoke a grant made by a master', () => {
    const mGrants = declare({ issuer: M, subject: A2, type: 'privilege-grant', content: { permissions: ['moderate'], scope: ns('games') }, signedAt: at('01-11') });
    const byO = declare({ issuer: O, subject: A2, type: 'declaration-revoke', content: { target_declaration_uuid: mGrants.signedData.declaration_uuid, reason: 'x' }, signedAt: at('03-01') });
    expectOutcome(evaluateAuthority(byO, buildAuthorityGraph([mo, mGrants, byO]), options), { ok: false, rule: 'unauthorized_revocation' });
  });
});

describe('updates', () => {
  const widen = declare({
    issuer: O, subject: A, type: 'declaration-update', signedAt: at('03-01'), validUntil: at('05-01'), originalUuid: oa.signedData.declaration_uuid, contentVersion: 2,
    content: { target_declaration_uuid: oa.signedData.declaration_uuid, reason: 'more', updated_declaration_type: 'trust-declaration', updated_content: { content_schema_version: 1, ...trust('authorized-admin', ['moderate'], '*') } },
  });
  const narrow = declare({
    issuer: O, subject: A, type: 'declaration-update', signedAt: at('03-01'), validUntil: at('05-01'), originalUuid: oa.signedData.declaration_uuid, contentVersion: 2,
    content: { target_declaration_uuid: oa.signedData.declaration_uuid, reason: 'less', updated_declaration_type: 'trust-declaration', updated_content: { content_schema_version: 1, ...trust('authorized-admin', ['moderate'], ns('games/chess/blitz')) } },
  });
  const byAuthorized = declare({
    issuer: A2, subject: A, type: 'declaration-update', signedAt: at('03-01'), originalUuid: oa.signedData.declaration_uuid, contentVersion: 2,
    content: { target_declaration_uuid: oa.signedData.declaration_uuid, reason: 'mine', updated_declaration_type: 'trust-declaration', updated_content: { content_schema_version: 1, ...trust('authorized-admin', ['moderate'], ns('games/chess')) } },
  });
  const chessBefore = declare({ issuer: A, subject: X, type: 'moderation-action', content: moderation(), signedAt: at('02-20') });
  const chessAfter = declare({ issuer: A, subject: X, type: 'moderation-action', content: moderation(), signedAt: at('03-02') });
  const blitzAfter = declare({ issuer: A, subject: X, type: 'moderation-action', content: moderation(ns('games/chess/blitz')), signedAt: at('03-02') });

  it('an update that widens scope beyond what the updater holds fails', () => {
    const e = new AuthorityEvaluator(buildAuthorityGraph([mo, oa, widen]), options);
    expectOutcome(e.evaluate(widen), { ok: false, rule: 'exceeds_delegated_scope' });
    // …and the original stays current.
    expectOutcome(e.evaluate(chessAfter), { ok: true, chain: [mo, oa] });
  });
  it('an authorized update replaces the content from its signing time on', () => {
    const e = new AuthorityEvaluator(buildAuthorityGraph([mo, oa, narrow]), options);
    expectOutcome(e.evaluate(narrow), { ok: true, chain: [mo] });
    expectOutcome(e.evaluate(chessBefore), { ok: true, chain: [mo, oa] });
    expectOutcome(e.evaluate(chessAfter), { ok: false, rule: 'exceeds_delegated_scope' });
    expectOutcome(e.evaluate(blitzAfter), { ok: true, chain: [mo, narrow] });
    const status = computeRevocations(buildAuthorityGraph([mo, oa, narrow]), options).find((s) => s.declaration_uuid === oa.signedData.declaration_uuid);
    expect(status?.superseded_by_declaration_uuid).toBe(narrow.signedData.declaration_uuid);
  });
  it('revoking an update version ends the whole chain', () => {
    const revoke = declare({ issuer: O, subject: A, type: 'declaration-revoke', content: { target_declaration_uuid: narrow.signedData.declaration_uuid, reason: 'x' }, signedAt: at('03-10') });
    const g = buildAuthorityGraph([mo, oa, narrow, revoke]);
    const late = declare({ issuer: A, subject: X, type: 'moderation-action', content: moderation(ns('games/chess/blitz')), signedAt: at('03-11') });
    expectOutcome(evaluateAuthority(late, g, options), { ok: false, rule: 'delegation_revoked' });
    const statuses = new Map(computeRevocations(g, options).map((st) => [st.declaration_uuid, st]));
    expect(statuses.get(oa.signedData.declaration_uuid)?.is_revoked).toBe(true);
    expect(statuses.get(narrow.signedData.declaration_uuid)?.revoked_by_declaration_uuid).toBe(revoke.signedData.declaration_uuid);
  });
  it('someone below the issuer cannot update', () => {
    const e = new AuthorityEvaluator(buildAuthorityGraph([mo, oa, aGrantsFewer, byAuthorized]), options);
    expectOutcome(e.evaluate(byAuthorized), { ok: false, rule: 'unauthorized_update' });
  });
});

describe('privilege-revoke', () => {
  const removeModerate = declare({ issuer: O, subject: A, type: 'privilege-revoke', content: { target_declaration_uuid: oa.signedData.declaration_uuid, permissions: ['moderate'], reason: 'abuse' }, signedAt: at('03-01') });
  const g = buildAuthorityGraph([mo, oa, removeModerate]);
  const e = new AuthorityEvaluator(g, options);
  it('permissions removed apply from the revoke on, not before', () => {
    expectOutcome(e.evaluate(declare({ issuer: A, subject: X, type: 'moderation-action', content: moderation(), signedAt: at('02-28') })), { ok: true });
    expectOutcome(e.evaluate(declare({ issuer: A, subject: X, type: 'moderation-action', content: moderation(), signedAt: at('03-01') })), { ok: false, rule: 'not_authorized_for_type' });
  });
  it('permissions not removed remain', () => {
    const grant = declare({ issuer: A, subject: A2, type: 'privilege-grant', content: { permissions: ['revoke'], scope: ns('games/chess') }, signedAt: at('03-02'), validUntil: at('04-01') });
    expectOutcome(e.evaluate(grant), { ok: true });
  });
});

describe('cycles and depth', () => {
  const bc = declare({ issuer: B, subject: C, type: 'trust-declaration', content: trust('authorized-admin', ['moderate']), signedAt: at('01-05') });
  const cb = declare({ issuer: C, subject: B, type: 'trust-declaration', content: trust('authorized-admin', ['moderate']), signedAt: at('01-05') });
  const cActs = declare({ issuer: C, subject: X, type: 'moderation-action', content: moderation(), signedAt: at('01-06') });
  it('delegations in a circle with no anchor are a cycle', () => {
    expectOutcome(evaluateAuthority(cActs, buildAuthorityGraph([bc, cb, cActs]), options), { ok: false, rule: 'cycle' });
  });
  it('a cycle hanging off a valid chain still resolves through the anchor', () => {
    const mb = declare({ issuer: M, subject: B, type: 'trust-declaration', content: trust('operating-admin', ['grant-privileges', 'moderate']), signedAt: at('01-01') });
    const bcAuth = declare({ issuer: B, subject: C, type: 'trust-declaration', content: trust('authorized-admin', ['grant-privileges', 'moderate']), signedAt: at('01-05'), validUntil: at('12-01') });
    const cbAuth = declare({ issuer: C, subject: B, type: 'trust-declaration', content: trust('authorized-admin', ['moderate']), signedAt: at('01-05'), validUntil: at('12-01') });
    expectOutcome(evaluateAuthority(cActs, buildAuthorityGraph([cbAuth, bcAuth, mb, cActs]), options), { ok: true, chain: [mb, bcAuth] });
  });
  it('a chain longer than maxDepth fails with depth_exceeded', () => {
    const keys = [M, makeKey('d1'), makeKey('d2'), makeKey('d3'), makeKey('d4')];
    const links = keys.slice(1).map((subject, i) =>
      declare({ issuer: keys[i]!, subject, type: 'trust-declaration', content: trust(i === 0 ? 'operating-admin' : 'authorized-admin', ['grant-privileges', 'moderate']), signedAt: at(`01-0${i + 1}`), validUntil: at('12-01') }),
    );
    const acts = declare({ issuer: keys[4]!, subject: X, type: 'moderation-action', content: moderation(), signedAt: at('01-09') });
    const g = buildAuthorityGraph([...links, acts]);
    expectOutcome(evaluateAuthority(acts, g, { anchors, maxDepth: 3 }), { ok: false, rule: 'depth_exceeded' });
    expectOutcome(evaluateAuthority(acts, g, { anchors, maxDepth: 4 }), { ok: true, chain: links });
  });
});

describe('countersignature thresholds count distinct keys', () => {
  const grant = (countersigners: typeof M2[]) =>
    declare({ issuer: M, subject: N, type: 'trust-declaration', content: trust('master-admin'), signedAt: at('01-03'), countersigners });
  const policy: AuthorityOptions = { anchors, countersignatures: { 'grant-master-admin': 2 } };
  const table = [
    { name: 'no countersigners', countersigners: [], ok: false },
    { name: 'one master twice counts once', countersigners: [M2, M2], ok: false },
    { name: 'a non-master countersigner does not count', countersigners: [M2, A2], ok: false },
    { name: 'two distinct masters', countersigners: [M2, M3], ok: true },
  ];
  for (const row of table) {
    it(row.name, () => {
      const target = grant(row.countersigners);
      const result = evaluateAuthority(target, buildAuthorityGraph([target]), policy);
      expectOutcome(result, row.ok ? { ok: true } : { ok: false, rule: 'insufficient_countersignatures' });
    });
  }
  it('the default policy needs one other master', () => {
    const one = grant([M2]);
    expectOutcome(evaluateAuthority(one, buildAuthorityGraph([one]), options), { ok: true });
    const none = grant([]);
    expectOutcome(evaluateAuthority(none, buildAuthorityGraph([none]), options), { ok: false, rule: 'insufficient_countersignatures' });
  });
  it('a delegated master acts as master once granted', () => {
    const g1 = grant([M2]);
    const nGrants = declare({ issuer: N, subject: O2, type: 'trust-declaration', content: trust('operating-admin', ['moderate']), signedAt: at('01-04') });
    expectOutcome(evaluateAuthority(nGrants, buildAuthorityGraph([g1, nGrants]), options), { ok: true, chain: [g1] });
  });
});

describe('inputs the evaluator must honour', () => {
  it('a link whose signature failed is never used', () => {
    const tampered = verified({ ...oa.format3, signature: { ...oa.format3.signature, digital_signature: flipLastHex(oa.format3.signature.digital_signature) } });
    expect(tampered.cryptoValid).toBe(false);
    expectOutcome(evaluateAuthority(aModerates, buildAuthorityGraph([mo, tampered, aModerates]), options), { ok: false, rule: 'delegation_invalid' });
  });
  it('a target whose signature failed is invalid_signature', () => {
    const tampered = verified({ ...aModerates.format3, signature: { ...aModerates.format3.signature, digital_signature: flipLastHex(aModerates.format3.signature.digital_signature) } });
    expectOutcome(evaluateAuthority(tampered, graph, options), { ok: false, rule: 'invalid_signature' });
  });
  it('no anchors: not evaluated, distinct from a failure', () => {
    expectOutcome(evaluateAuthority(aModerates, graph, { anchors: [] }), { ok: false, rule: 'no_anchors', evaluated: false });
  });
  it('no anchors: an issuer may still revoke what it issued', () => {
    const revoke = declare({ issuer: O, subject: A, type: 'declaration-revoke', content: { target_declaration_uuid: oa.signedData.declaration_uuid, reason: 'x' }, signedAt: at('03-01') });
    const statuses = computeRevocations(buildAuthorityGraph([oa, revoke]), { anchors: [] });
    expect(statuses.find((s) => s.declaration_uuid === oa.signedData.declaration_uuid)).toMatchObject({ is_revoked: true, revoked_at: at('03-01') });
  });
  it('an unknown critical extension rejects the declaration; an unknown plain field too', () => {
    const critical = declare({ issuer: M, subject: X, type: 'moderation-action', content: { ...moderation(), critical: ['geo'], extensions: { geo: 'eu' } }, signedAt: at('02-01') });
    expectOutcome(evaluateAuthority(critical, graph, options), { ok: false, rule: 'unknown_critical_field' });
    const optional = declare({ issuer: M, subject: X, type: 'moderation-action', content: { ...moderation(), extensions: { geo: 'eu' } }, signedAt: at('02-01') });
    expectOutcome(evaluateAuthority(optional, graph, options), { ok: true });
    const stray = declare({ issuer: M, subject: X, type: 'moderation-action', content: { ...moderation(), colour: 'red' }, signedAt: at('02-01') });
    expectOutcome(evaluateAuthority(stray, graph, options), { ok: false, rule: 'invalid_content' });
  });
  it('another key reusing a uuid blocks nothing; one key signing two declarations under one uuid blocks both; identical copies merge', () => {
    const twin = declare({ issuer: U, subject: X, type: 'moderation-action', content: moderation(), signedAt: at('02-01'), uuid: aModerates.signedData.declaration_uuid });
    const g = buildAuthorityGraph([mo, oa, aModerates, twin]);
    expectOutcome(evaluateAuthority(aModerates, g, options), { ok: true, chain: [mo, oa] });
    expectOutcome(evaluateAuthority(twin, g, options), { ok: false, rule: 'not_delegated' });
    const ownTwin = declare({ issuer: A, subject: X, type: 'moderation-action', content: moderation(), signedAt: at('02-02'), uuid: aModerates.signedData.declaration_uuid });
    const own = buildAuthorityGraph([mo, oa, aModerates, ownTwin]);
    expectOutcome(evaluateAuthority(aModerates, own, options), { ok: false, rule: 'conflicting_declarations' });
    expectOutcome(evaluateAuthority(ownTwin, own, options), { ok: false, rule: 'conflicting_declarations' });
    const copy = { ...aModerates, signedData: structuredClone(aModerates.signedData) };
    expectOutcome(evaluateAuthority(aModerates, buildAuthorityGraph([mo, oa, aModerates, copy]), options), { ok: true, chain: [mo, oa] });
  });
  it('a revocation of a target not in the set is unknown_target', () => {
    const revoke = declare({ issuer: M, subject: O, type: 'declaration-revoke', content: { target_declaration_uuid: '00000000-0000-4000-8000-000000000000', reason: 'x' }, signedAt: at('03-01') });
    expectOutcome(evaluateAuthority(revoke, graph, options), { ok: false, rule: 'unknown_target' });
  });
  it('rejects a malformed anchor', () => {
    expect(() => evaluateAuthority(aModerates, graph, { anchors: [{ fingerprint: 'ABC' }] })).toThrow(/anchor fingerprint/);
  });
});

describe('key-change warning', () => {
  it('a pinned label presented under another key warns and trusts nothing', () => {
    const result = evaluateAuthority(impostor, graph, options);
    expect(result).toMatchObject({ ok: false, rule: 'not_delegated' });
    expect(result.warnings).toEqual([
      expect.objectContaining({ kind: 'key_change', label: 'Alice', pinned_fingerprints: [M.fingerprint], presented_fingerprint: U.fingerprint }),
    ]);
  });
  it('the pinned key under its own label does not warn', () => {
    expect(evaluateAuthority(mModerates, graph, options).warnings).toEqual([]);
  });
  it('findKeyChangeWarnings lists every impostor in a set', () => {
    const warnings = findKeyChangeWarnings(buildAuthorityGraph([mModerates, impostor, aModerates]), anchors);
    expect(warnings.map((w) => w.declaration_uuid)).toEqual([impostor.signedData.declaration_uuid]);
  });
});

describe('order independence', () => {
  const scenario = [mo, oa, aModerates, aGrantsFewer, a2Moderates, aRevokesMo, uRevokesMo, aModeratesLate, uModerates];
  const reference = scenario.map((d) => evaluateAuthority(d, buildAuthorityGraph(scenario), options));
  const referenceRevocations = computeRevocations(buildAuthorityGraph(scenario), options);

  it('scrambled input gives the same answers', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 20; round++) {
      const shuffled = [...scenario].sort(() => random() - 0.5);
      const g = buildAuthorityGraph(shuffled);
      const e = new AuthorityEvaluator(g, options);
      // Ask in a different order too: memoised answers must not depend on which question came first.
      const order = [...scenario.keys()].sort(() => random() - 0.5);
      const answers = new Array<AuthorityResult>(scenario.length);
      for (const i of order) answers[i] = e.evaluate(scenario[i]!);
      expect(answers).toEqual(reference);
      expect(computeRevocations(g, options)).toEqual(referenceRevocations);
    }
  });

  it('every permutation of a small set gives the same answers', () => {
    const revoke = declare({ issuer: M, subject: O, type: 'declaration-revoke', content: { target_declaration_uuid: mo.signedData.declaration_uuid, reason: 'x' }, signedAt: at('03-01') });
    const after = declare({ issuer: A, subject: X, type: 'moderation-action', content: moderation(), signedAt: at('03-02') });
    const small = [mo, oa, aModerates, revoke, after];
    const expected = small.map((d) => evaluateAuthority(d, buildAuthorityGraph(small), options));
    expect(expected.map((r) => r.ok)).toEqual([true, true, true, true, false]);
    let count = 0;
    for (const permutation of permutations(small)) {
      const e = new AuthorityEvaluator(buildAuthorityGraph(permutation), options);
      expect(permutation.map((d) => e.evaluate(d))).toEqual(permutation.map((d) => expected[small.indexOf(d)]));
      count++;
    }
    expect(count).toBe(120);
  });
});

describe('content vocabulary', () => {
  it('a master-admin grant must carry every permission and scope *', () => {
    const partial = declare({ issuer: M, subject: N, type: 'trust-declaration', content: trust('master-admin', ['moderate']), signedAt: at('01-03'), countersigners: [M2] });
    expectOutcome(evaluateAuthority(partial, graph, options), { ok: false, rule: 'invalid_content' });
    expect(ALL).toHaveLength(5);
  });
  it('scope containment follows namespace segments, not string prefixes', () => {
    const chessboard = declare({ issuer: A, subject: X, type: 'moderation-action', content: moderation(ns('games/chessboard')), signedAt: at('02-01') });
    expectOutcome(evaluateAuthority(chessboard, graph, options), { ok: false, rule: 'exceeds_delegated_scope' });
  });
});

function flipLastHex(hex: string): string {
  const last = hex.at(-1)!;
  return hex.slice(0, -1) + (last === '0' ? '1' : '0');
}

function* permutations<T>(items: T[]): Generator<T[]> {
  if (items.length <= 1) {
    yield [...items];
    return;
  }
  for (let i = 0; i < items.length; i++) {
    const rest = [...items.slice(0, i), ...items.slice(i + 1)];
    for (const tail of permutations(rest)) yield [items[i]!, ...tail];
  }
}
