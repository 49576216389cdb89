/**
 * The security headers of everything the console serves: the shell (from the Worker) and its
 * script and style sheet (Workers Static Assets, whose `assets/_headers` scripts/bundle-console.mjs
 * writes from these). Plain data without imports, so that script can read it as it is.
 */

/**
 * The console's Content-Security-Policy: only this origin's script and style sheet, no inline
 * script or style, no plugin, no framing, no `<base>`, forms posting only here; DOM sinks that
 * parse HTML from strings (`innerHTML`...) are refused outright by Trusted Types.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join("; ");

/** Headers of every console response (the shell and its assets). */
export const CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": CONSOLE_CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
};
