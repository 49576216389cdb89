/**
 * The three ways to authenticate, and the authorizer every one of them becomes. Credentials live
 * in closures only: no object the client exposes holds them as a property.
 */
import type { AcceptingAuthorizer } from "../core/send.ts";

/** OAuth2 client credentials from the Partner tab (`POST /token/`). */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** What a token provider is told when it is asked for a token. */
export interface TokenProviderContext {
  /** True after the previous token got a 401: return a new one, not a cached one. */
  forceRefresh: boolean;
}

/**
 * A function that returns an access token (for example from your own Worker), so a browser never
 * holds a client secret. Called before every attempt; cache inside it.
 */
export type TokenProvider = (context: TokenProviderContext) => Promise<string>;

/** A token provider credential. */
export interface TokenProviderCredentials {
  tokenProvider: TokenProvider;
}

/** `Authorization` scheme of an API key: `Api-Key` (CertnCentric) or `Bearer` (static v1.0 keys). */
export type ApiKeyScheme = "Api-Key" | "Bearer";

/** A static API key. */
export interface ApiKeyCredentials {
  apiKey: string;
  /** Default `Bearer`. Use `Api-Key` for CertnCentric. */
  apiKeyScheme?: ApiKeyScheme;
}

/** Any supported credential. */
export type CertnCredentials = ClientCredentials | TokenProviderCredentials | ApiKeyCredentials;

/** Which kind of credential a client uses (shown in its safe summary). */
export type CredentialKind = "client-credentials" | "token-provider" | "api-key";

/** An authorizer that can also hand out its current token. */
export interface TokenAuthorizer extends AcceptingAuthorizer {
  readonly kind: CredentialKind;
  /** The current access token (or API key), fetching one when needed. */
  getAccessToken(): Promise<string>;
}
