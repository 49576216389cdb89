/** What every route handler is given: the instance's state, clock, randomness and options. */
import type { ResettableClock } from "./clock.ts";
import type { Principal, ResolvedOptions } from "./options.ts";
import type { RateLimiter } from "./rate-limit.ts";
import type { SeededRandom } from "./rng.ts";
import type { SimState } from "./state.ts";

/** One simulator instance's moving parts. */
export interface SimRuntime {
  options: ResolvedOptions;
  clock: ResettableClock;
  rng: SeededRandom;
  state: SimState;
  partnerLimiter: RateLimiter;
  centricLimiter: RateLimiter;
}

/** A request as a handler sees it. */
export interface RouteContext {
  request: Request;
  url: URL;
  params: Readonly<Record<string, string>>;
  rt: SimRuntime;
  now: number;
}

/** A request on a route that needed a credential. */
export interface AuthedContext extends RouteContext {
  principal: Principal;
}

/** A request on a CertnCentric route, with the API key's rate-limit bucket. */
export interface CentricContext extends RouteContext {
  keyBucket: string;
}

/**
 * Which credential check a route needs: none (a plain Django view such as `/token/`), a gen A
 * login (a DRF view that reads HTTP Basic itself), a session token only (knox's logout views),
 * any partner credential, or a CertnCentric key.
 */
export type RouteAuth = "none" | "login" | "session" | "partner" | "centric";

/** One route: method, Hono path pattern and handler. */
export type RouteDef =
  | {
      method: string;
      pattern: string;
      auth: "none";
      handle: (ctx: RouteContext) => Response | Promise<Response>;
    }
  | {
      method: string;
      pattern: string;
      auth: "login";
      handle: (ctx: RouteContext) => Response | Promise<Response>;
    }
  | {
      method: string;
      pattern: string;
      auth: "partner" | "session";
      handle: (ctx: AuthedContext) => Response | Promise<Response>;
    }
  | {
      method: string;
      pattern: string;
      auth: "centric";
      handle: (ctx: CentricContext) => Response | Promise<Response>;
    };

/** Shorthand constructors that keep route tables readable. */
export const route = {
  open: (
    method: string,
    pattern: string,
    handle: (ctx: RouteContext) => Response | Promise<Response>,
  ): RouteDef => ({
    method,
    pattern,
    auth: "none",
    handle,
  }),
  login: (
    method: string,
    pattern: string,
    handle: (ctx: RouteContext) => Response | Promise<Response>,
  ): RouteDef => ({ method, pattern, auth: "login", handle }),
  session: (
    method: string,
    pattern: string,
    handle: (ctx: AuthedContext) => Response | Promise<Response>,
  ): RouteDef => ({ method, pattern, auth: "session", handle }),
  partner: (
    method: string,
    pattern: string,
    handle: (ctx: AuthedContext) => Response | Promise<Response>,
  ): RouteDef => ({ method, pattern, auth: "partner", handle }),
  centric: (
    method: string,
    pattern: string,
    handle: (ctx: CentricContext) => Response | Promise<Response>,
  ): RouteDef => ({ method, pattern, auth: "centric", handle }),
};
