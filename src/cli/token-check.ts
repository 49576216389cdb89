/**
 * With client credentials the run gets its access token before the first item, as the Worker
 * does: a token endpoint that cannot be reached or refuses the credentials ends the command with
 * one line naming the cause, instead of every item asking for a token again and erroring with the
 * same message. Messages hold the method, the token URL and fixed texts; never a credential.
 */
import { CertnErrorCode } from "../core/errors.ts";
import type { CertnClient } from "../index.ts";
import { CommandFailure } from "./command-failure.ts";
import { describeNetworkCause } from "./network-cause.ts";

/** What the message may name besides the error. */
export interface TokenCheckContext {
  /** The client's origin. */
  baseUrl: string;
  /** Which variables the credentials came from (names only), for the hint. */
  credentialSource: string | undefined;
  /** The proxy variables in use (names only: their values may hold a password). */
  proxyVariables: readonly string[];
}

function codeOf(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string"
    ? error.code
    : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Why no token could be had, in one line (without the "nothing was run" lead). */
export function tokenFailureReason(error: unknown, context: TokenCheckContext): string {
  const where = `POST ${context.baseUrl}/token/`;
  switch (codeOf(error)) {
    case CertnErrorCode.AUTH_REFUSED:
      return `${messageOf(error)}; check ${context.credentialSource ?? "the client credentials"} and that they belong to ${context.baseUrl} (demo, sandbox and production accounts are separate)`;
    case CertnErrorCode.TIMEOUT:
      return `${messageOf(error)} (--timeout sets how long to wait)`;
    case CertnErrorCode.NETWORK: {
      const cause = describeNetworkCause(error) ?? "the request failed before a response arrived";
      const proxy =
        context.proxyVariables.length > 0
          ? ` (through the proxy of ${context.proxyVariables.join(", ")})`
          : "";
      return `${where}: ${cause}${proxy}`;
    }
    case undefined:
      // Not one of the library's errors (which carry safe messages): only its kind is shown.
      return `${where}: ${error instanceof Error ? error.name : typeof error}`;
    default:
      return messageOf(error);
  }
}

/**
 * Gets an access token, so the run starts only when one can be had.
 * @throws CommandFailure naming the cause (connection refused, host not found, TLS, timeout, the
 * credentials refused by Certn, ...)
 */
export async function checkAccessToken(client: CertnClient, context: TokenCheckContext): Promise<void> {
  try {
    await client.getAccessToken();
  } catch (error) {
    throw new CommandFailure(
      `no Certn access token, so nothing was run: ${tokenFailureReason(error, context)}`,
    );
  }
}
