// Inputs and outcomes of the authority evaluator. devdocs/authority.md is normative for every rule named here.

import type { SignedData } from '../declaration/types';
import type { TrustLevel } from './vocabulary';

/** One declaration as the evaluator sees it: already parsed and cryptographically checked elsewhere. */
export interface AuthorityDeclaration {
  signedData: SignedData;
  /** Whether the issuer's signature over `signedData` verified. A false link is never used. */
  cryptoValid: boolean;
  /** Fingerprints of keys whose countersignatures on this declaration verified; repeats count once. */
  countersignerFingerprints: readonly string[];
}

/** A Master Admin key pinned locally. Only pinned keys are anchors. */
export interface Anchor {
  /** Lowercase hex SHA-256 of the public key bytes (keys/identity.ts). */
  fingerprint: string;
  /** The administrator's name; a declaration claiming this label under another key raises a key-change warning. */
  label?: string;
}

export const AUTHORITY_RULES = [
  // not evaluated
  'no_anchors',
  // the declaration itself
  'invalid_signature',
  'invalid_content',
  'unknown_critical_field',
  'conflicting_declarations',
  'unknown_target',
  'invalid_target',
  // what the signer was allowed
  'insufficient_countersignatures',
  'exceeds_delegated_validity',
  'exceeds_delegated_scope',
  'exceeds_delegated_permissions',
  'not_authorized_for_type',
  'unauthorized_revocation',
  'unauthorized_update',
  // the chain behind the signer
  'delegation_revoked',
  'delegation_expired',
  'delegation_superseded',
  'delegation_not_yet_valid',
  'delegation_invalid',
  'depth_exceeded',
  'cycle',
  'not_delegated',
] as const;
export type AuthorityRule = (typeof AUTHORITY_RULES)[number];

/** One delegation in a chain, anchor side first. */
export interface ChainLink {
  declaration_uuid: string;
  declaration_type: 'trust-declaration' | 'privilege-grant' | 'metadata-delegation' | 'declaration-update';
  issuer_fingerprint: string;
  subject_fingerprint: string;
  /** The level the link gives its subject (privilege grants and metadata delegations give authorized-admin); null if unreadable. */
  trust_level: TrustLevel | null;
}

export interface KeyChangeWarning {
  kind: 'key_change';
  declaration_uuid: string;
  label: string;
  pinned_fingerprints: string[];
  presented_fingerprint: string;
  message: string;
}

/**
 * How the signer's authority was established:
 *  - anchor: the signer is a pinned anchor (chain is empty)
 *  - delegation: a chain of delegations from an anchor to the signer
 *  - issuer_of_target: a revocation by the issuer of what it revokes, which needs no further authority
 */
export type AuthorityBasis = 'anchor' | 'delegation' | 'issuer_of_target';

export type AuthorityResult =
  | {
      ok: true;
      evaluated: true;
      declaration_uuid: string;
      basis: AuthorityBasis;
      /** The anchor the chain starts from; null only for basis issuer_of_target. */
      anchor_fingerprint: string | null;
      chain: ChainLink[];
      /** The level the signer acted with (null for issuer_of_target). */
      acting_level: TrustLevel | null;
      warnings: KeyChangeWarning[];
    }
  | {
      ok: false;
      /** false only for `no_anchors`: nothing was decided, which is not a cryptographic failure. */
      evaluated: boolean;
      declaration_uuid: string;
      rule: AuthorityRule;
      message: string;
      /** The most relevant chain that was tried, anchor side first, when there was one. */
      path_tried?: ChainLink[];
      warnings: KeyChangeWarning[];
    };

/** Distinct master-admin countersigners (besides the signer) that an action needs. */
export interface CountersignaturePolicy {
  /** A trust-declaration (or update) granting master-admin. */
  'grant-master-admin': number;
  /** Revoking or updating a master-admin grant, by anyone but its own issuer. */
  'touch-master-admin': number;
}

export interface AuthorityOptions {
  anchors: readonly Anchor[];
  /** Most delegations between an anchor and the signer; default 8. */
  maxDepth?: number;
  countersignatures?: Partial<CountersignaturePolicy>;
}

export interface RevocationStatus {
  declaration_uuid: string;
  /** With the uuid, identifies the declaration: another key's declaration under the same uuid is another declaration. */
  issuer_fingerprint: string;
  is_revoked: boolean;
  /** signing_timestamp of the earliest authorized revocation of this declaration's update chain. */
  revoked_at: string | null;
  revoked_by_declaration_uuid: string | null;
  /** The latest authorized update of this declaration's chain, when this version is no longer current. */
  superseded_by_declaration_uuid: string | null;
  /** Revocations naming this declaration that were refused, with the rule that refused them. */
  refused_revocations: { declaration_uuid: string; rule: AuthorityRule }[];
}
