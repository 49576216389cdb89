/**
 * HTTP-level behaviour of the partner API (gens A/B of certn-api.md) where the reference is not a
 * Certn page: Django REST Framework's stock messages, pagination, limits, trailing slashes and the
 * retired switch. Every export is an {@link Assumption}; docs/simulator-assumptions.md lists them.
 */
import { assume, centric, certn } from "./label.ts";

/** The two DRF messages a Certn page prints (certn-api.md §4.1). */
export const DRF_DOCUMENTED_MESSAGES = assume(
  { required: "This field is required.", notAString: "Not a valid string." },
  certn("DOC", "4.1", "The 400 examples of Certn's error page: a missing field and a wrong type."),
);

/**
 * DRF's stock messages for everything else (`{name}` placeholders). Certn evidently runs DRF
 * (§0), so its defaults are the best guess.
 */
export const DRF_STOCK_MESSAGES = assume(
  {
    notFound: "Not found.",
    invalidPage: "Invalid page.",
    methodNotAllowed: 'Method "{method}" not allowed.',
    unsupportedMediaType: 'Unsupported media type "{type}" in request.',
    jsonParseError: "JSON parse error - {message}",
    throttled: "Request was throttled. Expected available in {seconds} seconds.",
    serverError: "A server error occurred.",
    mayNotBeNull: "This field may not be null.",
    mayNotBeBlank: "This field may not be blank.",
    invalidEmail: "Enter a valid email address.",
    invalidBoolean: "Must be a valid boolean.",
    invalidUuid: "Must be a valid UUID.",
    invalidInteger: "A valid integer is required.",
    invalidDecimal: "A valid number is required.",
    invalidDate: "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
    emptyList: "This list may not be empty.",
    emptyDict: "This dictionary may not be empty.",
    notAList: 'Expected a list of items but got type "{type}".',
    notADict: "Invalid data. Expected a dictionary, but got {type}.",
    invalidChoice: '"{value}" is not a valid choice.',
    pkDoesNotExist: 'Invalid pk "{value}" - object does not exist.',
  },
  certn(
    "INF",
    "0, 4.1",
    'Bodies of 404, 405 and 429 are [INF] in §4.1; the rest are DRF defaults. A 405 uses DRF\'s {"detail": ...}, not the classic doc\'s {"details": ...}.',
  ),
);

/** Page sizes of list endpoints (certn-api.md §1.4, §7 #6). */
export const PARTNER_PAGE_SIZES = assume(
  { defaultPageSize: 10, maxPageSize: 100 },
  certn(
    "INF",
    "1.4, 7 #6",
    "Not documented; the reference's simulator assumption. A larger page_size is clamped (DRF's cutoff), not refused.",
  ),
);

/** Per-credential limits (certn-api.md §1.3). */
export const PARTNER_RATE_LIMIT = assume(
  { perMinute: 240, perDay: 14_400 },
  certn(
    "DOC",
    "1.3",
    "The FAQ's 240 per rolling 60 s and 14,400 per rolling 24 h, one window pair per credential.",
  ),
);

/** The 429 carries `Retry-After` in whole seconds (certn-api.md §1.3). */
export const THROTTLE_RETRY_AFTER = assume(
  true,
  certn(
    "INF",
    "1.3, 7 #5",
    "DRF throttling: the body names the wait and Retry-After repeats it, rounded up.",
  ),
);

/**
 * Whether `/token/` and the gen A login endpoints count against a rate window. Nothing says;
 * they are left out, so a client's token refreshes never eat its API budget.
 */
export const OPEN_ROUTES_RATE_LIMITED = assume(
  false,
  certn(
    "SIM",
    "1.3",
    "The limits are described for API calls; the token and login endpoints are not limited.",
  ),
);

/** A GET/HEAD without its trailing slash is redirected (certn-api.md §1.2). */
export const GET_WITHOUT_SLASH_STATUS = assume(
  301,
  certn("INF", "1.2, 7 #13", "Django's APPEND_SLASH: 301 with Location = the slashed URL, query kept."),
);

/** An unsafe method without its trailing slash (certn-api.md §1.2, §7 #13). */
export const UNSAFE_WITHOUT_SLASH_STATUS = assume(
  404,
  certn(
    "INF",
    "1.2, 7 #13",
    'The reference\'s "simpler and safer" option: 404, so a forgotten slash fails loudly instead of turning into a GET.',
  ),
);

/** The status of every partner path with `partnerApiRetired` (certncentric-api.md §1.2). */
export const RETIRED_STATUS = assume(
  410,
  centric("CODE", "1.2", "One repository says the legacy API returns 410 Gone since 2026-08-05."),
);

/**
 * Which paths the retired switch covers: `/token/` too. certncentric-api.md §1.3 says nothing
 * tells whether `/token/` also fails; §6.1 #9 suggests the switch for it.
 */
export const RETIRED_PREFIXES = assume(
  ["/token/", "/api/v1/", "/api/v2/", "/hr/v1/"] as readonly string[],
  centric(
    "INF",
    "1.3, 6.1 #9",
    "The reference's suggested legacy switch, /token/ included, although nothing confirms that /token/ answers 410.",
  ),
);

/** The body of a retired partner path: not captured anywhere. */
export const RETIRED_BODY = assume(
  { detail: "This API has been retired. Use the CertnCentric API (https://centric-api-docs.certn.co/)." },
  centric("SIM", "1.2", "No source shows the body of the 410; a DRF-style detail pointing to CertnCentric."),
);
