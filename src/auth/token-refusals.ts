/**
 * What a client remembers about the tokens the API refused.
 *
 * A token that got a 401 is remembered (the last few), so a token store or a token provider cannot
 * hand it back. When the token obtained by the refresh after a 401 is refused too, the credential
 * itself is likely the problem (an account of another environment, a revoked client, no API
 * access): refreshing again would cost one token request per call and fix nothing. So the
 * "refused fresh token" state begins. For {@link REFUSED_TOKEN_COOLDOWN_MS} no new token is
 * requested, but a call still sends its request once, with the last token obtained (the refused
 * one): the API may have refused it for a passing reason and recovered since. A 2xx answer ends the
 * state (the token is trusted again); a 401 fails that call with a `CertnAuthError`
 * (`CERTN_AUTH_TOKEN_REFUSED`) and changes nothing else, so the token endpoint hears nothing more
 * before the cool-down is over. The state also ends early when a token that was not refused turns up
 * some other way (another client or isolate wrote one to the shared token store; a token provider
 * hands out a different one). After the cool-down the next call requests a token again, so a
 * credential that was fixed meanwhile works without a restart, and a misconfigured one costs two
 * token requests per cool-down at most.
 */
import { CertnAuthError, CertnErrorCode } from "../core/errors.ts";

/** How long no token is requested after a freshly obtained token was refused, in ms. */
export const REFUSED_TOKEN_COOLDOWN_MS = 5 * 60_000;
/** How many tokens that got a 401 are remembered. */
const REMEMBERED_TOKENS = 8;

/** The refusals of one client's credential. */
export interface TokenRefusals {
  /** Remembers that `token` got a 401. */
  reject(token: string): void;
  /** True for a token that got a 401 lately (and has not been accepted since). */
  isRejected(token: string): boolean;
  /** Begins the refused state: `token`, obtained by the refresh after a 401, got a 401 too. */
  refuse(token: string): void;
  /** True while the refused state holds. */
  coolingDown(): boolean;
  /** The token a call sends while the refused state holds: the refused one. */
  lastToken(): string | undefined;
  /**
   * Told that `token` got a 2xx: the credentials work. True when that ends the refused state; the
   * token is then no longer counted as rejected.
   */
  accept(token: string): boolean;
  /** Ends the refused state: a token that was not refused was obtained some other way. */
  clear(): void;
  /** The error of a call whose request was refused while cooling down (no token, no secret in it). */
  error(): CertnAuthError;
}

/** Creates the refusal memory of one credential; `now` is the client's clock. */
export function createTokenRefusals(now: () => number): TokenRefusals {
  const rejected: string[] = [];
  let refusedUntil: number | undefined;
  let refused: string | undefined;

  const reject = (token: string): void => {
    if (rejected.includes(token)) return;
    if (rejected.push(token) > REMEMBERED_TOKENS) rejected.shift();
  };
  const coolingDown = (): boolean => refusedUntil !== undefined && now() < refusedUntil;
  const clear = (): void => {
    refusedUntil = undefined;
    refused = undefined;
  };

  return {
    reject,
    isRejected: (token) => rejected.includes(token),
    refuse(token) {
      reject(token);
      refused = token;
      refusedUntil = now() + REFUSED_TOKEN_COOLDOWN_MS;
    },
    coolingDown,
    lastToken: () => (coolingDown() ? refused : undefined),
    accept(token) {
      if (!coolingDown()) return false;
      clear();
      const index = rejected.indexOf(token);
      if (index !== -1) rejected.splice(index, 1);
      return true;
    },
    clear,
    error() {
      const seconds = Math.max(1, Math.ceil(((refusedUntil ?? now()) - now()) / 1000));
      return new CertnAuthError(
        `the API refused an access token obtained moments ago (a 401 right after a token refresh), so it refuses these credentials; no new token is requested for ${seconds} s (meanwhile a call sends its request once with that token). Check that the credentials belong to this base URL (demo, sandbox and production accounts are separate)`,
        { code: CertnErrorCode.AUTH_TOKEN_REFUSED, status: 401 },
      );
    },
  };
}
