// Main-only view of Electron's safeStorage (OS keychain / DPAPI / libsecret), for protecting the vault's root key.
// Following Signal-Desktop: on Linux the `basic_text` backend is a hard-coded key, i.e. no protection at all, so it
// counts as unavailable; the vault then keeps relying on the passphrase alone.

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

export interface SafeStorageStatus {
  available: boolean;
  /** Linux backend name (`gnome_libsecret`, `kwallet5`, `basic_text`, …); `os` elsewhere. */
  backend: string;
  /** Why `available` is false, for the UI. */
  reason?: string;
}

export function describeSafeStorage(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): SafeStorageStatus {
  const backend = platform === 'linux' ? (safeStorage.getSelectedStorageBackend?.() ?? 'unknown') : 'os';
  if (!safeStorage.isEncryptionAvailable()) return { available: false, backend, reason: 'The OS keychain is not available' };
  if (backend === 'basic_text' || backend === 'unknown') {
    return { available: false, backend, reason: 'No OS keychain (Secret Service or KWallet) is running; only a built-in key would be used' };
  }
  return { available: true, backend };
}

/** Seals and opens the vault's root key with the OS keychain; refuses to work on a backend that protects nothing. */
export interface RootKeyProtector {
  readonly status: SafeStorageStatus;
  seal(rootKey: Uint8Array): Buffer;
  open(sealed: Buffer): Uint8Array;
}

export function createRootKeyProtector(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): RootKeyProtector | undefined {
  const status = describeSafeStorage(safeStorage, platform);
  if (!status.available) return undefined;
  // safeStorage takes strings; base64 keeps the key's bytes exact.
  return {
    status,
    seal: (rootKey) => safeStorage.encryptString(Buffer.from(rootKey).toString('base64')),
    open: (sealed) => new Uint8Array(Buffer.from(safeStorage.decryptString(sealed), 'base64')),
  };
}
