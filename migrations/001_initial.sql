-- 001_initial: vault, keypairs, admin declarations, their Nostr events, and the audit log.
--
-- Conventions (later migrations follow them too):
--  * STRICT tables: a value of the wrong type is an error, never silently coerced.
--  * Identifiers are lowercase: UUIDs as 8-4-4-4-12 text, keys/fingerprints/event ids as lowercase hex.
--  * Row stamps (created_at, updated_at, at, …) are RFC 3339 UTC text `YYYY-MM-DDTHH:MM:SS.sssZ`, passed in by the
--    caller (the store never reads the clock), so lexical order is time order and keyset pagination can use them.
--  * Booleans are INTEGER 0/1. JSON columns hold RFC 8259 text and are checked with json_valid.
--  * The runner wraps this file in one transaction and sets user_version; the file itself has no BEGIN/COMMIT.

-- The store: one row, written when the vault is created.
-- root_key_check = HMAC-SHA256(root key, "declsign/root-key-check/v1"): lets any unwrapping method (passphrase now,
-- Electron safeStorage later) confirm it recovered *this* store's root key before a single private key is touched.
CREATE TABLE store_meta (
  singleton      INTEGER PRIMARY KEY CHECK (singleton = 1),
  store_id       TEXT NOT NULL CHECK (length(store_id) = 36 AND store_id NOT GLOB '*[^0-9a-f-]*'),
  vault_version  INTEGER NOT NULL CHECK (vault_version = 1),
  root_key_check BLOB NOT NULL CHECK (length(root_key_check) = 32),
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
) STRICT;

-- Every way the 32-byte root key is wrapped; one row per method. 'passphrase-scrypt' is scrypt(passphrase) →
-- AES-256-GCM and carries kdf/kdf_params/salt/nonce/tag. 'safe-storage' (Electron safeStorage, OS keychain) is an
-- opaque blob in `ciphertext`, so its kdf/salt/nonce/tag stay NULL. Adding a method needs no migration.
CREATE TABLE root_key_wrappings (
  method      TEXT PRIMARY KEY CHECK (method IN ('passphrase-scrypt', 'safe-storage')),
  kdf         TEXT CHECK (kdf IN ('scrypt')),
  kdf_params  TEXT CHECK (kdf_params IS NULL OR (json_valid(kdf_params) AND json_type(kdf_params) = 'object')),
  salt        BLOB,
  nonce       BLOB CHECK (nonce IS NULL OR length(nonce) = 12),
  ciphertext  BLOB NOT NULL,
  tag         BLOB CHECK (tag IS NULL OR length(tag) = 16),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  CHECK (method <> 'passphrase-scrypt' OR (
    kdf = 'scrypt' AND kdf_params IS NOT NULL AND length(salt) >= 16
    AND nonce IS NOT NULL AND tag IS NOT NULL AND length(ciphertext) = 32))
) STRICT;

-- Keys we own (private key present, encrypted under the root key) and keys we only watch (private key NULL).
-- The private key is AES-256-GCM under the root key with AAD binding it to keypair_uuid, algorithm and fingerprint
-- (electron/store/vault.ts), so a ciphertext copied to another row does not decrypt.
CREATE TABLE keypairs (
  keypair_uuid            TEXT PRIMARY KEY CHECK (length(keypair_uuid) = 36 AND keypair_uuid NOT GLOB '*[^0-9a-f-]*'),
  label                   TEXT NOT NULL DEFAULT '',
  algorithm               TEXT NOT NULL CHECK (algorithm IN ('nostr', 'ed25519', 'rsa', 'ml-dsa-65')),
  role                    TEXT NOT NULL DEFAULT 'none'
                          CHECK (role IN ('master-admin', 'operating-admin', 'authorized-admin', 'none')),
  public_key              TEXT NOT NULL CHECK (length(public_key) > 0 AND length(public_key) % 2 = 0
                                               AND public_key NOT GLOB '*[^0-9a-f]*'),
  fingerprint             TEXT NOT NULL UNIQUE CHECK (length(fingerprint) = 64 AND fingerprint NOT GLOB '*[^0-9a-f]*'),
  canonical_name          TEXT NOT NULL,
  private_key_ciphertext  BLOB,
  private_key_nonce       BLOB CHECK (private_key_nonce IS NULL OR length(private_key_nonce) = 12),
  private_key_tag         BLOB CHECK (private_key_tag IS NULL OR length(private_key_tag) = 16),
  -- NIP-49 byte of an imported ncryptsec: 0 known to have been handled insecurely, 1 not, 2 unknown.
  nip49_key_security_byte INTEGER CHECK (nip49_key_security_byte IS NULL OR nip49_key_security_byte IN (0, 1, 2)),
  source_format           TEXT NOT NULL,
  is_experimental         INTEGER NOT NULL DEFAULT 0 CHECK (is_experimental IN (0, 1)),
  created_at              TEXT NOT NULL,
  updated_at              TEXT NOT NULL,
  -- all three private-key columns are present together or absent together
  CHECK ((private_key_ciphertext IS NULL) = (private_key_nonce IS NULL)
     AND (private_key_nonce IS NULL) = (private_key_tag IS NULL))
) STRICT;

CREATE INDEX idx_keypairs_algorithm ON keypairs (algorithm, created_at);

-- Admin declarations: every field of the original design (devdocs reference), plus the issuer chosen while drafting,
-- the subject key, and the Nostr key that wraps a non-Nostr signature for publication.
CREATE TABLE admindeclarations (
  -- core
  declaration_uuid              TEXT PRIMARY KEY
                                CHECK (length(declaration_uuid) = 36 AND declaration_uuid NOT GLOB '*[^0-9a-f-]*'),
  declaration_type              TEXT NOT NULL CHECK (declaration_type IN (
                                  'trust-declaration', 'privilege-grant', 'privilege-revoke', 'moderation-action',
                                  'metadata-delegation', 'admin-control-message', 'declaration-update',
                                  'declaration-revoke')),
  content_json                  TEXT NOT NULL CHECK (json_valid(content_json)),
  content_hash_sha256           TEXT CHECK (content_hash_sha256 IS NULL OR (length(content_hash_sha256) = 64
                                            AND content_hash_sha256 NOT GLOB '*[^0-9a-f]*')),
  status                        TEXT NOT NULL DEFAULT 'Draft'
                                CHECK (status IN ('Draft', 'Finalized', 'Signed', 'Published')),
  -- signing
  signing_keypair_uuid          TEXT REFERENCES keypairs (keypair_uuid) ON DELETE SET NULL,
  signing_keypair_fingerprint   TEXT,
  signing_keypair_canonical_name TEXT,
  digital_signature             TEXT,
  signed_data                   TEXT CHECK (signed_data IS NULL OR json_valid(signed_data)),
  signed_data_sha256            TEXT CHECK (signed_data_sha256 IS NULL OR (length(signed_data_sha256) = 64
                                            AND signed_data_sha256 NOT GLOB '*[^0-9a-f]*')),
  signing_timestamp             TEXT,
  countersignatures             TEXT NOT NULL DEFAULT '[]'
                                CHECK (json_valid(countersignatures) AND json_type(countersignatures) = 'array'),
  -- nostr
  nostr_event_id                TEXT CHECK (nostr_event_id IS NULL OR (length(nostr_event_id) = 64
                                            AND nostr_event_id NOT GLOB '*[^0-9a-f]*')),
  nostr_event                   TEXT CHECK (nostr_event IS NULL OR json_valid(nostr_event)),
  nostr_kind                    INTEGER NOT NULL DEFAULT 31106,
  nostr_tags                    TEXT CHECK (nostr_tags IS NULL OR (json_valid(nostr_tags) AND json_type(nostr_tags) = 'array')),
  nostr_published_at            TEXT,
  nostr_published_to_relays     TEXT NOT NULL DEFAULT '[]'
                                CHECK (json_valid(nostr_published_to_relays) AND json_type(nostr_published_to_relays) = 'array'),
  nostr_publish_status          TEXT CHECK (nostr_publish_status IS NULL
                                            OR nostr_publish_status IN ('pending', 'published', 'failed', 'retrying')),
  -- versioning
  schema_version                TEXT NOT NULL DEFAULT '1.0',
  content_version               INTEGER NOT NULL DEFAULT 1 CHECK (content_version >= 1),
  original_declaration_uuid     TEXT,
  is_update                     INTEGER NOT NULL DEFAULT 0 CHECK (is_update IN (0, 1)),
  update_chain_uuid             TEXT,
  is_revoked                    INTEGER NOT NULL DEFAULT 0 CHECK (is_revoked IN (0, 1)),
  revoked_at                    TEXT,
  revoked_by_declaration_uuid   TEXT,
  -- time (valid_until NULL = permanent)
  valid_from                    TEXT,
  valid_until                   TEXT,
  issued_at                     TEXT,
  created_at                    TEXT NOT NULL,
  updated_at                    TEXT NOT NULL,
  -- discovery
  discovered_from_relay         TEXT,
  discovered_at                 TEXT,
  is_local                      INTEGER NOT NULL DEFAULT 1 CHECK (is_local IN (0, 1)),
  verification_status           TEXT CHECK (verification_status IS NULL
                                            OR verification_status IN ('pending', 'verified', 'failed')),
  -- product: issuer chosen at the Draft stage, the subject key, the Nostr key wrapping a non-Nostr signature
  issuer_keypair_uuid           TEXT REFERENCES keypairs (keypair_uuid) ON DELETE SET NULL,
  -- target_keypair_uuid is part of the signed data (Format 2), so it is a value, not a foreign key
  target_keypair_uuid           TEXT,
  target_algorithm              TEXT CHECK (target_algorithm IS NULL
                                            OR target_algorithm IN ('nostr', 'ed25519', 'rsa', 'ml-dsa-65')),
  target_public_key             TEXT,
  target_fingerprint            TEXT CHECK (target_fingerprint IS NULL OR (length(target_fingerprint) = 64
                                            AND target_fingerprint NOT GLOB '*[^0-9a-f]*')),
  target_canonical_name         TEXT,
  wrapper_keypair_uuid          TEXT REFERENCES keypairs (keypair_uuid) ON DELETE SET NULL,

  -- Past Draft, the statement is fixed: its content hash is known.
  CHECK (status = 'Draft' OR content_hash_sha256 IS NOT NULL),
  -- Signed and Published rows carry their signature and the exact Format 3 text.
  CHECK (status NOT IN ('Signed', 'Published') OR (signed_data IS NOT NULL AND signed_data_sha256 IS NOT NULL
         AND digital_signature IS NOT NULL AND signing_keypair_fingerprint IS NOT NULL AND signing_timestamp IS NOT NULL)),
  -- a Nostr event id and its event travel together, and the id is the event's own
  CHECK ((nostr_event_id IS NULL) = (nostr_event IS NULL)),
  CHECK (nostr_event IS NULL OR json_extract(nostr_event, '$.id') = nostr_event_id),
  -- the signed data speaks about this row: same declaration, same content hash
  CHECK (signed_data IS NULL OR (json_extract(signed_data, '$.declaration_uuid') = declaration_uuid
         AND json_extract(signed_data, '$.content_hash_sha256') = content_hash_sha256)),
  CHECK (is_revoked = 1 OR (revoked_at IS NULL AND revoked_by_declaration_uuid IS NULL))
) STRICT;

-- The list screen: newest first, keyset pagination on (created_at, declaration_uuid), optionally filtered.
CREATE INDEX idx_admindeclarations_list ON admindeclarations (created_at DESC, declaration_uuid DESC);
CREATE INDEX idx_admindeclarations_status_list
  ON admindeclarations (status, created_at DESC, declaration_uuid DESC);
CREATE INDEX idx_admindeclarations_type_list
  ON admindeclarations (declaration_type, created_at DESC, declaration_uuid DESC);
-- One event is the current Nostr form of at most one declaration.
CREATE UNIQUE INDEX idx_admindeclarations_nostr_event_id
  ON admindeclarations (nostr_event_id) WHERE nostr_event_id IS NOT NULL;
-- "What was declared about / by this key" (authority evaluation, key details screen).
CREATE INDEX idx_admindeclarations_target_fingerprint
  ON admindeclarations (target_fingerprint) WHERE target_fingerprint IS NOT NULL;
CREATE INDEX idx_admindeclarations_signing_fingerprint
  ON admindeclarations (signing_keypair_fingerprint) WHERE signing_keypair_fingerprint IS NOT NULL;
CREATE INDEX idx_admindeclarations_original
  ON admindeclarations (original_declaration_uuid) WHERE original_declaration_uuid IS NOT NULL;

-- Every Nostr event that belongs to a declaration: the primary kind-31106 event, each wrapper version, and Nostr
-- countersignature events. event_json is the exact text as produced or received — never re-serialised — and the
-- CHECK ties the indexed columns to it.
CREATE TABLE declaration_events (
  event_id          TEXT PRIMARY KEY CHECK (length(event_id) = 64 AND event_id NOT GLOB '*[^0-9a-f]*'),
  declaration_uuid  TEXT NOT NULL REFERENCES admindeclarations (declaration_uuid) ON DELETE CASCADE,
  role              TEXT NOT NULL CHECK (role IN ('primary', 'wrapper', 'countersignature')),
  pubkey            TEXT NOT NULL CHECK (length(pubkey) = 64 AND pubkey NOT GLOB '*[^0-9a-f]*'),
  created_at        INTEGER NOT NULL,
  event_json        TEXT NOT NULL CHECK (json_valid(event_json)),
  superseded_by     TEXT REFERENCES declaration_events (event_id) ON DELETE SET NULL,
  recorded_at       TEXT NOT NULL,
  CHECK (json_extract(event_json, '$.id') = event_id
     AND json_extract(event_json, '$.pubkey') = pubkey
     AND json_extract(event_json, '$.created_at') = created_at),
  CHECK (superseded_by IS NULL OR superseded_by <> event_id)
) STRICT;

CREATE INDEX idx_declaration_events_declaration
  ON declaration_events (declaration_uuid, role, created_at);

-- Append-only record of what was done, by whom. The triggers make the schema itself refuse edits and deletions.
CREATE TABLE audit_log (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  at            TEXT NOT NULL,
  actor         TEXT NOT NULL,
  action        TEXT NOT NULL,
  subject_type  TEXT,
  subject_id    TEXT,
  details       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details) AND json_type(details) = 'object')
) STRICT;

CREATE INDEX idx_audit_log_subject ON audit_log (subject_type, subject_id, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused');
END;
