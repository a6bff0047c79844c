// Stable error codes and the Result shape that crosses every boundary (IPC, CLI, browser bridge).
// Scripts and the renderer match on `code`, so a code, once shipped, keeps its meaning.

export const ERROR_CODES = [
  // input and usage
  'invalid_input',
  'invalid_json',
  'content_too_large',
  'not_found',
  // store and vault
  'store_exists',
  'store_not_initialized',
  'store_locked',
  'wrong_passphrase',
  'db_from_future',
  'migration_failed',
  // a stored ciphertext or root-key wrapping does not authenticate: altered, moved to another row, or another store's
  'vault_integrity_failed',
  // keys
  'unknown_key',
  'unsupported_algorithm',
  'invalid_key',
  'wrong_key_password',
  'missing_signer_private_key',
  'last_nostr_key',
  'duplicate_key',
  'not_a_nostr_key',
  // declarations
  'not_draft',
  'not_finalized',
  'not_signed',
  'invalid_status_transition',
  // a signed (or imported) declaration may have copies elsewhere: it is revoked with a signed declaration-revoke, never erased
  'already_signed',
  // other declarations name this one as their target or original: erasing it would leave them pointing at nothing
  'referenced_by_declarations',
  'invalid_validity',
  'signer_mismatch',
  'duplicate_countersigner',
  'nostr_slot_taken',
  // verification and formats
  'invalid_bundle',
  'verification_failed',
  // relays and publishing
  'invalid_relay_url',
  'unknown_relay',
  'relay_error',
  'nothing_to_publish',
  // authority
  'unknown_anchor',
  // shells (IPC sender check, browser bridge token/host/origin checks, renderer transport)
  'unauthorized',
  'bridge_unavailable',
  // anything we did not foresee: a bug, reported rather than hidden
  'internal_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** Thrown inside handlers and core functions; turned into `{ok: false, error}` at the boundary. */
export class DeclsignError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'DeclsignError';
    this.code = code;
    this.details = details;
  }

  toAppError(): AppError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string, details?: Record<string, unknown>): Result<never> {
  return { ok: false, error: details === undefined ? { code, message } : { code, message, details } };
}

export function isDeclsignError(value: unknown): value is DeclsignError {
  return value instanceof DeclsignError;
}

/** Converts anything thrown into an AppError; unknown throwables become `internal_error` with their message. */
export function toAppError(thrown: unknown): AppError {
  if (thrown instanceof DeclsignError) return thrown.toAppError();
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return { code: 'internal_error', message };
}
