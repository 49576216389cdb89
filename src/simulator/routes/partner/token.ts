/** `POST /token/`: OAuth2 client credentials (certn-api.md §2.1, §7 #1, #2). */
import {
  ACCESS_TOKEN_SHAPE,
  TOKEN_BODY_TYPE,
  TOKEN_ERRORS,
  TOKEN_NO_STORE,
  TOKEN_RESPONSE_EXTRAS,
} from "../../assumptions/partner-auth.ts";
import { clientCredentials } from "../../auth.ts";
import { json } from "../../http.ts";
import { type RouteContext, type RouteDef, route } from "../../runtime.ts";

function oauthError(status: number, body: object): Response {
  return json(body, status, TOKEN_NO_STORE.value);
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
  // Decoded by hand: workerd warns when .text() reads a form-typed body. A body of another type
  // is not parsed into the form (Django's request.POST), so it reads as an empty one.
  const text = new TextDecoder().decode(await ctx.request.arrayBuffer());
  const form = new URLSearchParams(mediaType === TOKEN_BODY_TYPE.value ? text : "");
  const errors = TOKEN_ERRORS.value;
  const grantType = form.get("grant_type");
  if (grantType === null || grantType === "") return oauthError(400, errors.missingGrant);
  if (grantType !== "client_credentials") return oauthError(400, errors.unsupportedGrant);
  const presented = clientCredentials(ctx.request, form);
  const client = ctx.rt.options.clients.find((c) =>
    presented.some((p) => c.clientId === p.clientId && sameString(c.clientSecret, p.clientSecret)),
  );
  if (!client) return oauthError(401, errors.invalidClient);
  const token = ctx.rt.rng.string(ACCESS_TOKEN_SHAPE.value.length, ACCESS_TOKEN_SHAPE.value.alphabet);
  const expiresIn = ctx.rt.options.tokenExpiresIn;
  ctx.rt.state.tokens.set(token, {
    token,
    clientId: client.clientId,
    issuedAt: ctx.now,
    expiresAt: ctx.now + expiresIn * 1000,
  });
  return json(
    { access_token: token, expires_in: expiresIn, ...TOKEN_RESPONSE_EXTRAS.value },
    200,
    TOKEN_NO_STORE.value,
  );
}

/** The token endpoint (outside the API rate limit: OPEN_ROUTES_RATE_LIMITED). */
export const tokenRoutes: RouteDef[] = [route.open("POST", "/token/", issueToken)];
