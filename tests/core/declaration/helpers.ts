// Complete signed declarations built through the public API, for the flow and tampering tests.

import { buildBundle, countersignDetached, countersignWithNostr, signDetached, signWithNostr, wrap } from '../../../electron/core/declaration';
import { VECTOR_TIMES, VECTOR_UUID_ED25519, VECTOR_UUID_NOSTR, vectorKeys, vectorSignedData } from '../../vectors/scenario';

export const AT = '2025-06-01T00:00:00Z';
export const keys = vectorKeys();

/** Nostr-signed declaration with a Nostr countersignature (no wrapper needed). */
export function nostrSignedBundle() {
  const signedData = vectorSignedData(VECTOR_UUID_NOSTR, keys.nostrIssuer, keys.nostrTarget);
  const format3 = signWithNostr({ signedData, nostrPrivateKey: keys.nostrIssuer.privateKey! });
  const countersignature = countersignWithNostr({
    format3,
    nostrPrivateKey: keys.nostrCountersigner.privateKey!,
    createdAt: VECTOR_TIMES.nostrCountersignCreatedAt,
  });
  const bundle = buildBundle({ declarationUuid: VECTOR_UUID_NOSTR, events: [format3.nostr_event!, countersignature] });
  return { signedData, format3, countersignature, bundle };
}

/** Ed25519-signed declaration, wrapped with a detached Ed25519 countersignature, plus a Nostr countersignature. */
export function ed25519WrappedBundle() {
  const signedData = vectorSignedData(VECTOR_UUID_ED25519, keys.ed25519Issuer, keys.nostrTarget);
  const format3 = signDetached({ signedData, algorithm: 'ed25519', privateKey: keys.ed25519Issuer.privateKey! });
  const detached = countersignDetached({
    format3,
    algorithm: 'ed25519',
    privateKey: keys.ed25519Countersigner.privateKey!,
    publicKeyHex: keys.ed25519Countersigner.publicKeyHex,
    signedAt: VECTOR_TIMES.countersignedAt,
  });
  const nostrCountersignature = countersignWithNostr({
    format3,
    nostrPrivateKey: keys.nostrCountersigner.privateKey!,
    createdAt: VECTOR_TIMES.nostrCountersignCreatedAt,
  });
  const wrapper = wrap({
    format3,
    countersignatures: [detached],
    wrapperPrivateKey: keys.nostrWrapper.privateKey!,
    createdAt: VECTOR_TIMES.wrapCreatedAt,
    nostrCountersignerPubkeys: [keys.nostrCountersigner.publicKeyHex],
  });
  const bundle = buildBundle({
    declarationUuid: VECTOR_UUID_ED25519,
    events: [wrapper, nostrCountersignature],
    declaration: { declaration_uuid: VECTOR_UUID_ED25519, status: 'Published', nostr_publish_status: 'published' },
  });
  return { signedData, format3, detached, nostrCountersignature, wrapper, bundle };
}
