// Prints sign / verify throughput of the declaration core per algorithm, bundle verification, and plain
// nostr-tools verifyEvent on fresh parses, in one run. Figures, not assertions.
// Run from the repository root (the bundle must sit under it to resolve node_modules):
//   npx esbuild bench/verify.ts --bundle --platform=node --format=esm --packages=external \
//     --outfile=node_modules/.cache/declsign/verify-bench.mjs && node node_modules/.cache/declsign/verify-bench.mjs

import { generateKeyPairSync } from 'node:crypto';
import { verifyEvent } from 'nostr-tools/pure';
import {
  buildBundle,
  countersignDetached,
  countersignWithNostr,
  signDetached,
  signWithNostr,
  verifyDeclaration,
  wrap,
  type SignedData,
} from '../electron/core/declaration';
import { keyMaterialFromPrivate } from '../electron/core/keys';
import type { KeyMaterial } from '../electron/core/keys/types';
import { VECTOR_TIMES, VECTOR_UUID_ED25519, vectorKeys, vectorSignedData } from '../tests/vectors/scenario';

const AT = '2025-06-01T00:00:00Z';
const keys = vectorKeys();
const rsa = keyMaterialFromPrivate(
  'rsa',
  Uint8Array.from(generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { format: 'der', type: 'pkcs8' }, publicKeyEncoding: { format: 'der', type: 'spki' } }).privateKey),
);

function rate(label: string, fn: () => unknown, seconds = 1): void {
  fn(); // warm up
  let n = 0;
  const start = process.hrtime.bigint();
  const limit = BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() - start < limit) {
    fn();
    n++;
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`${label.padEnd(58)} ${(n / elapsed).toFixed(0).padStart(8)} /s  (${n} in ${elapsed.toFixed(2)} s)`);
}

function assertValid(text: string): void {
  const report = verifyDeclaration(text, { at: AT });
  if (!report.valid) throw new Error(`bench input does not verify: ${JSON.stringify(report.checks.filter((c) => !c.ok))}`);
}

console.log(`node ${process.version}, ${new Date().toISOString()}\n`);

// Signing: Format 2 → Format 3.
const nostrData = vectorSignedData(VECTOR_UUID_ED25519, keys.nostrIssuer, keys.nostrTarget);
rate('sign nostr (primary event, incl. input checks)', () => signWithNostr({ signedData: nostrData, nostrPrivateKey: keys.nostrIssuer.privateKey! }));
const detachedSigners: [string, KeyMaterial][] = [
  ['ed25519', keys.ed25519Issuer],
  ['rsa', rsa],
  ['ml-dsa-65', keys.mlDsaIssuer],
];
const signedDataOf = new Map<string, SignedData>();
for (const [name, key] of detachedSigners) {
  const signedData = vectorSignedData(VECTOR_UUID_ED25519, key, keys.nostrTarget);
  signedDataOf.set(name, signedData);
  rate(`sign ${name} (incl. input checks + self-verify)`, () =>
    signDetached({ signedData, algorithm: key.algorithm as 'ed25519', privateKey: key.privateKey! }),
  );
}
console.log('');

// Verification of one carrier per algorithm, always from text.
const nostrF3 = signWithNostr({ signedData: nostrData, nostrPrivateKey: keys.nostrIssuer.privateKey! });
const primaryText = JSON.stringify(nostrF3.nostr_event);
assertValid(primaryText);
rate('verify nostr-signed declaration (primary event)', () => verifyDeclaration(primaryText, { at: AT }));
for (const [name, key] of detachedSigners) {
  const format3 = signDetached({ signedData: signedDataOf.get(name)!, algorithm: key.algorithm as 'ed25519', privateKey: key.privateKey! });
  const wrapper = wrap({ format3, countersignatures: [], wrapperPrivateKey: keys.nostrWrapper.privateKey!, createdAt: VECTOR_TIMES.wrapCreatedAt });
  const text = JSON.stringify(wrapper);
  assertValid(text);
  rate(`verify ${name}-signed declaration (wrapper event)`, () => verifyDeclaration(text, { at: AT }));
}
console.log('');

// A full bundle: Ed25519 declaration, wrapper with a detached Ed25519 countersignature, a Nostr countersignature.
const edF3 = signDetached({ signedData: signedDataOf.get('ed25519')!, algorithm: 'ed25519', privateKey: keys.ed25519Issuer.privateKey! });
const detached = countersignDetached({
  format3: edF3,
  algorithm: 'ed25519',
  privateKey: keys.ed25519Countersigner.privateKey!,
  publicKeyHex: keys.ed25519Countersigner.publicKeyHex,
  signedAt: VECTOR_TIMES.countersignedAt,
});
const nostrCountersignature = countersignWithNostr({ format3: edF3, nostrPrivateKey: keys.nostrCountersigner.privateKey!, createdAt: VECTOR_TIMES.nostrCountersignCreatedAt });
const wrapper = wrap({ format3: edF3, countersignatures: [detached], wrapperPrivateKey: keys.nostrWrapper.privateKey!, createdAt: VECTOR_TIMES.wrapCreatedAt });
const bundleText = JSON.stringify(buildBundle({ declarationUuid: VECTOR_UUID_ED25519, events: [wrapper, nostrCountersignature] }));
assertValid(bundleText);
rate(`verify bundle (2 events, 4 signatures, ${bundleText.length} bytes)`, () => verifyDeclaration(bundleText, { at: AT }));
console.log('');

// Baseline: nostr-tools verifyEvent on a fresh parse (no cached verification symbol) of the same primary event.
rate('nostr-tools verifyEvent(JSON.parse(primary event))', () => {
  if (!verifyEvent(JSON.parse(primaryText))) throw new Error('baseline failed');
});
