/** Fault injection: canned failures consumed in order by matching requests. */

/** One injected failure. `delayMs` (real milliseconds, abortable) may precede any of them. */
export type Fault =
  | { status: number; headers?: Record<string, string>; body?: unknown; delayMs?: number }
  | { hang: true; delayMs?: number }
  | { drop: true; delayMs?: number }
  | { delayMs: number };

/**
 * Which requests a fault list applies to: a route key (`"POST /token/"`), a route pattern
 * (`"/api/v1/teams/:id/"`, any method), a concrete path or `"METHOD path"`, or a predicate.
 */
export type FaultMatcher = string | ((request: Request, route: string | undefined) => boolean);

/** Handle of one `inject` call. */
export interface FaultInjection {
  /** Faults not consumed yet. */
  readonly remaining: number;
  /** Drops the faults not consumed yet. */
  cancel(): void;
}

/** The rejection of a `{ drop: true }` fault: a `TypeError`, as fetch gives for a reset connection. */
export class SimulatedDrop extends TypeError {
  constructor() {
    super("fetch failed", {
      cause: new Error("ECONNRESET: connection reset by the Certn simulator (injected drop)"),
    });
    this.name = "TypeError";
  }
}

function checkFault(fault: unknown, index: number): Fault {
  const where = `inject(): faults[${index}]`;
  if (typeof fault !== "object" || fault === null) throw new TypeError(`${where} must be an object`);
  const f = fault as Record<string, unknown>;
  if (f.delayMs !== undefined && (typeof f.delayMs !== "number" || !(f.delayMs >= 0))) {
    throw new TypeError(`${where}.delayMs must be a number >= 0`);
  }
  if (f.status !== undefined) {
    if (typeof f.status !== "number" || !Number.isInteger(f.status) || f.status < 200 || f.status > 599) {
      throw new TypeError(`${where}.status must be an integer from 200 to 599`);
    }
    return fault as Fault;
  }
  if (f.hang === true || f.drop === true || f.delayMs !== undefined) return fault as Fault;
  throw new TypeError(`${where} needs one of status, hang: true, drop: true or delayMs`);
}

interface Injection {
  matcher: FaultMatcher;
  faults: Fault[];
}

/** The injected faults of one simulator. */
export interface FaultQueue {
  inject(matcher: FaultMatcher, faults: readonly Fault[]): FaultInjection;
  /** The next fault for this request, if an injection matches it (consumed). */
  take(request: Request, route: string | undefined, path: string): Fault | undefined;
  clear(): void;
}

/** Creates an empty fault queue. */
export function createFaultQueue(): FaultQueue {
  let injections: Injection[] = [];
  const matches = (m: FaultMatcher, request: Request, route: string | undefined, path: string): boolean => {
    if (typeof m === "function") return m(request, route);
    const method = request.method.toUpperCase();
    const pattern = route?.slice(route.indexOf(" ") + 1);
    return m === route || m === pattern || m === path || m === `${method} ${path}`;
  };
  return {
    inject(matcher, faults) {
      if (typeof matcher !== "string" && typeof matcher !== "function") {
        throw new TypeError("inject(): the first argument must be a route string or a predicate");
      }
      if (!Array.isArray(faults) || faults.length === 0)
        throw new TypeError("inject(): faults must be a non-empty array");
      const injection: Injection = { matcher, faults: faults.map(checkFault) };
      injections.push(injection);
      return {
        get remaining() {
          return injection.faults.length;
        },
        cancel() {
          injection.faults.length = 0;
        },
      };
    },
    take(request, route, path) {
      const injection = injections.find(
        (i) => i.faults.length > 0 && matches(i.matcher, request, route, path),
      );
      const fault = injection?.faults.shift();
      injections = injections.filter((i) => i.faults.length > 0);
      return fault;
    },
    clear() {
      injections = [];
    },
  };
}

/** Resolves after `ms` real milliseconds, or rejects with the signal's reason when it aborts first. */
export function abortableDelay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Never resolves; rejects with the signal's reason when it aborts (a server that never answers). */
export function hangUntilAborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    if (signal === undefined) return;
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

/** The response of a `{ status }` fault: a string body as is, anything else as JSON. */
export function faultResponse(fault: {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}): Response {
  const isText = typeof fault.body === "string";
  const body = fault.body === undefined ? null : isText ? (fault.body as string) : JSON.stringify(fault.body);
  const headers = new Headers(fault.headers);
  if (body !== null && !headers.has("content-type")) {
    headers.set("content-type", isText ? "text/plain; charset=utf-8" : "application/json");
  }
  const nullBody = fault.status === 204 || fault.status === 205 || fault.status === 304;
  return new Response(nullBody ? null : body, { status: fault.status, headers });
}
