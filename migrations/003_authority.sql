-- Authority (devdocs/authority.md): the trust anchors this installation pinned, and which stored versions an update
-- superseded (revocation has its columns in admindeclarations already).

-- Master Admin keys pinned explicitly. Only these are anchors: generating or holding a master-admin key pins nothing.
-- The fingerprint is what the evaluator matches; the public key is kept so the anchor can be shown as an npub or
-- canonical name and its fingerprint recomputed (a fingerprint alone is pinned only for a key the store knows).
CREATE TABLE trust_anchors (
  fingerprint     TEXT PRIMARY KEY CHECK (length(fingerprint) = 64 AND fingerprint NOT GLOB '*[^0-9a-f]*'),
  algorithm       TEXT NOT NULL CHECK (algorithm IN ('nostr', 'ed25519', 'rsa', 'ml-dsa-65')),
  public_key      TEXT NOT NULL CHECK (length(public_key) > 0 AND length(public_key) % 2 = 0 AND public_key NOT GLOB '*[^0-9a-f]*'),
  canonical_name  TEXT NOT NULL,
  label           TEXT CHECK (label IS NULL OR length(label) BETWEEN 1 AND 128),
  pinned_at       TEXT NOT NULL,
  note            TEXT CHECK (note IS NULL OR length(note) <= 1024)
) STRICT;

-- Versions no longer current: the latest authorized update of the declaration's chain. Derived by the evaluator from
-- the stored declarations (like admindeclarations.is_revoked), rewritten whenever they or the anchors change.
CREATE TABLE declaration_supersessions (
  declaration_uuid                TEXT PRIMARY KEY REFERENCES admindeclarations (declaration_uuid) ON DELETE CASCADE,
  superseded_by_declaration_uuid  TEXT NOT NULL CHECK (superseded_by_declaration_uuid <> declaration_uuid)
) STRICT;
