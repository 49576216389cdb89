/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY under Node. Deno's and Bun's own `fetch` already honour
 * these variables; Node's does not, so there a fetch wrapper passes undici's `EnvHttpProxyAgent`
 * as the `dispatcher` of each call (globals stay untouched). undici is imported only when a proxy
 * variable is set, so commands stay fast to start.
 */
import type { FetchLike } from "../index.ts";
import { runsOnNode } from "./runtime.ts";
import { UsageError } from "./usage-error.ts";

const PROXY_VARIABLES = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"] as const;

/** Names of the proxy variables that are set (values never shown: they may hold passwords). */
export function proxyVariables(env: Readonly<Record<string, string | undefined>>): string[] {
  return PROXY_VARIABLES.filter((name) => (env[name] ?? "").trim() !== "");
}

/**
 * A `fetch` that goes through the proxy the environment names, or undefined (use the global
 * fetch) when none is set or the runtime handles it itself.
 */
export async function proxyFetch(
  env: Readonly<Record<string, string | undefined>>,
): Promise<FetchLike | undefined> {
  if (proxyVariables(env).length === 0 || !runsOnNode()) return undefined;
  let undici: typeof import("undici");
  try {
    undici = await import("undici");
  } catch {
    throw new UsageError(
      `${proxyVariables(env).join(", ")} is set, but the "undici" package that Node needs to use a proxy is not installed (npm install undici)`,
    );
  }
  const options: { httpProxy?: string; httpsProxy?: string; noProxy?: string } = {};
  const http = env.HTTP_PROXY ?? env.http_proxy;
  const https = env.HTTPS_PROXY ?? env.https_proxy;
  const noProxy = env.NO_PROXY ?? env.no_proxy;
  if (http) options.httpProxy = http;
  if (https) options.httpsProxy = https;
  if (noProxy !== undefined) options.noProxy = noProxy;
  const dispatcher = new undici.EnvHttpProxyAgent(options);
  return (input, init) => fetch(input, { ...init, dispatcher } as RequestInit);
}
