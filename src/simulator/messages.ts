/**
 * Django REST Framework's messages as functions, built from the labelled templates in
 * assumptions/partner-http.ts (shared by the partner and CertnCentric validators).
 */

import { fill } from "./assumptions/label.ts";
import { DRF_DOCUMENTED_MESSAGES, DRF_STOCK_MESSAGES } from "./assumptions/partner-http.ts";

const stock = DRF_STOCK_MESSAGES.value;

/** DRF's messages, as the simulator sends them. */
export const DRF = {
  ...DRF_DOCUMENTED_MESSAGES.value,
  notFound: stock.notFound,
  invalidPage: stock.invalidPage,
  serverError: stock.serverError,
  mayNotBeNull: stock.mayNotBeNull,
  mayNotBeBlank: stock.mayNotBeBlank,
  invalidEmail: stock.invalidEmail,
  invalidBoolean: stock.invalidBoolean,
  invalidUuid: stock.invalidUuid,
  invalidInteger: stock.invalidInteger,
  invalidDecimal: stock.invalidDecimal,
  invalidDate: stock.invalidDate,
  emptyList: stock.emptyList,
  emptyDict: stock.emptyDict,
  methodNotAllowed: (method: string) => fill(stock.methodNotAllowed, { method }),
  unsupportedMediaType: (type: string) => fill(stock.unsupportedMediaType, { type }),
  jsonParseError: (message: string) => fill(stock.jsonParseError, { message }),
  throttled: (seconds: number) => fill(stock.throttled, { seconds }),
  notAList: (type: string) => fill(stock.notAList, { type }),
  notADict: (type: string) => fill(stock.notADict, { type }),
  invalidChoice: (value: string) => fill(stock.invalidChoice, { value }),
  pkDoesNotExist: (value: string) => fill(stock.pkDoesNotExist, { value }),
} as const;
