/**
 * Monitor schedules: UTC cron expressions of five fields (minute precision; nicknames such as
 * `@hourly` too), parsed by croner, never more often than every {@link MIN_SCHEDULE_INTERVAL_MS}.
 * The Cron Trigger fires every five minutes; at each tick a monitor is due when one of its fire
 * times lies in (previous tick, this tick].
 */
import { Cron } from "croner";
import type { Issue } from "./errors.ts";

/** The shortest time between two fire times of a schedule: 5 minutes (the Cron Trigger's period). */
export const MIN_SCHEDULE_INTERVAL_MS = 5 * 60 * 1000;

/** The Cron Trigger's period: a tick covers the fire times since the previous one. */
export const TICK_MS = 5 * 60 * 1000;

/**
 * How many consecutive fire times the interval check looks at. A day holds at most 288 fire times
 * 5 minutes apart, so 1,000 cover every hour and day boundary of a pattern at least three times.
 */
const LOOK_AHEAD_FIRES = 1_000;

/** Longest schedule text accepted (bounds the parser's work). */
const MAX_SCHEDULE_LENGTH = 200;

function cronOf(schedule: string): Cron {
  // utcOffset 0 is UTC without Intl time zones; mode "5-part" refuses seconds and years.
  return new Cron(schedule, { utcOffset: 0, mode: "5-part" });
}

/**
 * Checks a schedule; the issue to report at `/schedule` when it is refused, else undefined.
 * @param from the time the look-ahead starts at (now)
 * @example
 * scheduleIssue("*\/5 * * * *", Date.now()); // undefined
 * scheduleIssue("* * * * *", Date.now());   // { path: "/schedule", message: "fires 1 minute(s) apart ..." }
 */
export function scheduleIssue(schedule: unknown, from: number): Issue | undefined {
  const issue = (message: string): Issue => ({ path: "/schedule", message });
  if (typeof schedule !== "string" || schedule.trim() === "") {
    return issue('required: a UTC cron expression of five fields, such as "*/15 * * * *"');
  }
  if (schedule.length > MAX_SCHEDULE_LENGTH) return issue(`at most ${MAX_SCHEDULE_LENGTH} characters`);
  let cron: Cron;
  try {
    cron = cronOf(schedule);
  } catch (error) {
    // croner's messages name the field and value at fault, and quote only the expression itself.
    const reason = error instanceof Error ? error.message.replace(/^CronPattern: /, "") : "invalid";
    return issue(`not a valid UTC cron expression of five fields (minute hour day month weekday): ${reason}`);
  }
  let previous = cron.nextRun(new Date(from));
  if (previous === null) return issue("never fires");
  for (let count = 1; count < LOOK_AHEAD_FIRES; count++) {
    const next = cron.nextRun(previous);
    if (next === null) break;
    const gap = next.getTime() - previous.getTime();
    if (gap < MIN_SCHEDULE_INTERVAL_MS) {
      return issue(
        `fires ${Math.round(gap / 60_000)} minute(s) apart (${previous.toISOString()} then ${next.toISOString()}); monitors run at most every 5 minutes`,
      );
    }
    previous = next;
  }
  return undefined;
}

/**
 * The fire time of `schedule` in the tick ending at `tickAt`, (tickAt - TICK_MS, tickAt], or
 * undefined when it has none. A checked schedule has at most one there (its fire times are at
 * least a tick apart).
 * @example
 * dueSlot("0 * * * *", Date.UTC(2030, 0, 1, 12, 0)); // Date.UTC(2030, 0, 1, 12, 0)
 * dueSlot("0 * * * *", Date.UTC(2030, 0, 1, 12, 5)); // undefined
 */
export function dueSlot(schedule: string, tickAt: number): number | undefined {
  const next = cronOf(schedule).nextRun(new Date(tickAt - TICK_MS));
  if (next === null) return undefined;
  const at = next.getTime();
  return at <= tickAt ? at : undefined;
}
