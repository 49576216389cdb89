/**
 * A caller-supplied token provider. Concurrent attempts share one provider call; after a 401 the
 * provider is asked once with `forceRefresh: true`, and the request is replayed only if that
 * yields a different token.
 */
import { CertnAuthError, CertnErrorCode, isCertnError } from "../core/errors.ts";
import type { TokenAuthorizer, TokenProvider } from "./credentials.ts";

/** An authorizer for a {@link TokenProvider}. */
export function createTokenProviderAuthorizer(provider: TokenProvider): TokenAuthorizer {
  let inflight: Promise<string> | undefined;

  const ask = (forceRefresh: boolean): Promise<string> => {
    inflight ??= (async () => {
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
      return token;
    })().finally(() => {
      inflight = undefined;
    });
    return inflight;
  };

  return {
    kind: "token-provider",
    async authorize() {
      const token = await ask(false);
      return { header: `Bearer ${token}`, token };
    },
    async refreshAfter401(used) {
      const next = await ask(true);
      return next !== used.token;
    },
    getAccessToken: () => ask(false),
  };
}
