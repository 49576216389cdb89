/**
 * Structured console logs. Callers pass only counts, ids and fixed messages: never a credential,
 * a token, a secret, a body or a query string (the fields are typed to keep it that way).
 */

/** Values a log line may carry. */
export type LogFields = Record<string, string | number | boolean | undefined>;

/** Writes one log line. */
export type Logger = (level: "info" | "warn" | "error", message: string, fields?: LogFields) => void;

/** The default logger: one JSON object per line on the console. */
export const consoleLogger: Logger = (level, message, fields = {}) => {
  const line = JSON.stringify({ level, msg: message, ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
};

/** The name of an error's class, safe to log (messages may quote upstream text). */
export function errorKind(error: unknown): string {
  if (error instanceof Error) {
    const code = "code" in error && typeof error.code === "string" ? `:${error.code}` : "";
    return `${error.name}${code}`;
  }
  return typeof error;
}
