/**
 * The paid-orders guard: requests that order checks cost money on Certn's production API, so they
 * are refused there unless the run sets `allowOrders`.
 */

/** Certn's production origins (partner API and the regional CertnCentric hosts). */
export const PRODUCTION_ORIGINS: ReadonlySet<string> = new Set([
  "https://api.certn.co",
  "https://api.ca.certn.co",
  "https://api.uk.certn.co",
  "https://api.au.certn.co",
]);

const ORDER_ROUTES: ReadonlyArray<{ method: string; path: RegExp }> = [
  // Invite and quick screen, under any prefix (/api/v1/hr, /api/v1/pm, /hr/v1, /api/v2, ...).
  { method: "POST", path: /\/applications\/(quick|invite)\/?$/ },
  // Upgrade: add checks to an existing applicant.
  { method: "PUT", path: /\/applicants\/[^/]+\/packages\/?$/ },
  // CertnCentric ordering.
  { method: "POST", path: /^\/+api\/public\/cases\/order(-package)?\/?$/ },
];

function decodedPath(url: URL): string {
  // Servers decode percent-escapes before routing, so `/applications/qu%69ck/` must match too.
  try {
    return decodeURIComponent(url.pathname).toLowerCase();
  } catch {
    return url.pathname.toLowerCase();
  }
}

/** Whether a request orders a paid check (whatever the origin). */
export function isOrderRequest(method: string, url: URL): boolean {
  const path = decodedPath(url);
  const upper = method.toUpperCase();
  return ORDER_ROUTES.some((route) => route.method === upper && route.path.test(path));
}

/** Whether an origin is one of Certn's production origins. */
export function isProductionOrigin(origin: string): boolean {
  return PRODUCTION_ORIGINS.has(origin.toLowerCase());
}
