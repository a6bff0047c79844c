// The key vault: one random 32-byte root key encrypts every private key (AES-256-GCM); the root key itself is stored
// only wrapped — today by the passphrase (scrypt → AES-256-GCM), later also by Electron safeStorage (another row of
// root_key_wrappings). Changing the passphrase re-wraps the root key and touches no private key.
//
// Byte layouts (normative):
//   private key AAD  = "declsign/private-key/v1" 0x00 keypair_uuid 0x00 algorithm 0x00 fingerprint   (UTF-8)
//   wrapping AAD     = "declsign/root-key-wrapping/v1" 0x00 store_id 0x00 method                   (UTF-8)
//   root_key_check   = HMAC-SHA256(root key, "declsign/root-key-check/v1")
//   passphrase       = UTF-8 of its NFKC normalisation (the same text typed on another OS unlocks the same vault)

import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { DeclsignError } from '../core/errors';
import type { KeyAlgorithm } from '../core/keys/types';
import { normalizeStamp, prepared, withTransaction } from './database';

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

/** ~0.3 s and 128 MiB per derivation here; tests pass a cheaper N. */
export const DEFAULT_SCRYPT_PARAMS: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });

// Bounds also guard unlock: a tampered kdf_params row must not make us allocate gigabytes.
const SCRYPT_BOUNDS = { minLogN: 10, maxLogN: 20, maxR: 32, maxP: 16 } as const;
const ROOT_KEY_BYTES = 32;
const SALT_BYTES = 16;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const PASSPHRASE_METHOD = 'passphrase-scrypt';

/** Which row a private key belongs to; bound into the ciphertext as AAD. */
export interface PrivateKeyBinding {
  keypairUuid: string;
  algorithm: KeyAlgorithm;
  fingerprint: string;
}

/** The three private-key columns of `keypairs`. */
export interface EncryptedPrivateKey {
  ciphertext: Uint8Array;
  nonce: Uint8Array;
  tag: Uint8Array;
}

// The root key never sits on a property: only this module can reach it, through this map.
const rootKeys = new WeakMap<VaultKey, Buffer>();

/** An unlocked vault. Hold it while the app is unlocked; `lock()` zeroes the root key. */
export class VaultKey {
  readonly storeId: string;

  constructor(storeId: string, rootKey: Buffer) {
    this.storeId = storeId;
    rootKeys.set(this, rootKey);
  }

  get isLocked(): boolean {
    return !rootKeys.has(this);
  }

  lock(): void {
    rootKeys.get(this)?.fill(0);
    rootKeys.delete(this);
  }
}

function rootKeyOf(vaultKey: VaultKey): Buffer {
  const rootKey = rootKeys.get(vaultKey);
  if (!rootKey) throw new DeclsignError('store_locked', 'The vault is locked; unlock it with the passphrase first');
  return rootKey;
}

interface StoreMetaRow {
  store_id: string;
  root_key_check: Buffer;
}

interface WrappingRow {
  kdf_params: string;
  salt: Buffer;
  nonce: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

export function hasVault(db: Database): boolean {
  return prepared(db, 'SELECT 1 FROM store_meta WHERE singleton = 1').get() !== undefined;
}

/** The store's id, or undefined before the vault exists. */
export function storeId(db: Database): string | undefined {
  return prepared<StoreMetaRow>(db, 'SELECT store_id, root_key_check FROM store_meta WHERE singleton = 1').get()?.store_id;
}

export interface CreateVaultOptions {
  now: string;
  scrypt?: ScryptParams;
}

/** Creates the vault: a fresh root key wrapped by `passphrase`. Refuses with `store_exists` if one is there. */
export async function createVault(db: Database, passphrase: string, options: CreateVaultOptions): Promise<VaultKey> {
  const now = normalizeStamp(options.now);
  const params = checkScryptParams(options.scrypt ?? DEFAULT_SCRYPT_PARAMS);
  const secret = passphraseBytes(passphrase);
  if (hasVault(db)) throw storeExists();

  const id = randomUUID();
  const rootKey = randomBytes(ROOT_KEY_BYTES);
  try {
    const wrapping = await wrapWithPassphrase(rootKey, secret, params, id);
    withTransaction(db, () => {
      if (hasVault(db)) throw storeExists();
      prepared(db, `INSERT INTO store_meta (singleton, store_id, vault_version, root_key_check, created_at, updated_at)
                    VALUES (1, ?, 1, ?, ?, ?)`).run(id, rootKeyCheck(rootKey), now, now);
      insertPassphraseWrapping(db, wrapping, now);
    });
    return new VaultKey(id, rootKey);
  } catch (thrown) {
    rootKey.fill(0);
    throw thrown;
  } finally {
    secret.fill(0);
  }
}

/** Unwraps the root key. A wrong passphrase fails the GCM tag: `wrong_passphrase`, and nothing is written. */
export async function unlockVault(db: Database, passphrase: string): Promise<VaultKey> {
  const secret = passphraseBytes(passphrase);
  try {
    const { meta, rootKey } = await unwrapWithPassphrase(db, secret);
    return new VaultKey(meta.store_id, rootKey);
  } finally {
    secret.fill(0);
  }
}

/**
 * Re-wraps the same root key under `newPassphrase` with a fresh salt (and optionally new scrypt parameters).
 * Requires the current passphrase, not just an unlocked vault, so an unattended unlocked app cannot be re-keyed.
 */
export async function changePassphrase(
  db: Database,
  currentPassphrase: string,
  newPassphrase: string,
  options: CreateVaultOptions,
): Promise<void> {
  const now = normalizeStamp(options.now);
  const params = checkScryptParams(options.scrypt ?? DEFAULT_SCRYPT_PARAMS);
  const current = passphraseBytes(currentPassphrase);
  const next = passphraseBytes(newPassphrase);
  let rootKey: Buffer | undefined;
  try {
    const unwrapped = await unwrapWithPassphrase(db, current);
    rootKey = unwrapped.rootKey;
    const wrapping = await wrapWithPassphrase(rootKey, next, params, unwrapped.meta.store_id);
    withTransaction(db, () => {
      prepared(db, 'DELETE FROM root_key_wrappings WHERE method = ?').run(PASSPHRASE_METHOD);
      insertPassphraseWrapping(db, wrapping, now, unwrapped.createdAt);
      prepared(db, 'UPDATE store_meta SET updated_at = ? WHERE singleton = 1').run(now);
    });
  } finally {
    rootKey?.fill(0);
    current.fill(0);
    next.fill(0);
  }
}

/** Encrypts a private key for the row `binding` names, under a fresh random nonce. */
export function encryptPrivateKey(vaultKey: VaultKey, binding: PrivateKeyBinding, privateKey: Uint8Array): EncryptedPrivateKey {
  if (privateKey.length === 0) throw new DeclsignError('invalid_key', 'Refusing to store an empty private key');
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', rootKeyOf(vaultKey), nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(privateKeyAad(binding));
  const ciphertext = Buffer.concat([cipher.update(privateKey), cipher.final()]);
  return { ciphertext, nonce, tag: cipher.getAuthTag() };
}

/**
 * Decrypts a private key. A ciphertext that was altered, copied from another row (different uuid, algorithm or
 * fingerprint) or written by another store fails with `vault_integrity_failed`. The caller zeroes the result after use.
 */
export function decryptPrivateKey(vaultKey: VaultKey, binding: PrivateKeyBinding, encrypted: EncryptedPrivateKey): Uint8Array {
  if (encrypted.nonce.length !== NONCE_BYTES || encrypted.tag.length !== TAG_BYTES) {
    throw integrityFailure(binding);
  }
  const decipher = createDecipheriv('aes-256-gcm', rootKeyOf(vaultKey), encrypted.nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(privateKeyAad(binding));
  decipher.setAuthTag(encrypted.tag);
  const plaintext = decipher.update(encrypted.ciphertext);
  try {
    decipher.final();
  } catch {
    plaintext.fill(0);
    throw integrityFailure(binding);
  }
  return plaintext;
}

/**
 * Seals and opens the root key with something outside this file — Electron `safeStorage` (the OS keychain).
 * The sealed blob is stored as the `safe-storage` wrapping; the passphrase wrapping always stays, for recovery and the CLI.
 */
export interface RootKeySealer {
  seal(rootKey: Uint8Array): Uint8Array;
  open(sealed: Uint8Array): Uint8Array;
}

const SEALED_METHOD = 'safe-storage';

export function hasSealedWrapping(db: Database): boolean {
  return prepared(db, 'SELECT 1 FROM root_key_wrappings WHERE method = ?').get(SEALED_METHOD) !== undefined;
}

/** Adds (or replaces) the keychain wrapping of an unlocked vault's root key. */
export function addSealedWrapping(db: Database, vaultKey: VaultKey, sealer: RootKeySealer, now: string): void {
  const stamp = normalizeStamp(now);
  const sealed = Buffer.from(sealer.seal(rootKeyOf(vaultKey)));
  if (sealed.length === 0) throw new DeclsignError('internal_error', 'The OS keychain returned an empty sealed key');
  withTransaction(db, () => {
    prepared(db, 'DELETE FROM root_key_wrappings WHERE method = ?').run(SEALED_METHOD);
    prepared(db, `INSERT INTO root_key_wrappings (method, ciphertext, created_at, updated_at) VALUES (?, ?, ?, ?)`).run(SEALED_METHOD, sealed, stamp, stamp);
  });
}

/** Removes the keychain wrapping; the passphrase wrapping is untouched. */
export function removeSealedWrapping(db: Database): void {
  prepared(db, 'DELETE FROM root_key_wrappings WHERE method = ?').run(SEALED_METHOD);
}

/**
 * Unlocks with the keychain wrapping. The opened key must match root_key_check, so a keychain that hands back
 * anything else (another store's key, a corrupted blob) is refused with `vault_integrity_failed`.
 */
export function unlockWithSealer(db: Database, sealer: RootKeySealer): VaultKey {
  const meta = prepared<StoreMetaRow>(db, 'SELECT store_id, root_key_check FROM store_meta WHERE singleton = 1').get();
  if (!meta) throw new DeclsignError('store_not_initialized', 'No vault in this store yet; create one first');
  const row = prepared<{ ciphertext: Buffer }>(db, 'SELECT ciphertext FROM root_key_wrappings WHERE method = ?').get(SEALED_METHOD);
  if (!row) throw new DeclsignError('store_locked', 'The OS keychain does not protect this store; unlock it with the passphrase');
  let rootKey: Buffer;
  try {
    rootKey = Buffer.from(sealer.open(row.ciphertext));
  } catch (thrown) {
    throw new DeclsignError('vault_integrity_failed', `The OS keychain could not open the sealed root key: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
  }
  const expected = rootKeyCheck(rootKey);
  if (rootKey.length !== ROOT_KEY_BYTES || !timingSafeEqual(expected, meta.root_key_check)) {
    rootKey.fill(0);
    throw new DeclsignError('vault_integrity_failed', 'The key the OS keychain returned is not this store\'s root key');
  }
  return new VaultKey(meta.store_id, rootKey);
}

// --- internals ---------------------------------------------------------------------------------------------------

interface PassphraseWrapping {
  params: ScryptParams;
  salt: Buffer;
  nonce: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

async function wrapWithPassphrase(rootKey: Buffer, secret: Buffer, params: ScryptParams, id: string): Promise<PassphraseWrapping> {
  const salt = randomBytes(SALT_BYTES);
  const kek = await deriveKek(secret, salt, params);
  try {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', kek, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(wrappingAad(id, PASSPHRASE_METHOD));
    const ciphertext = Buffer.concat([cipher.update(rootKey), cipher.final()]);
    return { params, salt, nonce, ciphertext, tag: cipher.getAuthTag() };
  } finally {
    kek.fill(0);
  }
}

async function unwrapWithPassphrase(
  db: Database,
  secret: Buffer,
): Promise<{ meta: StoreMetaRow; rootKey: Buffer; createdAt: string }> {
  const meta = prepared<StoreMetaRow>(db, 'SELECT store_id, root_key_check FROM store_meta WHERE singleton = 1').get();
  if (!meta) throw new DeclsignError('store_not_initialized', 'No vault in this store yet; create one first');
  const row = prepared<WrappingRow & { created_at: string }>(
    db,
    'SELECT kdf_params, salt, nonce, ciphertext, tag, created_at FROM root_key_wrappings WHERE method = ?',
  ).get(PASSPHRASE_METHOD);
  if (!row) {
    throw new DeclsignError('vault_integrity_failed', 'The store has a vault but no passphrase wrapping of its root key');
  }
  const params = storedScryptParams(row.kdf_params);
  const kek = await deriveKek(secret, row.salt, params);
  let rootKey: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, row.nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(wrappingAad(meta.store_id, PASSPHRASE_METHOD));
    decipher.setAuthTag(row.tag);
    rootKey = decipher.update(row.ciphertext);
    try {
      decipher.final();
    } catch {
      rootKey.fill(0);
      throw new DeclsignError('wrong_passphrase', 'Wrong passphrase');
    }
  } finally {
    kek.fill(0);
  }
  const expected = rootKeyCheck(rootKey);
  if (expected.length !== meta.root_key_check.length || !timingSafeEqual(expected, meta.root_key_check)) {
    rootKey.fill(0);
    throw new DeclsignError('vault_integrity_failed', 'The unwrapped root key does not match this store (root_key_check differs)');
  }
  return { meta, rootKey, createdAt: row.created_at };
}

function insertPassphraseWrapping(db: Database, wrapping: PassphraseWrapping, now: string, createdAt = now): void {
  const { N, r, p } = wrapping.params;
  prepared(db, `INSERT INTO root_key_wrappings (method, kdf, kdf_params, salt, nonce, ciphertext, tag, created_at, updated_at)
                VALUES (?, 'scrypt', ?, ?, ?, ?, ?, ?, ?)`).run(
    PASSPHRASE_METHOD,
    JSON.stringify({ N, r, p }),
    wrapping.salt,
    wrapping.nonce,
    wrapping.ciphertext,
    wrapping.tag,
    createdAt,
    now,
  );
}

function deriveKek(secret: Buffer, salt: Buffer, { N, r, p }: ScryptParams): Promise<Buffer> {
  // Runs on the libuv thread pool: the Electron main process keeps serving while the KDF works.
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, ROOT_KEY_BYTES, { N, r, p, maxmem: 256 * N * r }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function checkScryptParams(params: ScryptParams): ScryptParams {
  const { N, r, p } = params;
  const logN = Math.log2(N);
  const valid =
    Number.isInteger(logN) && logN >= SCRYPT_BOUNDS.minLogN && logN <= SCRYPT_BOUNDS.maxLogN
    && Number.isInteger(r) && r >= 1 && r <= SCRYPT_BOUNDS.maxR
    && Number.isInteger(p) && p >= 1 && p <= SCRYPT_BOUNDS.maxP;
  if (!valid) {
    throw new DeclsignError(
      'invalid_input',
      `scrypt parameters out of range: N must be a power of two in 2^${SCRYPT_BOUNDS.minLogN}..2^${SCRYPT_BOUNDS.maxLogN}, ` +
        `r in 1..${SCRYPT_BOUNDS.maxR}, p in 1..${SCRYPT_BOUNDS.maxP}`,
      { N, r, p },
    );
  }
  return { N, r, p };
}

/** Parameters read back from the store; out of bounds means the row was altered, so no derivation is attempted. */
function storedScryptParams(text: string): ScryptParams {
  const { N, r, p } = (JSON.parse(text) ?? {}) as Record<string, unknown>;
  try {
    return checkScryptParams({ N, r, p } as ScryptParams);
  } catch {
    throw new DeclsignError('vault_integrity_failed', `Stored scrypt parameters are malformed or out of bounds: ${text}`);
  }
}

function passphraseBytes(passphrase: string): Buffer {
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new DeclsignError('invalid_input', 'The passphrase must not be empty');
  }
  return Buffer.from(passphrase.normalize('NFKC'), 'utf8');
}

function rootKeyCheck(rootKey: Buffer): Buffer {
  return createHmac('sha256', rootKey).update('declsign/root-key-check/v1').digest();
}

function privateKeyAad({ keypairUuid, algorithm, fingerprint }: PrivateKeyBinding): Buffer {
  return Buffer.from(['declsign/private-key/v1', keypairUuid, algorithm, fingerprint].join('\0'), 'utf8');
}

function wrappingAad(id: string, method: string): Buffer {
  return Buffer.from(['declsign/root-key-wrapping/v1', id, method].join('\0'), 'utf8');
}

function storeExists(): DeclsignError {
  return new DeclsignError('store_exists', 'This store already has a vault; unlock it instead of creating another');
}

function integrityFailure(binding: PrivateKeyBinding): DeclsignError {
  return new DeclsignError(
    'vault_integrity_failed',
    `The stored private key of ${binding.keypairUuid} does not authenticate (altered, moved from another row, or from another store)`,
    { keypairUuid: binding.keypairUuid },
  );
}
