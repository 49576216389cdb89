/** `POST /token/`: OAuth2 client credentials (certn-api.md §2.1, §7 #1, #2). */
import {
  TOKEN_ALPHABET,
  TOKEN_ERRORS,
  TOKEN_LENGTH,
  TOKEN_SCOPE,
  TOKEN_TYPE,
} from "../../assumptions/partner.ts";
import { clientCredentials } from "../../auth.ts";
import { json } from "../../http.ts";
import { type RouteContext, type RouteDef, route } from "../../runtime.ts";

const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };

function oauthError(status: number, body: object): Response {
  return json(body, status, NO_STORE);
}

/** Constant-time-ish comparison, so the simulator does not teach timing leaks by example. */
function sameString(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  return diff === 0;
}

async function issueToken(ctx: RouteContext): Promise<Response> {
  const mediaType = (ctx.request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/x-www-form-urlencoded") return oauthError(400, TOKEN_ERRORS.badContentType);
  // Decoded by hand: workerd warns when .text() reads a form-typed body.
  const form = new URLSearchParams(new TextDecoder().decode(await ctx.request.arrayBuffer()));
  const grantType = form.get("grant_type");
  if (grantType === null || grantType === "") return oauthError(400, TOKEN_ERRORS.missingGrant);
  if (grantType !== "client_credentials") return oauthError(400, TOKEN_ERRORS.unsupportedGrant);
  const presented = clientCredentials(ctx.request, form);
  const client =
    presented &&
    ctx.rt.options.clients.find(
      (c) => c.clientId === presented.clientId && sameString(c.clientSecret, presented.clientSecret),
    );
  if (!client) return oauthError(401, TOKEN_ERRORS.invalidClient);
  const token = ctx.rt.rng.string(TOKEN_LENGTH, TOKEN_ALPHABET);
  const expiresIn = ctx.rt.options.tokenExpiresIn;
  ctx.rt.state.tokens.set(token, {
    token,
    clientId: client.clientId,
    issuedAt: ctx.now,
    expiresAt: ctx.now + expiresIn * 1000,
  });
  return json(
    { access_token: token, expires_in: expiresIn, token_type: TOKEN_TYPE, scope: TOKEN_SCOPE },
    200,
    NO_STORE,
  );
}

/** The token endpoint. It sits outside the API rate limit (a documented simulator choice). */
export const tokenRoutes: RouteDef[] = [route.open("POST", "/token/", issueToken)];
