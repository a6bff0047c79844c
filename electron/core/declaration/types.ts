// The four declaration formats and the Nostr event shapes that carry them.
// devdocs/declaration-format.md is normative; these types mirror it field for field.

import type { KeyAlgorithm } from '../keys/types';

export const DECLARATION_KIND = 31106;
export const SCHEMA_VERSION = '1.0';

export const DECLARATION_TYPES = [
  'trust-declaration',
  'privilege-grant',
  'privilege-revoke',
  'moderation-action',
  'metadata-delegation',
  'admin-control-message',
  'declaration-update',
  'declaration-revoke',
] as const;
export type DeclarationType = (typeof DECLARATION_TYPES)[number];

export const DECLARATION_STATUSES = ['Draft', 'Finalized', 'Signed', 'Published'] as const;
export type DeclarationStatus = (typeof DECLARATION_STATUSES)[number];

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Format 1 — the content. */
export interface DeclarationContent {
  schema_version: typeof SCHEMA_VERSION;
  declaration_type: DeclarationType;
  content: { [key: string]: JsonValue };
}

/**
 * Format 2 — the signed data. Serialised with RFC 8785 (JCS); those bytes are what is hashed and signed.
 * Timestamps are RFC 3339 UTC with second precision: `YYYY-MM-DDTHH:MM:SSZ`.
 */
export interface SignedData {
  schema_version: typeof SCHEMA_VERSION;
  declaration_uuid: string;
  declaration_type: DeclarationType;
  content: DeclarationContent;
  content_hash_sha256: string;
  content_version: number;
  original_declaration_uuid: string | null;
  signing_keypair_algorithm: KeyAlgorithm;
  signing_keypair_canonical_name: string;
  signing_keypair_fingerprint: string;
  signing_keypair_public_key: string;
  target_keypair_uuid: string | null;
  target_keypair_algorithm: KeyAlgorithm;
  target_keypair_canonical_name: string;
  target_keypair_fingerprint: string;
  target_keypair_public_key: string;
  valid_from: string;
  valid_until: string | null;
  signing_timestamp: string;
}

export interface SignatureBlock {
  algorithm: KeyAlgorithm;
  canonical_name: string;
  fingerprint: string;
  signature_hash_algorithm: 'SHA-256';
  /** Lowercase hex SHA-256 of JCS(Format 2). */
  signature_hash_value: string;
  /** Lowercase hex: the BIP-340 event signature for nostr, the inner signature otherwise. */
  digital_signature: string;
  signed_at: string;
  /** Nostr only: id of the primary event. */
  nostr_event_id?: string;
}

/** Format 3 — signed data with its signature; what countersigners sign (its JCS SHA-256 is `signed_data_sha256`). */
export interface SignedDataWithSignature extends SignedData {
  signature: SignatureBlock;
  /** Nostr only: the primary kind-31106 event, whose content is JCS(Format 2). */
  nostr_event?: NostrEvent;
}

/** A countersignature by a non-Nostr key, over the 32 raw bytes of `signed_data_sha256`. */
export interface DetachedCountersignature {
  algorithm: Exclude<KeyAlgorithm, 'nostr'>;
  canonical_name: string;
  fingerprint: string;
  public_key: string;
  signature_hash_algorithm: 'SHA-256';
  signature_hash_value: string;
  digital_signature: string;
  /** Attested by the wrapper's Nostr signature, not by the countersigner's own signature. */
  signed_at: string;
}

/** Content of a wrapper event: JCS of this object. */
export interface WrapperPayload {
  signed_data: SignedDataWithSignature;
  countersignatures: DetachedCountersignature[];
}

/** Content of a Nostr countersignature event: JCS of this object. */
export interface NostrCountersignaturePayload {
  schema_version: typeof SCHEMA_VERSION;
  countersignature: {
    declaration_uuid: string;
    declaration_type: DeclarationType;
    signed_data_sha256: string;
    signing_keypair_fingerprint: string;
  };
}

export interface NostrEvent {
  id: string;
  pubkey: string;
  created_at: number;
  kind: number;
  tags: string[][];
  content: string;
  sig: string;
}

export interface UnsignedNostrEvent {
  created_at: number;
  kind: number;
  tags: string[][];
  content: string;
}

/**
 * Format 4 — the complete export: every field we hold about a declaration that is not signed (status, publication
 * state, local bookkeeping), for backup and import. Travels in a bundle; a verifier never trusts any of it.
 */
export interface DeclarationExport {
  declaration_uuid: string;
  status: DeclarationStatus;
  [field: string]: JsonValue;
}

/** What `declsign export` writes and `declsign verify` reads: every event of one declaration, plus Format 4. */
export interface DeclarationBundle {
  declsign_bundle: 1;
  declaration_uuid: string;
  /** Primary / wrapper events (newest per slot) and Nostr countersignature events, exactly as signed. */
  events: NostrEvent[];
  declaration?: DeclarationExport;
}
