/**
 * The credential seam between the transport and `auth`: the transport asks for an
 * `Authorization` value before each attempt and reports a 401 back. `core` declares it so it
 * never imports `auth`.
 */

/** A credential as attached to one attempt. */
export interface AppliedCredential {
  /** The `Authorization` header value, for example `Bearer abc`. */
  header: string;
  /** The token or key inside it, compared after a 401 to refresh only a still-current token. */
  token: string;
}

/** Supplies credentials to the transport. */
export interface Authorizer {
  /** The credential for the next attempt (fetching or refreshing a token when needed). */
  authorize(): Promise<AppliedCredential>;
  /**
   * The credential {@link authorize} would resolve with at once, when it is already in hand (a
   * fresh cached token, a fixed key); undefined when getting one may wait. Saves a wait per request.
   */
  held?(): AppliedCredential | undefined;
  /**
   * Told that `used` got a 401. Resolves true when replaying once with a fresh credential makes
   * sense (the stale token was dropped, or another caller already replaced it), false otherwise
   * (a static API key).
   */
  refreshAfter401(used: AppliedCredential): Promise<boolean>;
  /**
   * Told that `used`, the credential of the replay that {@link refreshAfter401} allowed, got a
   * 401 too: a credential obtained moments ago is refused, so a misconfigured credential would
   * otherwise cost a new token for every call. The authorizer stops refreshing for a while, and
   * {@link authorize} fails at once with `CERTN_AUTH_TOKEN_REFUSED` meanwhile.
   */
  refusedAfterRefresh(used: AppliedCredential): Promise<void>;
}
