// The web console's one-click sign-in code for a development Worker (`npm start`, the browser
// test): 32 random bytes as base64url (256 bits, above the 128 an unguessable one-time code needs).
// The code goes only into the printed `#login=` link; the Worker gets its SHA-256 and when it was
// made, in the private secrets file of spawnWranglerDev (wrangler-dev.mjs), never on a command line.
// The Worker trades the code once, within 15 minutes, for a console token (src/worker/console/login.ts).
import { createHash, randomBytes } from "node:crypto";

/**
 * A fresh code, the secrets that tell the Worker about it, and the link for `base`.
 * @example
 * const login = makeConsoleLogin("http://127.0.0.1:8787");
 * spawnWranglerDev({ ..., secrets: { RUNNER_JWT_SECRET: secret, ...login.secrets } });
 * console.log(login.link);
 */
export function makeConsoleLogin(base, now = Date.now()) {
  const code = randomBytes(32).toString("base64url");
  return {
    code,
    link: `${base}/#login=${code}`,
    secrets: {
      CONSOLE_LOGIN_CODE_SHA256: createHash("sha256").update(code).digest("hex"),
      CONSOLE_LOGIN_CODE_ISSUED_AT: String(now),
    },
  };
}
