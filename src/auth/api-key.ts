/** Static API keys: attached as they are; a 401 cannot be fixed by refreshing, so it is returned. */
import type { ApiKeyScheme, TokenAuthorizer } from "./credentials.ts";

/** An authorizer for a static API key. */
export function createApiKeyAuthorizer(apiKey: string, scheme: ApiKeyScheme): TokenAuthorizer {
  const credential = { header: `${scheme} ${apiKey}`, token: apiKey };
  return {
    kind: "api-key",
    authorize: async () => credential,
    held: () => credential,
    refreshAfter401: async () => false,
    // Never replayed (refreshAfter401 says no), so never told about a refused replay.
    refusedAfterRefresh: async () => undefined,
    getAccessToken: async () => apiKey,
  };
}
