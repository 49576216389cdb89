/** Certn's API origins. */

/** The partner API's demo host, the default base URL. */
export const CERTN_DEMO_URL = "https://demo-api.certn.co";

/** The partner API's production host; must be chosen explicitly (orders cost money there). */
export const CERTN_PRODUCTION_URL = "https://api.certn.co";

/**
 * CertnCentric's sandbox host ([DOC]: centric-api-docs.certn.co, authentication page); the default
 * base URL for `{ apiKey, apiKeyScheme: "Api-Key" }`.
 */
export const CERTN_CENTRIC_SANDBOX_URL = "https://api.sandbox.certn.co";

/** CertnCentric's Canadian data-residency host. Taken from public code, not from Certn's docs. */
export const CERTN_CENTRIC_CA_URL = "https://api.ca.certn.co";

/** CertnCentric's UK host. Taken from public code, not from Certn's docs. */
export const CERTN_CENTRIC_UK_URL = "https://api.uk.certn.co";

/** CertnCentric's Australian host. Taken from public code, not from Certn's docs. */
export const CERTN_CENTRIC_AU_URL = "https://api.au.certn.co";

/**
 * Certn's production origins, where an order costs money: the partner API (which also serves
 * CertnCentric's `/api/public/`) and the regional CertnCentric hosts. Canonical form (see
 * `canonicalOrigin`).
 */
export const CERTN_PRODUCTION_ORIGINS: readonly string[] = [
  CERTN_PRODUCTION_URL,
  CERTN_CENTRIC_CA_URL,
  CERTN_CENTRIC_UK_URL,
  CERTN_CENTRIC_AU_URL,
];
