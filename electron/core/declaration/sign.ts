// Format 3: signing Format 2 with the issuer's key. Nostr keys sign the primary kind-31106 event whose content is
// JCS(Format 2); every other algorithm signs the 32 raw bytes of SHA-256(JCS(Format 2)).

import { canonicalJson, sha256Bytes, sha256Hex } from '../canonical';
import { DeclsignError } from '../errors';
import { bytesToHex, hexToBytes } from '../hex';
import type { KeyAlgorithm } from '../keys/types';
import { defaultBackend, type DigestBackend } from './backend';
import { assertValid, checkSignedData } from './checks';
import { declarationAlt, declarationTags, nostrPublicKeyOf, signDeclarationEvent } from './nostr-event';
import { toUnixSeconds } from './timestamp';
import { nostrFormat3 } from './format3';
import type { SignedData, SignedDataWithSignature } from './types';

/** Signs Format 2 with the issuer's Nostr key: the primary event, created at the signing timestamp. */
export function signWithNostr(args: { signedData: SignedData; nostrPrivateKey: Uint8Array }): SignedDataWithSignature {
  const { signedData } = args;
  assertValid(checkSignedData(signedData), 'signed data');
  if (signedData.signing_keypair_algorithm !== 'nostr') {
    throw new DeclsignError('signer_mismatch', `the signing key is ${signedData.signing_keypair_algorithm}, not nostr`);
  }
  if (nostrPublicKeyOf(args.nostrPrivateKey) !== signedData.signing_keypair_public_key) {
    throw new DeclsignError('signer_mismatch', 'the Nostr private key does not belong to signing_keypair_public_key');
  }
  const event = signDeclarationEvent(args.nostrPrivateKey, {
    created_at: toUnixSeconds(signedData.signing_timestamp),
    tags: declarationTags(signedData.declaration_uuid, signedData.declaration_type, declarationAlt(signedData)),
    content: canonicalJson(signedData, 'signed data'),
  });
  return nostrFormat3(signedData, event);
}

/** Signs Format 2 with an Ed25519, RSA or ML-DSA-65 key; the signature is checked against the declared public key. */
export function signDetached(args: {
  signedData: SignedData;
  algorithm: Exclude<KeyAlgorithm, 'nostr'>;
  privateKey: Uint8Array;
  backend?: DigestBackend;
}): SignedDataWithSignature {
  const { signedData, algorithm, backend = defaultBackend } = args;
  assertValid(checkSignedData(signedData), 'signed data');
  if (signedData.signing_keypair_algorithm !== algorithm) {
    throw new DeclsignError('signer_mismatch', `signed data names a ${signedData.signing_keypair_algorithm} signer, not ${algorithm}`);
  }
  const canonical = canonicalJson(signedData, 'signed data');
  const digest = sha256Bytes(canonical);
  const signature = backend.signDigest(algorithm, args.privateKey, digest);
  // Signing with the wrong key would otherwise yield a declaration that can never verify; checking here also
  // catches a faulty signer before its output leaves the process.
  if (!backend.verifyDigest(algorithm, hexToBytes(signedData.signing_keypair_public_key), digest, signature)) {
    throw new DeclsignError('signer_mismatch', 'the private key does not belong to signing_keypair_public_key');
  }
  return {
    ...signedData,
    signature: {
      algorithm,
      canonical_name: signedData.signing_keypair_canonical_name,
      fingerprint: signedData.signing_keypair_fingerprint,
      signature_hash_algorithm: 'SHA-256',
      signature_hash_value: sha256Hex(canonical),
      digital_signature: bytesToHex(signature),
      signed_at: signedData.signing_timestamp,
    },
  };
}
