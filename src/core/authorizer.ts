/**
 * The credential seam between the transport and `auth`: the transport asks for an
 * `Authorization` value before each attempt, reports a 401 back (and, to an
 * {@link AcceptingAuthorizer}, a 2xx). `core` declares it so it never imports `auth`.
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
  /**
   * The credential for the next attempt (fetching or refreshing a token when needed; in the
   * cool-down after {@link refusedAfterRefresh}, the refused one, without requesting another).
   */
  authorize(): Promise<AppliedCredential>;
  /**
   * The credential {@link authorize} would resolve with at once, when it is already in hand (a
   * fresh cached token, a fixed key); undefined when getting one may wait. Saves a wait per request.
   */
  held?(): AppliedCredential | undefined;
  /**
   * Told that `used` got a 401, the call's first (a call with a streaming body is never replayed,
   * and its 401 is returned without telling the authorizer). Resolves true when replaying once
   * with a fresh credential makes sense (the stale token was dropped, or another caller already
   * replaced it), false when it does not (a static API key): the 401 is then returned as it is.
   * Rejects to end the call with the authorizer's own error, nothing replayed: in the cool-down
   * that {@link refusedAfterRefresh} begins, a 401 on the refused token fails the call with
   * `CERTN_AUTH_TOKEN_REFUSED`, and no token is requested.
   */
  refreshAfter401(used: AppliedCredential): Promise<boolean>;
  /**
   * Told that `used`, the credential of the replay that {@link refreshAfter401} allowed, got a
   * 401 too: a credential obtained moments ago is refused, so a misconfigured credential would
   * otherwise cost a new token for every call. That replay's 401 is returned as it is, and a
   * cool-down begins in which the authorizer requests no new token: {@link authorize} resolves
   * to that last (refused) credential, so each call still sends its request once with it (the API
   * may have refused it for a passing reason). A 2xx on it ({@link AcceptingAuthorizer.accepted})
   * ends the cool-down; a 401 on it makes {@link refreshAfter401} reject. The cool-down also ends
   * when a credential that was not refused turns up another way, or when its time is over.
   */
  refusedAfterRefresh(used: AppliedCredential): Promise<void>;
}

/**
 * An {@link Authorizer} that may also hear that a credential was accepted (a 2xx answered it):
 * how a client-credentials or token-provider authorizer ends its refused-token cool-down.
 */
export interface AcceptingAuthorizer extends Authorizer {
  /** Told that `used` got a 2xx. Synchronous: it runs for every successful attempt. */
  accepted?(used: AppliedCredential): void;
}
