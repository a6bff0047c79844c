-- 002_relays_outbox: the administrator's relays, and the durable publish outbox.
-- Conventions of 001 apply (STRICT, lowercase hex ids, RFC 3339 UTC stamps passed in by the caller, 0/1 booleans).

-- Relays we know. `url` is the normalised form (electron/relays/url.ts), so one relay is one row whatever spelling
-- was typed. nip11_json caches the relay's NIP-11 document as fetched (parsed and type-guarded before storing).
CREATE TABLE relays (
  url              TEXT PRIMARY KEY CHECK (length(url) <= 2048 AND (url GLOB 'ws://?*' OR url GLOB 'wss://?*')),
  enabled          INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  read             INTEGER NOT NULL DEFAULT 1 CHECK (read IN (0, 1)),
  write            INTEGER NOT NULL DEFAULT 1 CHECK (write IN (0, 1)),
  nip11_json       TEXT CHECK (nip11_json IS NULL OR (json_valid(nip11_json) AND json_type(nip11_json) = 'object')),
  nip11_fetched_at TEXT,
  added_at         TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  -- the last thing that went wrong talking to this relay (NIP-11 fetch), shown next to it; NULL once it works again
  last_error       TEXT,
  CHECK ((nip11_json IS NULL) = (nip11_fetched_at IS NULL))
) STRICT;

-- Events we publish that are not a declaration's own events: NIP-09 deletion requests (kind 5) made when a signed
-- `declaration-revoke` is published. The signed revocation stays the source of truth; this is the best-effort echo.
-- event_json is the exact text signed, never re-serialised.
CREATE TABLE publish_extra_events (
  event_id          TEXT PRIMARY KEY CHECK (length(event_id) = 64 AND event_id NOT GLOB '*[^0-9a-f]*'),
  -- the declaration whose publication made this event (the revocation)
  declaration_uuid  TEXT NOT NULL REFERENCES admindeclarations (declaration_uuid) ON DELETE CASCADE,
  role              TEXT NOT NULL CHECK (role IN ('deletion')),
  -- the declaration the deletion asks relays to drop
  target_uuid       TEXT NOT NULL,
  pubkey            TEXT NOT NULL CHECK (length(pubkey) = 64 AND pubkey NOT GLOB '*[^0-9a-f]*'),
  event_json        TEXT NOT NULL CHECK (json_valid(event_json)),
  recorded_at       TEXT NOT NULL,
  CHECK (json_extract(event_json, '$.id') = event_id AND json_extract(event_json, '$.pubkey') = pubkey),
  UNIQUE (declaration_uuid, target_uuid, pubkey)
) STRICT;

-- One row per (declaration, event, relay): written `pending` before anything goes on the wire, then updated as each
-- relay answers. A crash leaves `pending`/`retrying` rows that the next resume sends again; UNIQUE(event_id, relay_url)
-- keeps a pair from ever being recorded twice. States: pending (not sent or no answer recorded yet), retrying (a
-- transient failure; next try at next_attempt_at), published (OK true, `duplicate:` included), failed (final).
CREATE TABLE publish_outbox (
  id               INTEGER PRIMARY KEY,
  declaration_uuid TEXT NOT NULL REFERENCES admindeclarations (declaration_uuid) ON DELETE CASCADE,
  event_id         TEXT NOT NULL CHECK (length(event_id) = 64 AND event_id NOT GLOB '*[^0-9a-f]*'),
  role             TEXT NOT NULL CHECK (role IN ('primary', 'wrapper', 'countersignature', 'deletion')),
  relay_url        TEXT NOT NULL CHECK (length(relay_url) <= 2048 AND (relay_url GLOB 'ws://?*' OR relay_url GLOB 'wss://?*')),
  state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'published', 'failed', 'retrying')),
  -- EVENT frames sent for this pair, over every round
  attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at  TEXT,
  -- the relay's own words (or what went wrong on the way), shown as is
  last_message     TEXT,
  -- machine-readable prefix of the OK message (`rate-limited`), or the transport failure kind (`timeout`)
  last_prefix      TEXT,
  first_sent_at    TEXT,
  published_at     TEXT,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (event_id, relay_url),
  CHECK (state <> 'published' OR published_at IS NOT NULL),
  CHECK (state <> 'retrying' OR next_attempt_at IS NOT NULL)
) STRICT;

-- "What is due": pending rows and retrying rows whose time has come, oldest first.
CREATE INDEX idx_publish_outbox_due ON publish_outbox (state, next_attempt_at);
CREATE INDEX idx_publish_outbox_declaration ON publish_outbox (declaration_uuid, event_id);
