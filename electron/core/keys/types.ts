// The key model shared by the core, the store and the operations.
// Byte layouts are normative: devdocs/declaration-format.md §Keys repeats them.

export const KEY_ALGORITHMS = ['nostr', 'ed25519', 'rsa', 'ml-dsa-65'] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

export const KEY_ROLES = ['master-admin', 'operating-admin', 'authorized-admin', 'none'] as const;
export type KeyRole = (typeof KEY_ROLES)[number];

/**
 * Public key bytes per algorithm:
 *  - nostr:     32-byte BIP-340 x-only public key
 *  - ed25519:   32-byte RFC 8032 public key
 *  - rsa:       DER SubjectPublicKeyInfo
 *  - ml-dsa-65: 1952-byte FIPS 204 public key
 * Private key bytes per algorithm (what the vault encrypts):
 *  - nostr:     32-byte secret scalar
 *  - ed25519:   32-byte RFC 8032 seed
 *  - rsa:       DER PKCS#8 PrivateKeyInfo
 *  - ml-dsa-65: 4032-byte FIPS 204 secret key
 */
export interface PublicKeyIdentity {
  algorithm: KeyAlgorithm;
  /** Lowercase hex of the public key bytes above. */
  publicKeyHex: string;
  /** Lowercase hex SHA-256 of the public key bytes. */
  fingerprint: string;
  /** `npub1…` for nostr; `<algorithm>:<fingerprint>` otherwise. */
  canonicalName: string;
}

export interface KeyMaterial extends PublicKeyIdentity {
  /** Present only for keys we can sign with; never leaves the main process. */
  privateKey?: Uint8Array;
}
