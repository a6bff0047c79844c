-- 006_relay_auth_key: which of this store's Nostr keys answers a relay's NIP-42 AUTH when we read from it (import,
-- live discovery). NULL = none: a relay that requires AUTH for REQ is then reported, never answered with a guessed key,
-- because authenticating tells the relay which key reads from it. Deleting the key clears the choice.
ALTER TABLE relays ADD COLUMN auth_keypair_uuid TEXT REFERENCES keypairs (keypair_uuid) ON DELETE SET NULL;
