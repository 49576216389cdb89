/**
 * A monitor's schedule in words on the console's Monitors pages: the common shapes described, and
 * each description agreeing with the fire times the Worker's own schedule parser computes.
 */
import { describe, expect, it } from "vitest";
import { scheduleInWords } from "../../../src/worker/console/client/schedule-words.ts";
import { nextFire } from "../../../src/worker/monitor-schedule.ts";

/** A Sunday, 2030-01-06 00:00:30 UTC. */
const SUNDAY = Date.UTC(2030, 0, 6, 0, 0, 30);

describe("scheduleInWords", () => {
  it("describes the common shapes, and the described times are when the schedule fires", () => {
    const cases: [string, string, number][] = [
      ["*/5 * * * *", "every 5 minutes", Date.UTC(2030, 0, 6, 0, 5)],
      ["*/15 * * * *", "every 15 minutes", Date.UTC(2030, 0, 6, 0, 15)],
      ["0 * * * *", "every hour, on the hour", Date.UTC(2030, 0, 6, 1, 0)],
      ["20 * * * *", "every hour at 20 minute(s) past", Date.UTC(2030, 0, 6, 0, 20)],
      ["5 3 * * *", "every day at 03:05 UTC", Date.UTC(2030, 0, 6, 3, 5)],
      ["30 6 * * 1", "every Monday at 06:30 UTC", Date.UTC(2030, 0, 7, 6, 30)],
      ["0 12 * * 7", "every Sunday at 12:00 UTC", Date.UTC(2030, 0, 6, 12, 0)],
      ["@daily", "every day at 00:00 UTC", Date.UTC(2030, 0, 7, 0, 0)],
    ];
    for (const [schedule, words, fires] of cases) {
      expect(scheduleInWords(schedule), schedule).toBe(words);
      expect(nextFire(schedule, SUNDAY), schedule).toBe(fires);
    }
  });

  it("leaves other shapes to their expression rather than guess", () => {
    for (const schedule of ["0 9 1 * *", "0 9-17 * * 1-5", "0,30 * * * *", "0 9 * 6 *", "bad", "1 2 3"]) {
      expect(scheduleInWords(schedule), schedule).toBeUndefined();
    }
  });
});
