-- certn-edge D1 schema: monitors pinned to the collection they were saved with, and
-- Idempotency-Key request digests keyed with a deployment secret. Apply it before deploying the
-- Worker that reads it (npx wrangler d1 migrations apply DB --remote).

-- Stored collections are shared (any collections:write caller may replace one), while a monitor
-- runs as its owner with the owner's sealed inputs: it keeps the SHA-256 (lower-case hex) of its
-- collection's canonical stored text (the validated collection as JSON, what COLLECTIONS holds)
-- from when it was saved, and a fire whose stored collection has another digest starts no run
-- (start error COLLECTION_CHANGED) until its owner saves the monitor again. Bundled collections
-- are run as deployed. NULL for a monitor saved before this migration: it runs its collection as
-- it stands, as before (logged at each fire), until its next save pins it.
ALTER TABLE monitors ADD COLUMN collection_sha256 TEXT;

-- idempotency_keys.body_hash keeps its name but now holds HMAC-SHA256 of the route and body under
-- a key derived by HKDF from a deployment secret (src/worker/idempotency.ts), no longer a plain
-- SHA-256 against which a reader of D1 could confirm guesses of the body's secrets offline. The
-- plain digests written before are dropped here; their claims stay, so a repeat of such a
-- request within its 24 hours is refused as IDEMPOTENCY_KEY_REUSED (another body), never run
-- twice, and the rows expire as before.
UPDATE idempotency_keys SET body_hash = 'dropped:unkeyed-sha256';
