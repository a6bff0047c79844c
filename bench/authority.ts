// Authority evaluation speed: 10,000 declarations over a 1,000-delegation graph (with revocations and expiries).
// Signatures are not made here — the evaluator takes `cryptoValid` as input — so this measures authority alone.
// Run (the bundle must sit inside the project so its external packages resolve from node_modules):
//   npx esbuild bench/authority.ts --bundle --platform=node --format=esm --packages=external \
//     --outfile=node_modules/.cache/authority-bench.mjs && node node_modules/.cache/authority-bench.mjs

import { randomBytes, randomUUID } from 'node:crypto';
import { AuthorityEvaluator, buildAuthorityGraph, computeRevocations, type AuthorityDeclaration } from '../electron/core/authority';
import { buildContent, buildSignedData } from '../electron/core/declaration/build';
import { timestampFromUnix } from '../electron/core/declaration/timestamp';
import type { DeclarationType, JsonValue } from '../electron/core/declaration/types';
import { generatePrivateKey, keyMaterialFromPrivate } from '../electron/core/keys';

const DELEGATIONS = 1000;
const DECLARATIONS = 10_000;
const START = Date.UTC(2025, 0, 1) / 1000;
const DAY = 86_400;

let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;

interface Key { publicKeyHex: string; fingerprint: string }
const newKey = (): Key => keyMaterialFromPrivate('ed25519', generatePrivateKey('ed25519', randomBytes));

function declaration(issuer: Key, subject: Key, type: DeclarationType, content: { [key: string]: JsonValue }, signedAt: number, validUntil: number | null): AuthorityDeclaration {
  const signedData = buildSignedData({
    declarationUuid: randomUUID(),
    content: buildContent(type, { content_schema_version: 1, ...content }),
    signer: { algorithm: 'ed25519', publicKeyHex: issuer.publicKeyHex },
    target: { algorithm: 'ed25519', publicKeyHex: subject.publicKeyHex },
    validFrom: timestampFromUnix(signedAt),
    validUntil: validUntil === null ? null : timestampFromUnix(validUntil),
    signingTimestamp: timestampFromUnix(signedAt),
  });
  return { signedData, cryptoValid: true, countersignerFingerprints: [] };
}

const master = newKey();
const member = newKey();
const namespaces = ['games', 'games/chess', 'games/go', 'forum', 'forum/help'];
interface Holder { key: Key; level: number; scope: string; until: number; since: number }
const holders: Holder[] = [];
const declarations: AuthorityDeclaration[] = [];

// 20 operating admins directly under the anchor, then authorized admins delegating downwards (up to 6 levels deep).
for (let i = 0; i < 20; i++) {
  const key = newKey();
  const since = START + i * 60;
  declarations.push(declaration(master, key, 'trust-declaration', { trust_level: 'operating-admin', permissions: ['grant-privileges', 'revoke', 'moderate'], scope: { namespaces: ['games', 'forum'] } }, since, null));
  holders.push({ key, level: 1, scope: pick(['games', 'forum']), until: START + 400 * DAY, since });
}
while (declarations.length < DELEGATIONS - 40) {
  const parent = pick(holders.filter((h) => h.level < 6));
  const key = newKey();
  const since = parent.since + Math.floor(random() * 10 * DAY) + 1;
  const until = Math.min(parent.until, since + Math.floor((30 + random() * 300) * DAY));
  const scope = namespaces.filter((ns) => ns === parent.scope || ns.startsWith(`${parent.scope}/`));
  const narrowed = pick(scope);
  declarations.push(declaration(parent.key, key, 'trust-declaration', { trust_level: 'authorized-admin', permissions: ['grant-privileges', 'moderate'], scope: { namespaces: [narrowed] } }, since, until));
  holders.push({ key, level: parent.level + 1, scope: narrowed, until, since });
}
// 40 revocations of random delegations by the anchor.
const delegations = [...declarations];
for (let i = 0; i < 40; i++) {
  const target = pick(delegations.slice(20)).signedData;
  declarations.push(
    declaration(master, { publicKeyHex: target.target_keypair_public_key, fingerprint: target.target_keypair_fingerprint }, 'declaration-revoke', { target_declaration_uuid: target.declaration_uuid, reason: 'bench' }, START + Math.floor(random() * 200 * DAY), null),
  );
}
const actions: AuthorityDeclaration[] = [];
for (let i = 0; i < DECLARATIONS; i++) {
  const holder = pick(holders);
  // Mostly inside the holder's window, some after it: the evaluator walks failing chains too.
  const at = holder.since + Math.floor(random() * 1.2 * (holder.until - holder.since));
  actions.push(declaration(holder.key, member, 'moderation-action', { action: 'hide', scope: { namespaces: [holder.scope] }, reason: 'bench' }, at, null));
}

const all = [...declarations, ...actions];
let t0 = performance.now();
const graph = buildAuthorityGraph(all);
const buildMs = performance.now() - t0;

t0 = performance.now();
const evaluator = new AuthorityEvaluator(graph, { anchors: [{ fingerprint: master.fingerprint }] });
const outcomes = new Map<string, number>();
for (const action of actions) {
  const result = evaluator.evaluate(action);
  const key = result.ok ? 'ok' : result.rule;
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
}
const evalMs = performance.now() - t0;

t0 = performance.now();
const statuses = computeRevocations(graph, { anchors: [{ fingerprint: master.fingerprint }] });
const revMs = performance.now() - t0;

console.log(`graph: ${declarations.length} delegations/revocations + ${actions.length} declarations, indexed in ${buildMs.toFixed(0)} ms`);
console.log(`evaluate: ${actions.length} declarations in ${evalMs.toFixed(0)} ms = ${Math.round(actions.length / (evalMs / 1000))} declarations/s`);
console.log(`outcomes: ${[...outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}`);
console.log(`computeRevocations: ${statuses.length} statuses (${statuses.filter((s) => s.is_revoked).length} revoked) in ${revMs.toFixed(0)} ms`);
