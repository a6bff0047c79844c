// A declaration is (uuid, signer): another key reusing a uuid neither blocks the original nor lets its signer revoke
// or update it by naming that uuid. Real keys, real signatures (the core authority fixture).

import { describe, expect, it } from 'vitest';
import { AuthorityEvaluator, buildAuthorityGraph, computeRevocations, pinAnchor } from '../../electron/core/authority';
import { declare, makeKey, ns, trust } from '../core/authority/fixture';

const at = (day: string) => `2026-${day}T12:00:00Z`;
const M = makeKey('master');
const O = makeKey('operating');
const A = makeKey('authorized');
const S = makeKey('stranger');
const X = makeKey('member');
const options = { anchors: [pinAnchor({ fingerprint: M.fingerprint })] };

const mo = declare({ issuer: M, subject: O, type: 'trust-declaration', content: trust('operating-admin', ['grant-privileges', 'revoke', 'moderate'], ns('games')), signedAt: at('01-10') });
const uuid = mo.signedData.declaration_uuid;
// The stranger copies the uuid, about the same subject, before and after the original.
const copyBefore = declare({ issuer: S, subject: O, type: 'trust-declaration', content: trust('authorized-admin', ['moderate'], ns('games')), signedAt: at('01-05'), uuid });
const copyAfter = declare({ issuer: S, subject: O, type: 'moderation-action', content: { action: 'hide', scope: ns('games'), reason: 'x' }, signedAt: at('01-11'), uuid });
const oa = declare({ issuer: O, subject: A, type: 'trust-declaration', content: trust('authorized-admin', ['moderate'], ns('games/chess')), signedAt: at('01-20'), validUntil: at('06-01') });
const aModerates = declare({ issuer: A, subject: X, type: 'moderation-action', content: { action: 'hide', scope: ns('games/chess'), reason: 'spam' }, signedAt: at('02-01') });
const strangerRevokes = declare({ issuer: S, subject: O, type: 'declaration-revoke', content: { target_declaration_uuid: uuid, reason: 'mine now' }, signedAt: at('01-15') });
const strangerUpdates = declare({
  issuer: S, subject: O, type: 'declaration-update', signedAt: at('01-16'), originalUuid: uuid, contentVersion: 2,
  content: { target_declaration_uuid: uuid, reason: 'narrow', updated_declaration_type: 'trust-declaration', updated_content: trust('operating-admin', ['moderate'], ns('games/go')) },
});

describe('uuid collisions', () => {
  const set = [copyBefore, mo, oa, aModerates, strangerRevokes, strangerUpdates];

  it("a stranger's copy under the same uuid blocks neither the original nor what depends on it", () => {
    const evaluator = new AuthorityEvaluator(buildAuthorityGraph(set), options);
    expect(evaluator.evaluate(mo)).toMatchObject({ ok: true, basis: 'anchor' });
    const result = evaluator.evaluate(aModerates);
    expect(result).toMatchObject({ ok: true, basis: 'delegation' });
    if (result.ok) expect(result.chain.map((l) => [l.declaration_uuid, l.issuer_fingerprint])).toEqual([[uuid, M.fingerprint], [oa.signedData.declaration_uuid, O.fingerprint]]);
    expect(evaluator.evaluate(copyBefore)).toMatchObject({ ok: false, rule: 'not_delegated' });
    // Two different declarations by the stranger under the uuid block only each other.
    const withBoth = new AuthorityEvaluator(buildAuthorityGraph([...set, copyAfter]), options);
    expect(withBoth.evaluate(copyAfter)).toMatchObject({ ok: false, rule: 'conflicting_declarations' });
    expect(withBoth.evaluate(aModerates)).toMatchObject({ ok: true });
  });

  it("naming the uuid, the stranger revokes and updates only its own copy", () => {
    const graph = buildAuthorityGraph(set);
    const evaluator = new AuthorityEvaluator(graph, options);
    // Withdrawing its own copy is allowed (issuer of the target) — and touches nothing else.
    expect(evaluator.evaluate(strangerRevokes)).toMatchObject({ ok: true, basis: 'issuer_of_target' });
    const statuses = computeRevocations(graph, options).filter((s) => s.declaration_uuid === uuid);
    expect(statuses.map((s) => [s.issuer_fingerprint, s.is_revoked]).sort()).toEqual(
      [[M.fingerprint, false], [S.fingerprint, true]].sort(),
    );
    const original = statuses.find((s) => s.issuer_fingerprint === M.fingerprint)!;
    expect(original).toMatchObject({ is_revoked: false, superseded_by_declaration_uuid: null });
  });

  it('without a copy of its own, the stranger cannot revoke the original (unauthorized_revocation)', () => {
    const graph = buildAuthorityGraph([mo, oa, aModerates, strangerRevokes]);
    const evaluator = new AuthorityEvaluator(graph, options);
    expect(evaluator.evaluate(strangerRevokes)).toMatchObject({ ok: false, rule: 'unauthorized_revocation' });
    expect(computeRevocations(graph, options).find((s) => s.declaration_uuid === uuid)).toMatchObject({ is_revoked: false });
    expect(evaluator.evaluate(aModerates)).toMatchObject({ ok: true });
  });

  it("the master's revocation of the uuid is read against each candidate and revokes the original", () => {
    const masterRevokes = declare({ issuer: M, subject: O, type: 'declaration-revoke', content: { target_declaration_uuid: uuid, reason: 'left' }, signedAt: at('01-25') });
    const late = declare({ issuer: A, subject: X, type: 'moderation-action', content: { action: 'hide', scope: ns('games/chess'), reason: 'spam' }, signedAt: at('02-02') });
    const graph = buildAuthorityGraph([copyBefore, mo, oa, masterRevokes, late]);
    const evaluator = new AuthorityEvaluator(graph, options);
    expect(evaluator.evaluate(masterRevokes)).toMatchObject({ ok: true });
    const original = computeRevocations(graph, options).find((s) => s.declaration_uuid === uuid && s.issuer_fingerprint === M.fingerprint);
    expect(original).toMatchObject({ is_revoked: true, revoked_at: at('01-25'), revoked_by_declaration_uuid: masterRevokes.signedData.declaration_uuid });
    expect(evaluator.evaluate(late)).toMatchObject({ ok: false, rule: 'delegation_revoked' });
  });

  it('the answers do not depend on input order', () => {
    const reference = new AuthorityEvaluator(buildAuthorityGraph(set), options);
    const expected = set.map((d) => reference.evaluate(d));
    const expectedStatuses = computeRevocations(buildAuthorityGraph(set), options);
    for (let round = 0; round < 10; round++) {
      const shuffled = [...set].sort(() => Math.random() - 0.5);
      const evaluator = new AuthorityEvaluator(buildAuthorityGraph(shuffled), options);
      expect(set.map((d) => evaluator.evaluate(d))).toEqual(expected);
      expect(computeRevocations(buildAuthorityGraph(shuffled), options)).toEqual(expectedStatuses);
    }
  });
});
