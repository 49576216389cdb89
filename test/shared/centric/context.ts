/**
 * A CertnCentric resource context over an injected handler, built on core's real `createCall`
 * (JSON parsing, `CertnHttpError`s), so these tests need neither the client nor the simulator.
 */
import { createCall } from "../../../src/core/call.ts";
import { createCentricResources } from "../../../src/resources/centric/index.ts";

/** The sandbox origin the reference documents. */
export const ORIGIN = "https://api.sandbox.certn.co";

/** What the handler saw: method, path with query, parsed JSON body (or undefined). */
export interface SeenRequest {
  method: string;
  url: URL;
  json: unknown;
}

/** JSON response helper. */
export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/** `client.centric` over `handler`, plus the requests it received. */
export function centricWith(handler: (request: Request, url: URL) => Response | Promise<Response>) {
  const seen: SeenRequest[] = [];
  const call = createCall(ORIGIN, async (request) => {
    const url = new URL(request.url);
    const text = await request.clone().text();
    seen.push({ method: request.method, url, json: text === "" ? undefined : JSON.parse(text) });
    return handler(request, url);
  });
  const centric = createCentricResources({
    request: <T>(method: string, path: string, options?: Parameters<typeof call>[2]) =>
      call(method, path, options, "json") as Promise<T>,
  });
  return { centric, seen };
}

/** A CertnCentric page envelope. */
export function page<T>(results: T[], current: number, next: number | string | null, pageSize = 2) {
  return {
    pagination: {
      result_count: results.length,
      page_count: 1,
      page_size: pageSize,
      current_page: current,
      next_page: next,
      previous_page: current > 1 ? current - 1 : null,
    },
    results,
  };
}

/** Collects an async iterable. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
