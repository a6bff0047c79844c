// Key import from untrusted input. Detects the format, decrypts when needed, validates the key and
// returns the canonical byte layouts of ./types.ts. Every failure is a DeclsignError:
// `invalid_key` (unreadable, truncated, weak or inconsistent), `wrong_key_password` (encrypted and
// the password is missing or wrong), `unsupported_algorithm` (a real key of a type we do not sign with).

import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { decode as decodeNip19 } from 'nostr-tools/nip19';
import { DeclsignError, isDeclsignError } from '../errors';
import { ed25519PublicKeyFromSeed, ed25519RawFromKeyObject, isValidEd25519PublicKey, ED25519_KEY_BYTES } from './ed25519';
import { ML_DSA_65_PUBLIC_KEY_BYTES, ML_DSA_65_SECRET_KEY_BYTES, mlDsa65PublicKeyFromSecret } from './ml-dsa';
import { decryptNcryptsec } from './nip49';
import { NOSTR_KEY_BYTES, isValidNostrPublicKey, nostrPublicKeyFromSecret } from './nostr-key';
import { isSingleDerValue, looksLikePem, parsePem, toPem, type PemBlock } from './pem';
import { looksLikePkcs12, privateKeyInfoFromPkcs12 } from './pkcs12';
import { rsaCanonicalFromPrivate, rsaCanonicalPublic } from './rsa';
import { KEY_ALGORITHMS, type KeyAlgorithm } from './types';

export type KeySourceFormat =
  | 'nostr-secret-hex'
  | 'nsec'
  | 'ncryptsec'
  | 'npub'
  | 'ed25519-public-hex'
  | 'pkcs8-pem'
  | 'encrypted-pkcs8-pem'
  | 'pkcs1-pem'
  | 'encrypted-pkcs1-pem'
  | 'spki-pem'
  | 'pkcs1-public-pem'
  | 'pkcs8-der'
  | 'spki-der'
  | 'pkcs12'
  | 'ml-dsa-65-secret'
  | 'ml-dsa-65-public';

export interface ImportKeyInput {
  /** Text (PEM, bech32, hex, base64) or file bytes (PKCS#12, DER, raw ML-DSA, or text as bytes). */
  data: string | Uint8Array;
  password?: string;
  /** Needed where the input alone is ambiguous (64 hex characters); otherwise checked against the key. */
  algorithm?: KeyAlgorithm;
}

export interface ImportedKey {
  algorithm: KeyAlgorithm;
  publicKey: Uint8Array;
  privateKey?: Uint8Array;
  sourceFormat: KeySourceFormat;
  /** The NIP-49 key-security byte of an imported ncryptsec (0 insecure, 1 secure, 2 unknown). */
  nip49KeySecurityByte?: number;
}

export const ACCEPTED_KEY_FORMATS =
  'Nostr: nsec1…, ncryptsec1… (with password), npub1…, 64-hex secret (with algorithm nostr); ' +
  'Ed25519: PKCS#8 PEM, encrypted PKCS#8 PEM, SPKI PEM, 64-hex public key (with algorithm ed25519); ' +
  'RSA ≥ 2048 bits: PKCS#1 or PKCS#8 PEM (plain or encrypted), SPKI or PKCS#1 public PEM, PKCS#12 (.p12/.pfx, bytes or base64); ' +
  'ML-DSA-65: 4032-byte secret key or 1952-byte public key as hex, base64 or raw bytes';

const MAX_INPUT_BYTES = 1 << 20;

interface Context {
  password: string | undefined;
  hint: KeyAlgorithm | undefined;
}

export function importKey(input: ImportKeyInput): ImportedKey {
  const context = checkInput(input);
  try {
    const imported = typeof input.data === 'string' ? importText(input.data, context) : importBytes(input.data, context);
    if (context.hint !== undefined && imported.algorithm !== context.hint) {
      throw new DeclsignError('invalid_key', `Expected a ${context.hint} key, but this is a ${imported.algorithm} key.`);
    }
    return imported;
  } catch (error) {
    if (isDeclsignError(error)) throw error;
    // Parsers of hostile input fail in ways we cannot enumerate; none of them is a bug of ours.
    throw new DeclsignError('invalid_key', `The key could not be read (${error instanceof Error ? error.message : String(error)}).`);
  }
}

function checkInput(input: ImportKeyInput): Context {
  if (typeof input !== 'object' || input === null) throw new DeclsignError('invalid_input', 'importKey needs {data, password?, algorithm?}.');
  const { data, password, algorithm } = input;
  if (typeof data !== 'string' && !(data instanceof Uint8Array)) throw new DeclsignError('invalid_input', 'Key data must be a string or bytes.');
  if ((typeof data === 'string' ? Buffer.byteLength(data) : data.length) > MAX_INPUT_BYTES) {
    throw new DeclsignError('content_too_large', `Key data larger than ${MAX_INPUT_BYTES} bytes is refused.`);
  }
  if (password !== undefined && typeof password !== 'string') throw new DeclsignError('invalid_input', 'The key password must be a string.');
  if (algorithm !== undefined && !KEY_ALGORITHMS.includes(algorithm)) {
    throw new DeclsignError('unsupported_algorithm', `Unknown key algorithm: ${String(algorithm)}.`);
  }
  return { password, hint: algorithm };
}

// ---- text --------------------------------------------------------------------------------------

const HEX = /^[0-9a-fA-F]+$/;
const HEX_KEY_LENGTHS = new Set([2 * NOSTR_KEY_BYTES, 2 * ML_DSA_65_SECRET_KEY_BYTES, 2 * ML_DSA_65_PUBLIC_KEY_BYTES]);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function importText(raw: string, context: Context): ImportedKey {
  const text = raw.replace(/^\uFEFF/, '').trim();
  if (looksLikePem(text)) return importPem(parsePem(text), context);
  const lower = text.toLowerCase();
  if (lower.startsWith('ncryptsec1')) {
    const { secretKey, keySecurityByte } = decryptNcryptsec(lower, context.password);
    return { ...nostrFromSecret(secretKey, 'ncryptsec'), nip49KeySecurityByte: keySecurityByte };
  }
  if (lower.startsWith('nsec1') || lower.startsWith('npub1')) return importNip19(lower);
  if (HEX.test(text) && HEX_KEY_LENGTHS.has(text.length)) return importHex(text.toLowerCase(), context);
  const compact = text.replace(/\s+/g, '');
  if (compact.length > 0 && BASE64.test(compact)) return importBytes(Uint8Array.from(Buffer.from(compact, 'base64')), context);
  throw unrecognised();
}

function importNip19(code: string): ImportedKey {
  let decoded: ReturnType<typeof decodeNip19>;
  try {
    decoded = decodeNip19(code);
  } catch {
    throw new DeclsignError('invalid_key', 'The nsec/npub string is not valid bech32 (mistyped or truncated?).');
  }
  if (decoded.type === 'nsec') return nostrFromSecret(decoded.data, 'nsec');
  if (decoded.type === 'npub') {
    const publicKey = Uint8Array.from(Buffer.from(decoded.data, 'hex'));
    if (!isValidNostrPublicKey(publicKey)) throw new DeclsignError('invalid_key', 'The npub is not a point on secp256k1.');
    return { algorithm: 'nostr', publicKey, sourceFormat: 'npub' };
  }
  throw unrecognised();
}

function nostrFromSecret(secretKey: Uint8Array, sourceFormat: KeySourceFormat): ImportedKey {
  if (secretKey.length !== NOSTR_KEY_BYTES) throw new DeclsignError('invalid_key', `A Nostr secret key is 32 bytes; got ${secretKey.length}.`);
  return { algorithm: 'nostr', publicKey: nostrPublicKeyFromSecret(secretKey), privateKey: Uint8Array.from(secretKey), sourceFormat };
}

function importHex(hex: string, context: Context): ImportedKey {
  const bytes = Uint8Array.from(Buffer.from(hex, 'hex'));
  if (bytes.length === NOSTR_KEY_BYTES) {
    if (context.hint === 'nostr') return nostrFromSecret(bytes, 'nostr-secret-hex');
    if (context.hint === 'ed25519') {
      if (!isValidEd25519PublicKey(bytes)) throw new DeclsignError('invalid_key', 'The 32 bytes are not a valid Ed25519 public key.');
      return { algorithm: 'ed25519', publicKey: bytes, sourceFormat: 'ed25519-public-hex' };
    }
    throw new DeclsignError(
      'invalid_key',
      '64 hex characters are ambiguous: pass algorithm "nostr" for a Nostr secret key or "ed25519" for an Ed25519 public key.',
    );
  }
  const mlDsa = importMlDsaRaw(bytes);
  if (mlDsa !== null) return mlDsa;
  throw unrecognised();
}

// ---- bytes -------------------------------------------------------------------------------------

function importBytes(bytes: Uint8Array, context: Context): ImportedKey {
  if (isText(bytes)) return importText(Buffer.from(bytes).toString('utf8'), context);
  const mlDsa = importMlDsaRaw(bytes);
  if (mlDsa !== null) return mlDsa;
  if (looksLikePkcs12(bytes)) {
    return fromPrivateKeyObject(derPrivateKey(privateKeyInfoFromPkcs12(bytes, context.password), 'PKCS#12'), 'pkcs12');
  }
  if (isSingleDerValue(bytes)) {
    const privateKey = tryParse(() => createPrivateKey({ key: Buffer.from(bytes), format: 'der', type: 'pkcs8' }));
    if (privateKey !== null) return fromPrivateKeyObject(privateKey, 'pkcs8-der');
    const publicKey = tryParse(() => createPublicKey({ key: Buffer.from(bytes), format: 'der', type: 'spki' }));
    if (publicKey !== null) return fromPublicKeyObject(publicKey, 'spki-der');
  }
  throw unrecognised();
}

/** Key files saved as text and handed over as bytes (PEM, hex, bech32, base64). */
function isText(bytes: Uint8Array): boolean {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0; // UTF-8 BOM
  if (bytes.length <= start) return false;
  for (let i = start; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (!(byte === 0x09 || byte === 0x0a || byte === 0x0d || (byte >= 0x20 && byte < 0x7f))) return false;
  }
  return true;
}

function importMlDsaRaw(bytes: Uint8Array): ImportedKey | null {
  if (bytes.length === ML_DSA_65_SECRET_KEY_BYTES) {
    return { algorithm: 'ml-dsa-65', publicKey: mlDsa65PublicKeyFromSecret(bytes), privateKey: Uint8Array.from(bytes), sourceFormat: 'ml-dsa-65-secret' };
  }
  if (bytes.length === ML_DSA_65_PUBLIC_KEY_BYTES) {
    return { algorithm: 'ml-dsa-65', publicKey: Uint8Array.from(bytes), sourceFormat: 'ml-dsa-65-public' };
  }
  return null;
}

// ---- PEM ---------------------------------------------------------------------------------------

function importPem(block: PemBlock, context: Context): ImportedKey {
  const der = Buffer.from(block.der);
  switch (block.label) {
    case 'PRIVATE KEY':
      return fromPrivateKeyObject(derPrivateKey(block.der, 'PKCS#8 PEM'), 'pkcs8-pem');
    case 'ENCRYPTED PRIVATE KEY':
      return fromPrivateKeyObject(
        decryptWith(context.password, 'encrypted PKCS#8 PEM', (passphrase) => createPrivateKey({ key: der, format: 'der', type: 'pkcs8', passphrase })),
        'encrypted-pkcs8-pem',
      );
    case 'RSA PRIVATE KEY':
      if (/ENCRYPTED/.test(block.headers['Proc-Type'] ?? '')) {
        const pem = toPem(block.label, block.der, block.headers);
        return fromPrivateKeyObject(
          decryptWith(context.password, 'encrypted PKCS#1 PEM', (passphrase) => createPrivateKey({ key: pem, format: 'pem', passphrase })),
          'encrypted-pkcs1-pem',
        );
      }
      return fromPrivateKeyObject(parseOrInvalid('PKCS#1 PEM', () => createPrivateKey({ key: der, format: 'der', type: 'pkcs1' })), 'pkcs1-pem');
    case 'PUBLIC KEY':
      return fromPublicKeyObject(parseOrInvalid('SPKI PEM', () => createPublicKey({ key: der, format: 'der', type: 'spki' })), 'spki-pem');
    case 'RSA PUBLIC KEY':
      return fromPublicKeyObject(parseOrInvalid('PKCS#1 public PEM', () => createPublicKey({ key: der, format: 'der', type: 'pkcs1' })), 'pkcs1-public-pem');
    case 'CERTIFICATE':
      throw new DeclsignError('invalid_key', 'This is a certificate, not a key. Import its public key (openssl x509 -pubkey -noout) or the private key file.');
    default:
      throw new DeclsignError('invalid_key', `PEM "${block.label}" is not an accepted key format. Accepted: ${ACCEPTED_KEY_FORMATS}.`);
  }
}

function derPrivateKey(pkcs8: Uint8Array, what: string): KeyObject {
  return parseOrInvalid(what, () => createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }));
}

function parseOrInvalid(what: string, parse: () => KeyObject): KeyObject {
  const key = tryParse(parse);
  if (key === null) throw new DeclsignError('invalid_key', `The ${what} is corrupt or holds a key type OpenSSL cannot read.`);
  return key;
}

function tryParse(parse: () => KeyObject): KeyObject | null {
  try {
    return parse();
  } catch {
    return null;
  }
}

/**
 * The PEM's armour and DER length were checked before we get here, so a decryption failure means a
 * wrong password — except when OpenSSL reports that it cannot run the cipher at all.
 */
function decryptWith(password: string | undefined, what: string, parse: (passphrase: string) => KeyObject): KeyObject {
  if (password === undefined || password === '') throw new DeclsignError('wrong_key_password', `This ${what} key is password-protected: a password is required.`);
  try {
    return parse(password);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_OSSL_EVP_UNSUPPORTED')) {
      throw new DeclsignError('invalid_key', `The ${what} uses an encryption scheme OpenSSL cannot read here; re-encrypt it with AES-256 (PBES2).`);
    }
    throw new DeclsignError('wrong_key_password', `Wrong password for this ${what} key.`);
  }
}

// ---- KeyObject → canonical bytes ------------------------------------------------------------------

function fromPrivateKeyObject(key: KeyObject, sourceFormat: KeySourceFormat): ImportedKey {
  switch (key.asymmetricKeyType) {
    case 'ed25519': {
      const { seed } = ed25519RawFromKeyObject(key);
      if (seed === undefined || seed.length !== ED25519_KEY_BYTES) throw new DeclsignError('invalid_key', 'The Ed25519 private key has no 32-byte seed.');
      return { algorithm: 'ed25519', publicKey: ed25519PublicKeyFromSeed(seed), privateKey: seed, sourceFormat };
    }
    case 'rsa': {
      const { privateKey, publicKey } = rsaCanonicalFromPrivate(key);
      return { algorithm: 'rsa', publicKey, privateKey, sourceFormat };
    }
    default:
      throw unsupportedKeyType(key);
  }
}

function fromPublicKeyObject(key: KeyObject, sourceFormat: KeySourceFormat): ImportedKey {
  switch (key.asymmetricKeyType) {
    case 'ed25519': {
      const { publicKey } = ed25519RawFromKeyObject(key);
      if (!isValidEd25519PublicKey(publicKey)) throw new DeclsignError('invalid_key', 'The Ed25519 public key is not a valid curve point.');
      return { algorithm: 'ed25519', publicKey, sourceFormat };
    }
    case 'rsa':
      return { algorithm: 'rsa', publicKey: rsaCanonicalPublic(key), sourceFormat };
    default:
      throw unsupportedKeyType(key);
  }
}

function unsupportedKeyType(key: KeyObject): DeclsignError {
  return new DeclsignError(
    'unsupported_algorithm',
    `${key.asymmetricKeyType ?? 'This'} keys are not supported; we sign with Nostr (secp256k1 BIP-340), Ed25519, RSA and ML-DSA-65.`,
  );
}

function unrecognised(): DeclsignError {
  return new DeclsignError('invalid_key', `Unrecognised key format. Accepted: ${ACCEPTED_KEY_FORMATS}.`);
}
