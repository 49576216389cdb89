/**
 * A caller-supplied token provider. Concurrent attempts share one provider call; after a 401 the
 * provider is asked once with `forceRefresh: true`, and the request is replayed only if that
 * yields a different token. When that new token is refused too, the provider is not asked to
 * refresh again for a cool-down (see `token-refusals.ts`): while it keeps handing out the refused
 * token, calls send their request once with it; a 2xx ends the state, a 401 fails the call with
 * `CERTN_AUTH_TOKEN_REFUSED`. A different token from the provider ends the state too.
 */
import { CertnAuthError, CertnErrorCode, isCertnError } from "../core/errors.ts";
import type { TokenAuthorizer, TokenProvider } from "./credentials.ts";
import { createTokenRefusals } from "./token-refusals.ts";

/** An authorizer for a {@link TokenProvider}; `now` is the client's clock (for the cool-down). */
export function createTokenProviderAuthorizer(provider: TokenProvider, now: () => number): TokenAuthorizer {
  // One provider call in flight per kind. A plain ask may join a forced one (its token is the
  // freshest), but never the other way round: a plain call may hand back the very token a 401 just
  // refused. Nor does a plain ask join a plain call that started before the last forced refresh
  // ended (the replay after a refresh would get the refused token from it).
  interface Call {
    promise: Promise<string>;
    /** How many forced refreshes had ended when it started. */
    after: number;
  }
  const inflight: { plain?: Call | undefined; forced?: Call | undefined } = {};
  let refreshes = 0;
  const refusals = createTokenRefusals(now);

  const callProvider = async (forceRefresh: boolean): Promise<string> => {
    let token: unknown;
    try {
      token = await provider({ forceRefresh });
    } catch (error) {
      if (isCertnError(error)) throw error;
      // The provider's own error may hold anything; only its name is reported.
      const name = error instanceof Error ? error.name : typeof error;
      throw new CertnAuthError(`tokenProvider failed (${name})`, { code: CertnErrorCode.AUTH_FAILED });
    }
    if (typeof token !== "string" || token === "") {
      throw new CertnAuthError("tokenProvider must resolve to a non-empty string", {
        code: CertnErrorCode.AUTH_FAILED,
      });
    }
    if (forceRefresh) refreshes += 1;
    return token;
  };

  const ask = (forceRefresh: boolean): Promise<string> => {
    const { forced, plain } = inflight;
    if (forced) return forced.promise;
    if (!forceRefresh && plain?.after === refreshes) return plain.promise;
    const kind = forceRefresh ? "forced" : "plain";
    const call: Call = { promise: callProvider(forceRefresh), after: refreshes };
    inflight[kind] = call;
    // Registered before any caller's: the slot is free by the time a caller goes on.
    const release = (): void => {
      if (inflight[kind] === call) inflight[kind] = undefined;
    };
    call.promise.then(release, release);
    return call.promise;
  };

  return {
    kind: "token-provider",
    async authorize() {
      const token = await ask(false);
      // A different token than the refused one was obtained some other way: the state ends.
      if (refusals.coolingDown() && !refusals.isRejected(token)) refusals.clear();
      return { header: `Bearer ${token}`, token };
    },
    async refreshAfter401(used) {
      // The cool-down's one attempt was refused: the call fails, and no new token is asked for.
      if (refusals.coolingDown()) throw refusals.error();
      refusals.reject(used.token);
      const next = await ask(true);
      return next !== used.token;
    },
    async refusedAfterRefresh(used) {
      refusals.refuse(used.token);
    },
    accepted(used) {
      refusals.accept(used.token);
    },
    getAccessToken: () => ask(false),
  };
}
