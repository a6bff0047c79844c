-- 005_relay_subscribe: a per-relay switch for live discovery. A relay that is enabled, read from and subscribed is
-- followed while the app runs (one long-lived kind-31106 subscription, resumed from discovery_cursors).
-- Off by default: an existing relay list must not start streaming from relays nobody asked to follow.
ALTER TABLE relays ADD COLUMN subscribe INTEGER NOT NULL DEFAULT 0 CHECK (subscribe IN (0, 1));
