/** Simulated time: every state change in the simulator is computed from this clock, never from timers. */
export interface SimClock {
  /** Current simulated time, in epoch milliseconds. */
  now(): number;
  /** Moves simulated time forward by `ms` (negative values are refused). */
  advance(ms: number): void;
}

/** What a clock needs to start: a fixed start time, or the wall clock when `realTime` is set. */
export interface ClockOptions {
  startMs: number;
  realTime: boolean;
}

/** The clock plus a way back to its start, for `reset()`. */
export interface ResettableClock extends SimClock {
  reset(): void;
}

/**
 * Creates the simulator's clock. With `realTime` the simulated time follows the wall clock
 * (plus whatever was advanced); otherwise it stands still at `startMs` until advanced.
 */
export function createClock(options: ClockOptions): ResettableClock {
  let offset = 0;
  const base = (): number => (options.realTime ? Date.now() : options.startMs);
  return {
    now: () => base() + offset,
    advance(ms: number): void {
      if (!Number.isFinite(ms) || ms < 0) {
        throw new RangeError(`clock.advance(ms): ms must be a finite number >= 0, got ${String(ms)}`);
      }
      offset += ms;
    },
    reset(): void {
      offset = 0;
    },
  };
}
