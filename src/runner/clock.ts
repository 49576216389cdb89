/**
 * The run's sense of time, injectable so tests never wait in real time. Waiting uses core's one
 * {@link Sleep} contract: it resolves after `ms` or as soon as the signal aborts, and the runner
 * checks its stop control afterwards.
 */
import { sleep as realSleep, type Sleep } from "../core/sleep.ts";

/** Current time and an abortable sleep. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or as soon as `signal` aborts (see core's {@link Sleep}). */
  sleep: Sleep;
}

/** Builds the run's clock from the optional `now` and `sleep` of the run options. */
export function createClock(now?: () => number, sleep?: Sleep): Clock {
  return { now: now ?? (() => Date.now()), sleep: sleep ?? realSleep };
}
