/**
 * A monitor's schedule in words, for the shapes people write most (every N minutes, hourly, daily,
 * weekly, the nicknames); anything else is left to its cron expression, which is always shown too.
 * A few patterns rather than a cron-describing library: that would add more to the page than the
 * whole Monitors view.
 */

const NICKNAMES: Record<string, string> = {
  "@hourly": "every hour, on the hour",
  "@daily": "every day at 00:00 UTC",
  "@midnight": "every day at 00:00 UTC",
  "@weekly": "every Sunday at 00:00 UTC",
  "@monthly": "on the 1st of every month at 00:00 UTC",
  "@yearly": "every 1 January at 00:00 UTC",
  "@annually": "every 1 January at 00:00 UTC",
};

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** A number field of 0..max as a number, or undefined. */
function fieldNumber(field: string, max: number): number | undefined {
  if (!/^\d{1,2}$/.test(field)) return undefined;
  const value = Number(field);
  return value <= max ? value : undefined;
}

const two = (value: number): string => String(value).padStart(2, "0");

/**
 * The schedule in words, or undefined when it is not one of the common shapes.
 * @example
 * scheduleInWords("*\/15 * * * *"); // "every 15 minutes"
 * scheduleInWords("30 6 * * 1"); // "every Monday at 06:30 UTC"
 */
export function scheduleInWords(schedule: string): string | undefined {
  const text = schedule.trim().toLowerCase();
  const nickname = NICKNAMES[text];
  if (nickname !== undefined) return nickname;
  const fields = text.split(/\s+/);
  if (fields.length !== 5) return undefined;
  const [minute = "", hour = "", day = "", month = "", weekday = ""] = fields;
  if (day !== "*" || month !== "*") return undefined;
  const every = /^\*\/(\d{1,2})$/.exec(minute);
  if (every !== null && hour === "*" && weekday === "*") return `every ${Number(every[1])} minutes`;
  const m = fieldNumber(minute, 59);
  if (m === undefined) return undefined;
  if (hour === "*" && weekday === "*") {
    return m === 0 ? "every hour, on the hour" : `every hour at ${m} minute(s) past`;
  }
  const hr = fieldNumber(hour, 23);
  if (hr === undefined) return undefined;
  const at = `at ${two(hr)}:${two(m)} UTC`;
  if (weekday === "*") return `every day ${at}`;
  const wd = fieldNumber(weekday, 7);
  return wd === undefined ? undefined : `every ${WEEKDAYS[wd]} ${at}`;
}
