/**
 * The `idempotency_keys` table: a caller's `Idempotency-Key` claimed for one run and one body
 * (route and body digested with HMAC-SHA256 under a deployment key: idempotency.ts). Claims are atomic (the primary key refuses a second
 * INSERT) and last {@link IDEMPOTENCY_KEY_TTL_MS}.
 */

/** How long a key names its run: 24 hours. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/** A stored claim. */
export interface IdempotencyClaim {
  bodyHash: string;
  runId: string;
  createdAt: number;
}

/**
 * Claims `key` for `runId`; returns undefined when this call claimed it, else the earlier claim.
 * An expired claim is dropped first, so the key can be used again.
 */
export async function claimIdempotencyKey(
  db: D1Database,
  claim: { owner: string; key: string; bodyHash: string; runId: string; now: number },
): Promise<IdempotencyClaim | undefined> {
  const { owner, key, bodyHash, runId, now } = claim;
  const [, inserted] = await db.batch([
    db
      .prepare("DELETE FROM idempotency_keys WHERE owner = ? AND key = ? AND created_at < ?")
      .bind(owner, key, now - IDEMPOTENCY_KEY_TTL_MS),
    db
      .prepare(
        "INSERT OR IGNORE INTO idempotency_keys (owner, key, body_hash, run_id, created_at) VALUES (?, ?, ?, ?, ?)",
      )
      .bind(owner, key, bodyHash, runId, now),
  ]);
  if ((inserted?.meta.changes ?? 0) > 0) return undefined;
  const row = await db
    .prepare("SELECT body_hash, run_id, created_at FROM idempotency_keys WHERE owner = ? AND key = ?")
    .bind(owner, key)
    .first<{ body_hash: string; run_id: string; created_at: number }>();
  // Gone between the two statements (an expiry sweep): report it as still in use; a retry claims it.
  if (row === null) return { bodyHash: bodyHash, runId: "", createdAt: now };
  return { bodyHash: row.body_hash, runId: row.run_id, createdAt: row.created_at };
}

/** Gives a key back (its run was refused before it started). */
export async function releaseIdempotencyKey(
  db: D1Database,
  owner: string,
  key: string,
  runId: string,
): Promise<void> {
  await db
    .prepare("DELETE FROM idempotency_keys WHERE owner = ? AND key = ? AND run_id = ?")
    .bind(owner, key, runId)
    .run();
}

/**
 * Moves a claim from run `from` to run `to` (the claim of a run that was never recorded); false
 * when another request moved or dropped it first.
 * @example
 * if (await takeOverIdempotencyKey(db, { owner, key, from: lostRunId, to: runId, now })) startRun();
 */
export async function takeOverIdempotencyKey(
  db: D1Database,
  claim: { owner: string; key: string; from: string; to: string; now: number },
): Promise<boolean> {
  const outcome = await db
    .prepare(
      "UPDATE idempotency_keys SET run_id = ?, created_at = ? WHERE owner = ? AND key = ? AND run_id = ?",
    )
    .bind(claim.to, claim.now, claim.owner, claim.key, claim.from)
    .run();
  return outcome.meta.changes > 0;
}
