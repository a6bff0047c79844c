// NIP-49 `ncryptsec` around nostr-tools' implementation (scrypt + XChaCha20-Poly1305, NFKC passwords).
// We read the header ourselves first: nostr-tools would run scrypt with whatever log_n a hostile
// string names (2^30 × 1 KiB of memory), and we need the key-security byte for the vault.

import { bech32 } from '@scure/base';
import { decrypt, encrypt } from 'nostr-tools/nip49';
import { DeclsignError } from '../errors';
import { assertNostrSecretKey } from './nostr-key';

export type KeySecurityByte = 0 | 1 | 2;

const NCRYPTSEC_BYTES = 91; // 0x02 ‖ log_n ‖ salt(16) ‖ nonce(24) ‖ ksb ‖ ciphertext(32 + 16 tag)
const KSB_OFFSET = 42;
/** scrypt with r = 8 needs 2^log_n KiB: 16 → 64 MiB (the NIP's default), 20 → 1 GiB. */
export const NIP49_MIN_EXPORT_LOG_N = 16;
export const NIP49_MAX_LOG_N = 20;
export const NIP49_DEFAULT_LOG_N = 16;

export interface NcryptsecHeader {
  logN: number;
  keySecurityByte: number;
}

export function readNcryptsecHeader(ncryptsec: string): NcryptsecHeader {
  let bytes: Uint8Array;
  try {
    const { prefix, words } = bech32.decode(ncryptsec as `${string}1${string}`, 5000);
    if (prefix !== 'ncryptsec') throw new Error('prefix');
    bytes = bech32.fromWords(words);
  } catch {
    throw new DeclsignError('invalid_key', 'The ncryptsec string is not valid bech32 (mistyped or truncated?).');
  }
  if (bytes.length !== NCRYPTSEC_BYTES || bytes[0] !== 0x02) {
    throw new DeclsignError('invalid_key', `The ncryptsec is not a NIP-49 version 2 key (${bytes.length} bytes, version ${bytes[0]}).`);
  }
  const logN = bytes[1]!;
  if (logN < 1 || logN > NIP49_MAX_LOG_N) {
    throw new DeclsignError('invalid_key', `The ncryptsec asks for scrypt log_n ${logN}; we accept 1 to ${NIP49_MAX_LOG_N} (at most 1 GiB of memory).`);
  }
  return { logN, keySecurityByte: bytes[KSB_OFFSET]! };
}

export function decryptNcryptsec(ncryptsec: string, password: string | undefined): { secretKey: Uint8Array; keySecurityByte: number } {
  const { keySecurityByte } = readNcryptsecHeader(ncryptsec);
  if (password === undefined || password === '') {
    throw new DeclsignError('wrong_key_password', 'This ncryptsec key is password-protected: a password is required.');
  }
  let secretKey: Uint8Array;
  try {
    secretKey = decrypt(ncryptsec, password);
  } catch {
    // The header and length were checked above, so a failing AEAD tag means the password is wrong.
    throw new DeclsignError('wrong_key_password', 'Wrong password for this ncryptsec key.');
  }
  assertNostrSecretKey(secretKey);
  return { secretKey, keySecurityByte };
}

export function encryptNcryptsec(secretKey: Uint8Array, password: string, logN: number, keySecurityByte: KeySecurityByte): string {
  assertNostrSecretKey(secretKey);
  if (!Number.isInteger(logN) || logN < NIP49_MIN_EXPORT_LOG_N || logN > NIP49_MAX_LOG_N) {
    throw new DeclsignError('invalid_input', `NIP-49 log_n must be an integer from ${NIP49_MIN_EXPORT_LOG_N} to ${NIP49_MAX_LOG_N}; got ${logN}.`);
  }
  if (keySecurityByte !== 0 && keySecurityByte !== 1 && keySecurityByte !== 2) {
    throw new DeclsignError('invalid_input', `The NIP-49 key-security byte is 0, 1 or 2; got ${String(keySecurityByte)}.`);
  }
  return encrypt(secretKey, password, logN, keySecurityByte);
}
