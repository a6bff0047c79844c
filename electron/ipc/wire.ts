// Shapes a Result for crossing a process boundary. IPC and HTTP must deliver the same data, so both go through
// JSON here, and this is the last place private key material could slip out of the main process.

import type { AppError, Result } from '../core/errors';

/** Property names that hold private key material in our own types (KeyMaterial.privateKey and friends). */
const SECRET_FIELD = /^(private_?key|secret_?key|private_?key_?(hex|bytes)|seed|nsec|passphrase|password)$/i;

class WireRefusal extends Error {}

function refuseSecretsAndBytes(this: unknown, key: string, value: unknown): unknown {
  if (key !== '' && SECRET_FIELD.test(key) && value !== undefined && value !== null) {
    throw new WireRefusal(`result field "${key}" looks like secret material and was withheld`);
  }
  // Bytes do not survive JSON (they become {"0":…}); operations must return hex so both transports agree.
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    throw new WireRefusal(`result field "${key}" is binary; operations return hex strings`);
  }
  return value;
}

/** JSON text of any value bound for the renderer (progress events too), or why it must not be sent. */
export function encodeWireValue(value: unknown): { ok: true; text: string } | { ok: false; reason: string } {
  try {
    return { ok: true, text: JSON.stringify(value, refuseSecretsAndBytes) ?? 'null' };
  } catch (thrown) {
    return { ok: false, reason: thrown instanceof WireRefusal ? thrown.message : `not JSON-serialisable (${String(thrown)})` };
  }
}

/**
 * JSON text of a Result, or of an `internal_error` Result when the value cannot or must not cross the boundary.
 * Never throws.
 */
export function encodeWireResult(result: Result<unknown>): string {
  const encoded = encodeWireValue(result);
  if (encoded.ok) return encoded.text;
  const error: AppError = { code: 'internal_error', message: `Operation result withheld: ${encoded.reason}` };
  return JSON.stringify({ ok: false, error });
}

/** The same check as encodeWireResult, returning plain data (for IPC, which clones rather than serialises). */
export function toWireResult(result: Result<unknown>): Result<unknown> {
  return JSON.parse(encodeWireResult(result)) as Result<unknown>;
}
