// Real keys and real signatures for the authority tests: every declaration is built with the declaration core, signed
// with a real Nostr (BIP-340) or Ed25519 key, and its `cryptoValid` flag is what the real verifier says about it.

import { randomBytes, randomUUID } from 'node:crypto';
import { buildContent, buildSignedData } from '../../../electron/core/declaration/build';
import { defaultBackend } from '../../../electron/core/declaration/backend';
import { checkSignedDeclaration, detachedCountersignatureProblem } from '../../../electron/core/declaration/checks';
import { countersignDetached } from '../../../electron/core/declaration/countersign';
import { signedDataOf, signedDataSha256 } from '../../../electron/core/declaration/format3';
import { signDetached, signWithNostr } from '../../../electron/core/declaration/sign';
import { toUnixSeconds } from '../../../electron/core/declaration/timestamp';
import type { DeclarationType, JsonValue, SignedDataWithSignature } from '../../../electron/core/declaration/types';
import { generatePrivateKey, keyMaterialFromPrivate } from '../../../electron/core/keys';
import type { AuthorityDeclaration } from '../../../electron/core/authority';

export interface TestKey {
  name: string;
  algorithm: 'nostr' | 'ed25519';
  privateKey: Uint8Array;
  publicKeyHex: string;
  fingerprint: string;
  canonicalName: string;
}

export function makeKey(name: string, algorithm: 'nostr' | 'ed25519' = 'nostr'): TestKey {
  const material = keyMaterialFromPrivate(algorithm, generatePrivateKey(algorithm, randomBytes));
  return {
    name,
    algorithm,
    privateKey: material.privateKey!,
    publicKeyHex: material.publicKeyHex,
    fingerprint: material.fingerprint,
    canonicalName: material.canonicalName,
  };
}

export const ALL = ['grant-privileges', 'revoke', 'moderate', 'manage-metadata', 'control'];

export interface DeclareArgs {
  issuer: TestKey;
  subject: TestKey;
  type: DeclarationType;
  content: { [key: string]: JsonValue };
  signedAt: string;
  validUntil?: string | null;
  uuid?: string;
  originalUuid?: string;
  contentVersion?: number;
  /** Ed25519 keys that countersign; a key listed twice countersigns twice. */
  countersigners?: TestKey[];
}

export interface Declared extends AuthorityDeclaration {
  format3: SignedDataWithSignature;
}

/** Builds, signs and verifies one declaration; content gets `content_schema_version: 1` unless it sets its own. */
export function declare(args: DeclareArgs): Declared {
  const content = buildContent(args.type, { content_schema_version: 1, ...args.content });
  const signedData = buildSignedData({
    declarationUuid: args.uuid ?? randomUUID(),
    content,
    contentVersion: args.contentVersion,
    originalDeclarationUuid: args.originalUuid ?? null,
    signer: { algorithm: args.issuer.algorithm, publicKeyHex: args.issuer.publicKeyHex },
    target: { algorithm: args.subject.algorithm, publicKeyHex: args.subject.publicKeyHex },
    validFrom: args.signedAt,
    validUntil: args.validUntil ?? null,
    signingTimestamp: args.signedAt,
  });
  const format3 =
    args.issuer.algorithm === 'nostr'
      ? signWithNostr({ signedData, nostrPrivateKey: args.issuer.privateKey })
      : signDetached({ signedData, algorithm: 'ed25519', privateKey: args.issuer.privateKey });
  return { ...verified(format3), countersignerFingerprints: countersign(format3, args.countersigners ?? []) };
}

/** What the real verifier says about a Format 3 (possibly tampered with). */
export function verified(format3: SignedDataWithSignature): Declared {
  const cryptoValid = checkSignedDeclaration(format3, defaultBackend).every((check) => check.ok);
  return { format3, signedData: signedDataOf(format3), cryptoValid, countersignerFingerprints: [] };
}

function countersign(format3: SignedDataWithSignature, keys: TestKey[]): string[] {
  const context = { signedData: signedDataOf(format3), signedDataSha256: signedDataSha256(format3) };
  const wrapperCreatedAt = toUnixSeconds(format3.signing_timestamp) + 3600;
  return keys.map((key) => {
    if (key.algorithm !== 'ed25519') throw new Error('test countersigners are Ed25519 keys');
    const cs = countersignDetached({
      format3,
      algorithm: 'ed25519',
      privateKey: key.privateKey,
      publicKeyHex: key.publicKeyHex,
      signedAt: format3.signing_timestamp,
    });
    const problem = detachedCountersignatureProblem(cs, context, wrapperCreatedAt, defaultBackend.verifyDigest);
    if (problem !== undefined) throw new Error(`countersignature did not verify: ${problem}`);
    return cs.fingerprint;
  });
}

export const trust = (trust_level: string, permissions: string[] = ALL, scope: JsonValue = '*') => ({ trust_level, permissions, scope });
export const ns = (...namespaces: string[]) => ({ namespaces });
