/**
 * Gen A session logins (certn-api.md §2.3): `POST/GET /api/v1/authenticate/`, `POST /api/v1/logout/`,
 * `POST /api/v1/logoutall/` and the variant `POST /api/v2/login/`. Their tokens are sent as
 * `Authorization: Token <t>` to the gen A/B1 paths.
 */
import {
  INVALID_LOGIN,
  LOGIN_CHALLENGE,
  LOGIN_USER_FIELDS,
  NOT_AUTHENTICATED,
  SESSION_EXPIRES_UNIT_MS,
  SESSION_EXPIRES_WHEN_OMITTED,
  SESSION_TOKEN_SHAPE,
} from "../../assumptions/partner-auth.ts";
import { readJsonBody } from "../../body.ts";
import { detail, isObject, isoTime, json, pythonType } from "../../http.ts";
import { DRF } from "../../messages.ts";
import { type AuthedContext, type RouteContext, type RouteDef, route } from "../../runtime.ts";
import type { SessionRecord, UserRecord } from "../../state.ts";

/**
 * `user:password` from HTTP Basic (RFC 7617). Unlike OAuth client credentials (RFC 6749 §2.3.1,
 * auth.ts), the two parts are not form-url-encoded, so they are taken as they are.
 */
function basicLogin(request: Request): { username: string; password: string } | undefined {
  const header = request.headers.get("authorization") ?? "";
  if (!/^basic /i.test(header)) return undefined;
  try {
    const bytes = Uint8Array.from(atob(header.slice(6).trim()), (ch) => ch.charCodeAt(0));
    const decoded = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    const colon = decoded.indexOf(":");
    if (colon === -1) return undefined;
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  } catch {
    return undefined;
  }
}

/** The user behind the Basic header, or the 401 (certn-api.md §2.3). */
function login(ctx: RouteContext): UserRecord | Response {
  const challenge = { "www-authenticate": LOGIN_CHALLENGE.value };
  const presented = basicLogin(ctx.request);
  if (presented === undefined) return detail(401, NOT_AUTHENTICATED.value, challenge);
  const user = [...ctx.rt.state.users.values()].find(
    (u) => u.is_active && u.email.toLowerCase() === presented.username.toLowerCase(),
  );
  if (user === undefined || presented.password !== ctx.rt.options.userPassword) {
    return detail(401, INVALID_LOGIN.value, challenge);
  }
  return user;
}

/** Lifetime from the body's `expires` (hours; null never expires), or the 400. */
async function lifetime(ctx: RouteContext): Promise<number | null | Response> {
  const body = await readJsonBody(ctx.request);
  if (!body.ok) return detail(body.status, body.message);
  if (!isObject(body.value)) return json({ non_field_errors: [DRF.notADict(pythonType(body.value))] }, 400);
  if (!("expires" in body.value)) return SESSION_EXPIRES_WHEN_OMITTED.value;
  const hours = body.value.expires;
  if (hours === null) return null;
  if (typeof hours !== "number" || !Number.isInteger(hours) || hours < 1) {
    return json({ expires: [DRF.invalidInteger] }, 400);
  }
  return hours * SESSION_EXPIRES_UNIT_MS.value;
}

async function startSession(
  ctx: RouteContext,
): Promise<{ user: UserRecord; session: SessionRecord } | Response> {
  const user = login(ctx);
  if (user instanceof Response) return user;
  const ms = await lifetime(ctx);
  if (ms instanceof Response) return ms;
  const { length, alphabet } = SESSION_TOKEN_SHAPE.value;
  const session: SessionRecord = {
    token: ctx.rt.rng.string(length, alphabet),
    userId: user.id,
    createdAt: ctx.now,
    expiresAt: ms === null ? null : ctx.now + ms,
  };
  ctx.rt.state.sessions.set(session.token, session);
  return { user, session };
}

/** `POST /api/v1/authenticate/`: `{user_id, token}` [DOC]. */
async function authenticate(ctx: RouteContext): Promise<Response> {
  const started = await startSession(ctx);
  if (started instanceof Response) return started;
  return json({ user_id: started.user.id, token: started.session.token });
}

/** `GET /api/v1/authenticate/`: the user's live sessions, by `token_key` [DOC]. */
function listSessions(ctx: RouteContext): Response {
  const user = login(ctx);
  if (user instanceof Response) return user;
  const live = [...ctx.rt.state.sessions.values()].filter(
    (s) => s.userId === user.id && (s.expiresAt === null || s.expiresAt > ctx.now),
  );
  return json(
    live.map((s) => ({
      created: isoTime(s.createdAt),
      expires: s.expiresAt === null ? null : isoTime(s.expiresAt),
      token_key: s.token.slice(0, SESSION_TOKEN_SHAPE.value.keyLength),
    })),
  );
}

/** `POST /api/v2/login/`: `{expiry, token, user}` [CODE]. */
async function loginV2(ctx: RouteContext): Promise<Response> {
  const started = await startSession(ctx);
  if (started instanceof Response) return started;
  const { user, session } = started;
  const fields: Record<string, unknown> = { ...user };
  return json({
    expiry: session.expiresAt === null ? null : isoTime(session.expiresAt),
    token: session.token,
    user: Object.fromEntries(LOGIN_USER_FIELDS.value.map((key) => [key, fields[key]])),
  });
}

/** `POST /api/v1/logout/` revokes the presented token; `logoutall/` every token of its user. */
function logout(all: boolean) {
  return (ctx: AuthedContext): Response => {
    const sessions = ctx.rt.state.sessions;
    const current = sessions.get(ctx.principal.sessionToken ?? "");
    for (const s of [...sessions.values()]) {
      if (s === current || (all && current !== undefined && s.userId === current.userId))
        sessions.delete(s.token);
    }
    return new Response(null, { status: 204 });
  };
}

/** The gen A session routes. */
export const sessionRoutes: RouteDef[] = [
  route.login("POST", "/api/v1/authenticate/", authenticate),
  route.login("GET", "/api/v1/authenticate/", listSessions),
  route.login("POST", "/api/v2/login/", loginV2),
  route.session("POST", "/api/v1/logout/", logout(false)),
  route.session("POST", "/api/v1/logoutall/", logout(true)),
];
