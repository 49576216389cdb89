/** The CertnCentric client errors, built from the labelled codes and texts in assumptions/centric.ts. */
import { CENTRIC_ERROR_CODES, CENTRIC_ERROR_DETAILS } from "../../assumptions/centric.ts";
import { fill } from "../../assumptions/label.ts";

const CODES = CENTRIC_ERROR_CODES.value;
const DETAILS = CENTRIC_ERROR_DETAILS.value;

/** One `{code, detail}` pair of the envelope (its `attr` is null). */
export interface CentricClientError {
  code: string;
  detail: string;
}

/** Every client error the surface answers outside validation. */
export const CENTRIC_ERROR = {
  notAuthenticated: { code: CODES.notAuthenticated, detail: DETAILS.notAuthenticated },
  badKey: { code: CODES.authenticationFailed, detail: DETAILS.badKey },
  expiredKey: { code: CODES.authenticationFailed, detail: DETAILS.expiredKey },
  notFound: { code: CODES.notFound, detail: DETAILS.notFound },
  invalidPage: { code: CODES.notFound, detail: DETAILS.invalidPage },
  linkRefused: { code: CODES.permissionDenied, detail: DETAILS.linkRefused },
  serverError: { code: CODES.serverError, detail: DETAILS.serverError },
  methodNotAllowed: (method: string): CentricClientError => ({
    code: CODES.methodNotAllowed,
    detail: fill(DETAILS.methodNotAllowed, { method }),
  }),
  unsupportedMediaType: (type: string): CentricClientError => ({
    code: CODES.unsupportedMediaType,
    detail: fill(DETAILS.unsupportedMediaType, { type }),
  }),
  parseError: (message: string): CentricClientError => ({
    code: CODES.parseError,
    detail: fill(DETAILS.parseError, { message }),
  }),
  throttled: (seconds: number): CentricClientError => ({
    code: CODES.throttled,
    detail: fill(DETAILS.throttled, { seconds }),
  }),
} as const;
