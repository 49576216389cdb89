/** Types of scripts/console-login.mjs for the tests that import it. */
export declare function makeConsoleLogin(
  base: string,
  now?: number,
): {
  /** The one-time code (base64url); it belongs in the link only. */
  code: string;
  /** `${base}/#login=${code}`. */
  link: string;
  /** What the Worker gets: the code's SHA-256 (hex) and when it was made (ms since the epoch). */
  secrets: { CONSOLE_LOGIN_CODE_SHA256: string; CONSOLE_LOGIN_CODE_ISSUED_AT: string };
};
