/**
 * Monitor schedules: UTC cron expressions of five fields (minute precision; nicknames such as
 * `@hourly` too), parsed by croner, never more often than every {@link MIN_SCHEDULE_INTERVAL_MS}.
 * The Cron Trigger fires every five minutes; at each tick a monitor is due when one of its fire
 * times lies in (previous tick, this tick].
 */
import { Cron, CronPattern } from "croner";
import type { Issue } from "./errors.ts";

/** The shortest time between two fire times of a schedule: 5 minutes (the Cron Trigger's period). */
export const MIN_SCHEDULE_INTERVAL_MS = 5 * 60 * 1000;

/** The Cron Trigger's period: a tick covers the fire times since the previous one. */
export const TICK_MS = 5 * 60 * 1000;

/**
 * How many consecutive fire times the midnight check walks, when a schedule fires both just
 * before and just after midnight (whether two consecutive days both fire is a matter of the
 * calendar): 1,000 cover more than a year of such a schedule's days.
 */
const LOOK_AHEAD_FIRES = 1_000;

/** Longest schedule text accepted (bounds the parser's work). */
const MAX_SCHEDULE_LENGTH = 200;

const MINUTES_PER_DAY = 24 * 60;
const MIN_GAP_MINUTES = MIN_SCHEDULE_INTERVAL_MS / 60_000;

function cronOf(schedule: string): Cron {
  // utcOffset 0 is UTC without Intl time zones; mode "5-part" refuses seconds and years.
  return new Cron(schedule, { utcOffset: 0, mode: "5-part" });
}

/** `hh:mm` of a minute of the day. */
function clock(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}

/**
 * The minutes of the day a schedule fires at, ascending. In UTC (no daylight saving) and without
 * seconds, every day that fires fires at exactly these times, so two fire times can only be
 * close within a day or across a midnight.
 */
function minutesOfDay(schedule: string): number[] {
  const pattern = new CronPattern(schedule, undefined, { mode: "5-part" });
  const minutes: number[] = [];
  pattern.hour.forEach((hour, h) => {
    if (hour === 0) return;
    pattern.minute.forEach((minute, m) => {
      if (minute !== 0) minutes.push(h * 60 + m);
    });
  });
  return minutes;
}

/** The first two consecutive fire times less than the minimum apart, walking from `from`. */
function closeFiresAcrossMidnight(cron: Cron, from: Date): [Date, Date] | undefined {
  let previous = cron.nextRun(from);
  for (let count = 1; previous !== null && count < LOOK_AHEAD_FIRES; count++) {
    const next = cron.nextRun(previous);
    if (next === null) return undefined;
    if (next.getTime() - previous.getTime() < MIN_SCHEDULE_INTERVAL_MS) return [previous, next];
    previous = next;
  }
  return undefined;
}

/**
 * Checks a schedule; the issue to report at `/schedule` when it is refused, else undefined. The
 * times of day come from the parsed pattern (a gap within a day shows there); a gap across
 * midnight counts only when two consecutive days both fire, found by walking the fire times.
 * @param from the time the look-ahead starts at (now)
 * @example
 * scheduleIssue("*\/5 * * * *", Date.now()); // undefined
 * scheduleIssue("0,3 * * * *", Date.now()); // { path: "/schedule", message: "fires 3 minute(s) apart (00:00 and 00:03) ..." }
 */
export function scheduleIssue(schedule: unknown, from: number): Issue | undefined {
  const issue = (message: string): Issue => ({ path: "/schedule", message });
  if (typeof schedule !== "string" || schedule.trim() === "") {
    return issue('required: a UTC cron expression of five fields, such as "*/15 * * * *"');
  }
  if (schedule.length > MAX_SCHEDULE_LENGTH) return issue(`at most ${MAX_SCHEDULE_LENGTH} characters`);
  let cron: Cron;
  let minutes: number[];
  try {
    cron = cronOf(schedule);
    minutes = minutesOfDay(schedule);
  } catch (error) {
    // croner's messages name the field and value at fault, and quote only the expression itself.
    const reason = error instanceof Error ? error.message.replace(/^CronPattern: /, "") : "invalid";
    return issue(`not a valid UTC cron expression of five fields (minute hour day month weekday): ${reason}`);
  }
  const tooClose = (gap: number, first: string, second: string): Issue =>
    issue(`fires ${gap} minute(s) apart (${first} and ${second}); monitors run at most every 5 minutes`);
  if (cron.nextRun(new Date(from)) === null) return issue("never fires");
  for (let index = 1; index < minutes.length; index++) {
    const [before, after] = [minutes[index - 1] ?? 0, minutes[index] ?? 0];
    if (after - before < MIN_GAP_MINUTES) return tooClose(after - before, clock(before), clock(after));
  }
  const [first, last] = [minutes[0] ?? 0, minutes[minutes.length - 1] ?? 0];
  if (MINUTES_PER_DAY - last + first < MIN_GAP_MINUTES) {
    const close = closeFiresAcrossMidnight(cron, new Date(from));
    if (close !== undefined) {
      const gap = Math.round((close[1].getTime() - close[0].getTime()) / 60_000);
      return tooClose(gap, close[0].toISOString(), close[1].toISOString());
    }
  }
  return undefined;
}

/**
 * The first fire time of `schedule` after `after`, or undefined when it never fires again (or no
 * longer parses: a view must not fail on it).
 * @example
 * nextFire("0 * * * *", Date.UTC(2030, 0, 1, 12, 30)); // Date.UTC(2030, 0, 1, 13, 0)
 */
export function nextFire(schedule: string, after: number): number | undefined {
  try {
    return cronOf(schedule).nextRun(new Date(after))?.getTime();
  } catch {
    return undefined;
  }
}

/**
 * The last fire time of `schedule` in (`after`, `until`], or undefined when it has none. A checked
 * schedule fires at most every {@link MIN_SCHEDULE_INTERVAL_MS}, so the walk is short for a short
 * window; `parsed` is as for {@link dueSlot}.
 * @example
 * latestFire("0 * * * *", Date.UTC(2030, 0, 1, 11, 35), Date.UTC(2030, 0, 1, 12, 5)); // Date.UTC(2030, 0, 1, 12, 0)
 */
export function latestFire(
  schedule: string,
  after: number,
  until: number,
  parsed?: Map<string, Cron>,
): number | undefined {
  const cron = parsedCron(schedule, parsed);
  let latest: number | undefined;
  for (let next = cron.nextRun(new Date(after)); next !== null && next.getTime() <= until; ) {
    latest = next.getTime();
    next = cron.nextRun(next);
  }
  return latest;
}

function parsedCron(schedule: string, parsed: Map<string, Cron> | undefined): Cron {
  let cron = parsed?.get(schedule);
  if (cron === undefined) {
    cron = cronOf(schedule);
    parsed?.set(schedule, cron);
  }
  return cron;
}

/**
 * The fire time of `schedule` in the tick ending at `tickAt`, (tickAt - TICK_MS, tickAt], or
 * undefined when it has none. A checked schedule has at most one there (its fire times are at
 * least a tick apart). `parsed` keeps parsed schedules for the rest of a tick (monitors often
 * share one, and parsing costs several times the look-up).
 * @example
 * dueSlot("0 * * * *", Date.UTC(2030, 0, 1, 12, 0)); // Date.UTC(2030, 0, 1, 12, 0)
 * dueSlot("0 * * * *", Date.UTC(2030, 0, 1, 12, 5)); // undefined
 */
export function dueSlot(schedule: string, tickAt: number, parsed?: Map<string, Cron>): number | undefined {
  const next = parsedCron(schedule, parsed).nextRun(new Date(tickAt - TICK_MS));
  if (next === null) return undefined;
  const at = next.getTime();
  return at <= tickAt ? at : undefined;
}
