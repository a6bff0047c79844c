// Real signed declarations for the import tests and bench: Nostr-signed, Ed25519- and RSA-wrapped, a third of them
// countersigned (a Nostr countersignature event, or a detached Ed25519 countersignature inside the wrapper).

import { generateKeyPairSync, randomUUID } from 'node:crypto';
import {
  buildSignedData,
  countersignDetached,
  countersignWithNostr,
  defaultBackend,
  signDetached,
  signWithNostr,
  wrap,
  type DeclarationContent,
  type NostrEvent,
  type SignedDataWithSignature,
} from '../../electron/core/declaration';
import { keyMaterialFromPrivate } from '../../electron/core/keys';
import type { KeyMaterial } from '../../electron/core/keys/types';
import { VECTOR_CONTENT, vectorKey, vectorKeys } from '../vectors/scenario';

export const keys = vectorKeys();
let rsaKey: KeyMaterial | undefined;
export function rsaIssuer(): KeyMaterial {
  rsaKey ??= keyMaterialFromPrivate(
    'rsa',
    Uint8Array.from(
      generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { format: 'der', type: 'pkcs8' }, publicKeyEncoding: { format: 'der', type: 'spki' } }).privateKey,
    ),
  );
  return rsaKey;
}

export const VALID_FROM = '2025-01-01T00:00:00Z';
export const SIGNED_AT = '2025-01-15T12:00:00Z';
const SIGNED_AT_UNIX = Date.parse(SIGNED_AT) / 1000;

export type Kind = 'nostr' | 'ed25519' | 'rsa';

export interface BuiltDeclaration {
  uuid: string;
  kind: Kind;
  countersigned: boolean;
  format3: SignedDataWithSignature;
  /** Every event to publish, carrier first. */
  events: NostrEvent[];
}

export interface BuildOptions {
  uuid?: string;
  countersigned?: boolean;
  /** Signer override (nostr kind): another Nostr key. */
  nostrSigner?: KeyMaterial;
  /** Seconds added to the signing time (a different, later statement). */
  later?: number;
  backend?: typeof defaultBackend;
  /** Format 1 content instead of the vectors' trust declaration (e.g. a revocation: buildContent from the core). */
  content?: DeclarationContent;
}

export function buildDeclaration(kind: Kind, options: BuildOptions = {}): BuiltDeclaration {
  const backend = options.backend ?? defaultBackend;
  const uuid = options.uuid ?? randomUUID();
  const signer = kind === 'nostr' ? (options.nostrSigner ?? keys.nostrIssuer) : kind === 'ed25519' ? keys.ed25519Issuer : rsaIssuer();
  const signingTimestamp = new Date((SIGNED_AT_UNIX + (options.later ?? 0)) * 1000).toISOString().replace('.000Z', 'Z');
  const signedData = buildSignedData({
    declarationUuid: uuid,
    content: options.content ?? VECTOR_CONTENT,
    signer: { algorithm: signer.algorithm, publicKeyHex: signer.publicKeyHex },
    target: { algorithm: 'nostr', publicKeyHex: keys.nostrTarget.publicKeyHex, keypairUuid: null },
    validFrom: VALID_FROM,
    validUntil: null,
    signingTimestamp,
  });
  const countersigned = options.countersigned ?? false;
  if (kind === 'nostr') {
    const format3 = signWithNostr({ signedData, nostrPrivateKey: signer.privateKey! });
    const events = [format3.nostr_event!];
    if (countersigned) {
      events.push(countersignWithNostr({ format3, nostrPrivateKey: keys.nostrCountersigner.privateKey!, createdAt: SIGNED_AT_UNIX + (options.later ?? 0) + 60, backend }));
    }
    return { uuid, kind, countersigned, format3, events };
  }
  const format3 = signDetached({ signedData, algorithm: kind, privateKey: signer.privateKey!, backend });
  const detached = countersigned
    ? [
        countersignDetached({
          format3,
          algorithm: 'ed25519',
          privateKey: keys.ed25519Countersigner.privateKey!,
          publicKeyHex: keys.ed25519Countersigner.publicKeyHex,
          signedAt: signingTimestamp,
          backend,
        }),
      ]
    : [];
  const wrapper = wrap({ format3, countersignatures: detached, wrapperPrivateKey: keys.nostrWrapper.privateKey!, createdAt: SIGNED_AT_UNIX + (options.later ?? 0) + 120, backend });
  return { uuid, kind, countersigned, format3, events: [wrapper] };
}

/** `count` declarations cycling Nostr / Ed25519 / RSA; every third round is countersigned. Each is signed a second
 *  after the previous one, so a relay can page through them with `until`. */
export function mixedDeclarations(count: number, backend?: typeof defaultBackend): BuiltDeclaration[] {
  const kinds: Kind[] = ['nostr', 'ed25519', 'rsa'];
  return Array.from({ length: count }, (_, i) =>
    buildDeclaration(kinds[i % 3]!, { countersigned: Math.floor(i / 3) % 3 === 0, later: i, ...(backend ? { backend } : {}) }),
  );
}

/** A second Nostr signer, for declarations that must not collide with the issuer's slot. */
export const otherNostrSigner = vectorKey('nostr', 'import-other-signer');

/** A copy of an event with one content character changed (id and signature left as they were). */
export function tampered(event: NostrEvent): NostrEvent {
  const at = event.content.indexOf('operating-admin');
  return { ...event, content: `${event.content.slice(0, at)}master-admin!!!${event.content.slice(at + 'operating-admin'.length)}` };
}
