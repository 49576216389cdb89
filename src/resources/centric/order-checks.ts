/**
 * Runtime checks of an order body before it is sent: an order may cost money, so a body whose
 * ordering mode is ambiguous (certncentric-api.md §3.3) is refused here, for JavaScript callers
 * and `as`-casts that TypeScript's types did not stop.
 */
import { isRecord } from "../../core/json.ts";

function fail(where: string, message: string): never {
  throw new TypeError(`${where}: ${message}`);
}

/** The ordering mode a body asks for. */
export type OrderModeName = "email-invite" | "link-invite" | "quickscreen" | "package-default";

/**
 * Checks `email_address` and the mode fields; returns the mode. `allowDefault` accepts a body
 * without any mode field (order-package only).
 */
export function checkOrderBody(body: unknown, where: string, allowDefault: boolean): OrderModeName {
  if (!isRecord(body)) fail(where, "the order body must be an object");
  if (typeof body.email_address !== "string" || body.email_address.trim() === "") {
    fail(where, '"email_address" is required (a non-empty string)');
  }
  for (const flag of ["send_invite_email", "return_invite_link"] as const) {
    if (body[flag] !== undefined && typeof body[flag] !== "boolean")
      fail(where, `"${flag}" must be a boolean`);
  }
  const email = body.send_invite_email === true;
  const link = body.return_invite_link === true;
  const claims = body.input_claims !== undefined;
  if (claims && !isRecord(body.input_claims)) fail(where, '"input_claims" must be an object');
  if (email && link) {
    fail(
      where,
      'choose one mode: "send_invite_email: true" (Certn e-mails the invite) or "return_invite_link: true"',
    );
  }
  if ((email || link) && claims) {
    fail(where, '"input_claims" belongs to a quickscreen; an invite must not carry it');
  }
  if (email) return "email-invite";
  if (link) return "link-invite";
  if (claims) return "quickscreen";
  if (allowDefault && body.send_invite_email === undefined && body.return_invite_link === undefined) {
    return "package-default";
  }
  return fail(
    where,
    'no ordering mode: set "send_invite_email: true", "return_invite_link: true", or give "input_claims" for a quickscreen',
  );
}

/** Checks `check_types_with_arguments`: a non-empty object of argument objects. */
export function checkCheckTypes(body: Record<string, unknown>, where: string): void {
  const checks = body.check_types_with_arguments;
  if (!isRecord(checks) || Object.keys(checks).length === 0) {
    fail(
      where,
      '"check_types_with_arguments" must be a non-empty object (check type id -> arguments, {} for none)',
    );
  }
  for (const [id, args] of Object.entries(checks)) {
    if (!isRecord(args))
      fail(where, `"check_types_with_arguments.${id}" must be an object ({} for no arguments)`);
  }
}

/** Checks `package`: a non-empty id. */
export function checkPackageId(body: Record<string, unknown>, where: string): void {
  if (typeof body.package !== "string" || body.package === "")
    fail(where, '"package" is required (the package id)');
}
