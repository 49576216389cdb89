/**
 * Why a request failed before any response, in words a user can act on: read from the error's
 * `cause` chain, where `fetch` (undici in Node, and Deno's and Bun's own) puts the system error
 * with its `code` (ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED, UND_ERR_CONNECT_TIMEOUT, ...).
 * Only codes and fixed texts are used, so no URL credential or header can reach the output.
 */

/** Fixed explanations of the system and undici codes a connection attempt ends with. */
const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused (nothing listens on that host and port)",
  ECONNRESET: "the connection was reset before an answer arrived",
  ENOTFOUND: "host name not found",
  EAI_AGAIN: "host name lookup failed (DNS did not answer)",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "the connection timed out",
  UND_ERR_CONNECT_TIMEOUT: "the connection timed out",
  UND_ERR_HEADERS_TIMEOUT: "no response headers arrived in time",
  UND_ERR_SOCKET: "the server closed the connection before answering",
  EPIPE: "the server closed the connection while the request was sent",
  EPROTO: "TLS failed (protocol error)",
  ERR_SSL_WRONG_VERSION_NUMBER: "TLS failed: the server does not speak TLS on that port (try http://)",
  DEPTH_ZERO_SELF_SIGNED_CERT: "TLS failed: the server's certificate is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN: "TLS failed: a self-signed certificate is in the server's chain",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "TLS failed: the server's certificate issuer is not trusted",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "TLS failed: the server's certificate cannot be verified",
  CERT_HAS_EXPIRED: "TLS failed: the server's certificate has expired",
  CERT_NOT_YET_VALID: "TLS failed: the server's certificate is not valid yet",
  ERR_TLS_CERT_ALTNAME_INVALID: "TLS failed: the server's certificate is for another host name",
};

/** Codes in families: any other certificate or TLS code still says it is TLS. */
function familyReason(code: string): string | undefined {
  if (code.startsWith("CERT_") || code.startsWith("ERR_TLS_") || code.startsWith("ERR_SSL_")) {
    return "TLS failed";
  }
  return undefined;
}

/** The errors of a `cause` chain, outermost first (AggregateError members included; cycles stop it). */
function causeChain(error: unknown): object[] {
  const chain: object[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && chain.length < 16) {
    const next = queue.shift();
    if (typeof next !== "object" || next === null || chain.includes(next)) continue;
    chain.push(next);
    if ("cause" in next) queue.push(next.cause);
    // Node tries every address of a host name (IPv6, IPv4) and reports them together.
    if ("errors" in next && Array.isArray(next.errors)) queue.push(...next.errors);
  }
  return chain;
}

function codeOf(error: object): string | undefined {
  return "code" in error && typeof error.code === "string" && error.code !== "" ? error.code : undefined;
}

/**
 * Explains a network failure from its cause chain, for example
 * `connection refused (nothing listens on that host and port) [ECONNREFUSED]`; undefined when the
 * chain holds nothing that says more than "the request failed".
 */
export function describeNetworkCause(error: unknown): string | undefined {
  const chain = causeChain(error);
  // The innermost system code is the most precise (undici wraps it in its own errors).
  const innermostFirst = chain
    .map(codeOf)
    .filter((code): code is string => code !== undefined && !code.startsWith("CERTN_"))
    .reverse();
  for (const code of innermostFirst) {
    const reason = REASONS[code] ?? familyReason(code);
    if (reason !== undefined) return `${reason} [${code}]`;
  }
  // The fetch standard refuses some ports outright (1, 25, 6000, ...) with this exact message.
  if (chain.some((entry) => entry instanceof Error && entry.message === "bad port")) {
    return "fetch refuses to connect to this port (a port the fetch standard blocks; use another)";
  }
  const [innermost] = innermostFirst;
  return innermost === undefined ? undefined : `the connection failed [${innermost}]`;
}
