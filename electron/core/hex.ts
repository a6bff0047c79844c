// Strict hex: lowercase only, even length. Untrusted input that is not exactly this is rejected, never normalised.

const LOWER_HEX = /^(?:[0-9a-f]{2})*$/;

export function isLowerHex(value: unknown, byteLength?: number): value is string {
  if (typeof value !== 'string' || !LOWER_HEX.test(value)) return false;
  return byteLength === undefined || value.length === byteLength * 2;
}

export function hexToBytes(hex: string): Uint8Array {
  if (!isLowerHex(hex)) throw new TypeError('expected lowercase hex of even length');
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
