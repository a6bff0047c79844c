-- 004_imports: what import and discovery refused, and where live discovery left off on each relay.
-- Conventions of 001 apply (STRICT, lowercase hex ids, RFC 3339 UTC stamps passed in by the caller, 0/1 booleans).
-- Imported declarations themselves live in admindeclarations (is_local = 0) and declaration_events like any other.

-- Events that failed verification (or conflict with a declaration we hold), kept verbatim so they can be shown and
-- exported — never used, never shown as valid. Everything but raw_text, source and the check results is a *claim*
-- read from the untrusted event, for display and search only. The same text seen again updates the row.
CREATE TABLE import_quarantine (
  id                INTEGER PRIMARY KEY,
  -- SHA-256 of raw_text: one row per distinct text
  raw_sha256        TEXT NOT NULL UNIQUE CHECK (length(raw_sha256) = 64 AND raw_sha256 NOT GLOB '*[^0-9a-f]*'),
  raw_text          TEXT NOT NULL,
  claimed_event_id  TEXT CHECK (claimed_event_id IS NULL OR length(claimed_event_id) <= 128),
  claimed_uuid      TEXT CHECK (claimed_uuid IS NULL OR length(claimed_uuid) <= 128),
  claimed_pubkey    TEXT CHECK (claimed_pubkey IS NULL OR length(claimed_pubkey) <= 128),
  -- where it came from: `relay:wss://…`, `file:/path`, `text`
  source            TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 4096),
  -- verification: a check failed; equivocation: other signed data for a UUID we already hold
  reason            TEXT NOT NULL CHECK (reason IN ('verification', 'equivocation')),
  failed_check      TEXT NOT NULL,
  failed_message    TEXT NOT NULL,
  checks_json       TEXT NOT NULL CHECK (json_valid(checks_json) AND json_type(checks_json) = 'array'),
  received_at       TEXT NOT NULL,
  last_seen_at      TEXT NOT NULL,
  times_seen        INTEGER NOT NULL DEFAULT 1 CHECK (times_seen >= 1)
) STRICT;

-- The quarantine screen: newest first, keyset pagination on (received_at, id).
CREATE INDEX idx_import_quarantine_list ON import_quarantine (received_at DESC, id DESC);
CREATE INDEX idx_import_quarantine_uuid ON import_quarantine (claimed_uuid) WHERE claimed_uuid IS NOT NULL;

-- Live discovery: the newest created_at seen per relay, so a restart subscribes with `since` and does not replay
-- everything. A hint, not a guarantee (events may still repeat; import de-duplicates by id).
CREATE TABLE discovery_cursors (
  relay_url       TEXT PRIMARY KEY CHECK (length(relay_url) <= 2048 AND (relay_url GLOB 'ws://?*' OR relay_url GLOB 'wss://?*')),
  last_created_at INTEGER NOT NULL CHECK (last_created_at >= 0),
  updated_at      TEXT NOT NULL
) STRICT;
