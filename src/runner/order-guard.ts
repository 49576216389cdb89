/**
 * The paid-orders guard: requests that order checks cost money on Certn's production API, so they
 * are refused there unless the run sets `allowOrders`.
 *
 * The guard decides on a canonical form, so no spelling of a route slips past it: the origin as
 * core's `canonicalOrigin` gives it (lower case, no trailing dot), and the path percent-decoded
 * (repeatedly: a proxy may decode once more), lower-cased, with `\` read as `/`, `;` parameters
 * dropped, repeated slashes merged, dot segments resolved and format suffixes (`.json`) removed.
 * Every method but GET, HEAD and OPTIONS on an ordering route orders. On a production origin, a
 * write the guard does not know to be free (a route not on {@link SAFE_WRITES}) is refused too:
 * the guard fails closed rather than guessing.
 */
import { CERTN_PRODUCTION_ORIGINS } from "../core/base-urls.ts";
import { canonicalOrigin } from "../core/origin.ts";

/** Methods that never change anything: never refused. */
const READ_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

/** Ordering routes, on canonical paths (lower case, one trailing slash). */
const ORDER_ROUTES: readonly RegExp[] = [
  // Invite and quick screen, under any prefix (/api/v1/hr, /api/v1/pm, /hr/v1, /api/v2, ...).
  /\/applications\/(quick|invite)\/$/,
  // Upgrade: add checks to an existing applicant.
  /\/applicants\/[^/]+\/packages\/$/,
  // CertnCentric ordering, from check types or from a package.
  /\/cases\/order(-package)?\/$/,
];

/** A path segment that can be an id (a UUID, a number, a short id): nothing that routes. */
const ID = "[a-z0-9][a-z0-9_-]*";

/**
 * Writes known not to order anything (certn-api.md §2-§3, certncentric-api.md §3), on canonical
 * paths. Anything else that writes is refused on production without `allowOrders`.
 */
export const SAFE_WRITES: ReadonlyArray<{ methods: readonly string[]; path: RegExp }> = [
  // Authentication and sessions.
  { methods: ["POST"], path: /^\/(token|api\/v1\/(authenticate|logout|logoutall)|api\/v2\/login)\/$/ },
  // Superteams and teams (partner API).
  { methods: ["POST"], path: /^\/api\/v1\/(superteams|teams)\/$/ },
  { methods: ["PUT", "PATCH"], path: new RegExp(`^/api/v1/(superteams|teams)/${ID}/$`) },
  // Removing an applicant.
  { methods: ["DELETE"], path: new RegExp(`^/(hr/v1|api/v2|api/v1/hr|api/v1/pm)/applicants/${ID}/$`) },
  // Properties and listings (classic PM API).
  { methods: ["POST"], path: /^\/api\/v2\/(properties|listings)\/$/ },
  { methods: ["PUT", "PATCH", "DELETE"], path: new RegExp(`^/api/v2/(properties|listings)/${ID}/$`) },
  // CertnCentric: cancelling a case, asking for its report.
  { methods: ["POST"], path: new RegExp(`^/api/public/cases/${ID}/(cancel|generate-report)/$`) },
];

/** How many decoding rounds the canonical form allows before it counts as unknown. */
const MAX_ROUNDS = 8;

/** Percent-decodes `text` once; escapes of invalid UTF-8 stay as they are, ASCII ones decode. */
function percentDecode(text: string): string {
  return text.replace(/(%[0-9a-f]{2})+/gi, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run.replace(/%([0-9a-f]{2})/gi, (sequence, hex: string) => {
        const byte = Number.parseInt(hex, 16);
        return byte < 0x80 ? String.fromCharCode(byte) : sequence;
      });
    }
  });
}

/** One round of canonicalisation (see the module comment). */
function canonicalRound(path: string): string {
  const decoded = percentDecode(path).toLowerCase().replaceAll("\\", "/");
  // A decoded `?` or `#` ends the path for a server that parses again after decoding.
  const cut = decoded.search(/[?#]/);
  const bare = (cut === -1 ? decoded : decoded.slice(0, cut)).replace(/;[^/]*/g, "");
  const segments: string[] = [];
  for (const segment of bare.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  // A format suffix (`quick.json`, Django REST framework's format_suffix_patterns) on the last one.
  const last = segments.length - 1;
  if (last >= 0) segments[last] = (segments[last] as string).replace(/\.[a-z0-9]*$/, "");
  return `/${segments.filter((segment) => segment !== "").join("/")}${segments.length ? "/" : ""}`;
}

/**
 * The canonical form of a URL path, or undefined when it does not settle within a few rounds of
 * decoding (treated as unknown, so a write to it is refused on production).
 */
export function canonicalPath(pathname: string): string | undefined {
  let path = pathname;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const next = canonicalRound(path);
    if (next === path) return path;
    path = next;
  }
  return undefined;
}

/** Whether a request orders a paid check (whatever the origin). */
export function isOrderRequest(method: string, url: URL): boolean {
  if (READ_METHODS.has(method.toUpperCase())) return false;
  const path = canonicalPath(url.pathname);
  return path !== undefined && ORDER_ROUTES.some((route) => route.test(path));
}

/** Whether a write is on the known-free list (false for reads: they need no list). */
export function isSafeWrite(method: string, url: URL): boolean {
  const upper = method.toUpperCase();
  const path = canonicalPath(url.pathname);
  return (
    path !== undefined &&
    !isOrderRequest(upper, url) &&
    SAFE_WRITES.some((write) => write.methods.includes(upper) && write.path.test(path))
  );
}

/** Whether an origin (or URL) is one of Certn's production origins, in any spelling. */
export function isProductionOrigin(origin: string): boolean {
  const canonical = canonicalOrigin(origin);
  return canonical !== undefined && CERTN_PRODUCTION_ORIGINS.includes(canonical);
}

/**
 * Why the guard refuses `method url` for a client on `baseUrl` (without `allowOrders`), or
 * undefined when it may be sent: on a production origin, an order, or a write not known to be
 * free. The message names the method and the path, never the query.
 */
export function orderGuardRefusal(method: string, url: URL, baseUrl: string): string | undefined {
  const upper = method.toUpperCase();
  if (READ_METHODS.has(upper)) return undefined;
  if (!isProductionOrigin(baseUrl) && !isProductionOrigin(url.href)) return undefined;
  const what = `${upper} ${url.pathname}`;
  if (isOrderRequest(upper, url)) {
    return `refused: ${what} orders a paid check on the production API; set allowOrders to run it`;
  }
  if (!isSafeWrite(upper, url)) {
    return `refused: ${what} is a write the order guard does not know to be free on the production API (it may order a paid check); set allowOrders to run it`;
  }
  return undefined;
}
