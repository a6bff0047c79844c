// Public surface of the key module: generation, derivation, digest signatures, import and export.

export * from './types';
export * from './identity';
export { publicKeyFromPrivate, keyMaterialFromPrivate, isValidPublicKey } from './derive';
export { generatePrivateKey, type RandomBytes } from './generate';
export { signDigest, verifyDigest, DIGEST_BYTES } from './digest-signature';
export { importKey, ACCEPTED_KEY_FORMATS, type ImportKeyInput, type ImportedKey, type KeySourceFormat } from './import';
export { exportPublic, exportPrivate, type PublicExportFormat, type PrivateExportFormat, type PrivateExportOptions } from './export';
export { ML_DSA_65_PUBLIC_KEY_BYTES, ML_DSA_65_SECRET_KEY_BYTES, ML_DSA_65_SIGNATURE_BYTES } from './ml-dsa';
export { RSA_MIN_BITS, RSA_MAX_BITS, RSA_DEFAULT_BITS } from './rsa';
export { NIP49_DEFAULT_LOG_N, NIP49_MAX_LOG_N, type KeySecurityByte } from './nip49';
