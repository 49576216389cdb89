/**
 * The `console_logins` table: the development entry's spent one-click sign-in codes, by their
 * SHA-256. D1 rather than KV: `INSERT OR IGNORE` on the primary key decides atomically which of
 * two racing requests spends a code, where a KV read-then-write would let both through.
 */

/**
 * A code is refused this long after `npm start` made it: 15 minutes. A spent code's row matters
 * only until then (it was spent after it was made), so retention drops rows this old.
 */
export const CONSOLE_LOGIN_CODE_TTL_MS = 15 * 60 * 1000;

/**
 * Spends the code whose SHA-256 is `codeSha256`: true when this call spent it, false when it was
 * spent before.
 * @example
 * if (!(await spendConsoleLoginCode(env.DB, hash, Date.now()))) refuse("already used");
 */
export async function spendConsoleLoginCode(
  db: D1Database,
  codeSha256: string,
  now: number,
): Promise<boolean> {
  const result = await db
    .prepare("INSERT OR IGNORE INTO console_logins (code_sha256, spent_at) VALUES (?, ?)")
    .bind(codeSha256, now)
    .run();
  return (result.meta.changes ?? 0) > 0;
}
