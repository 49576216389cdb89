import { describe, expect, it } from "vitest";
import { isCertnResponseError } from "../../../src/core/errors.ts";
import { parseCertnCentricEvent } from "../../../src/webhooks/centric-event.ts";

const documented = {
  id: "e50b8c4f-9a95-40a0-886a-37aa21ea078e",
  event_type: "CASE_STATUS_CHANGED",
  object_id: "2f64d134-1c54-4028-8e8b-9cfa7bd8011c",
  object_type: "CASE",
};

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}

describe("parseCertnCentricEvent", () => {
  it("reads the documented payload (docs: `id`)", () => {
    expect(parseCertnCentricEvent(JSON.stringify(documented))).toEqual({
      id: documented.id,
      eventType: "CASE_STATUS_CHANGED",
      objectId: documented.object_id,
      objectType: "CASE",
      payload: documented,
    });
  });

  it("reads `event_id`, `created` and `case_status` as public receivers do (code-sourced)", () => {
    const payload = {
      created: "2026-11-28T10:00:00Z",
      event_id: "ev-1",
      event_type: "CASE_STATUS_CHANGED",
      object_id: "case-1",
      object_type: "CASE",
      case_status: "COMPLETE",
    };
    const event = parseCertnCentricEvent(new TextEncoder().encode(JSON.stringify(payload)));
    expect(event).toMatchObject({
      id: "ev-1",
      created: payload.created,
      caseStatus: "COMPLETE",
      objectId: "case-1",
    });
  });

  it("prefers the documented `id` when both keys are present", () => {
    expect(parseCertnCentricEvent({ ...documented, event_id: "other" }).id).toBe(documented.id);
  });

  it("accepts an ArrayBuffer and an already parsed object, and keeps unknown event types", () => {
    const custom = { ...documented, event_type: "SOMETHING_NEW" };
    const buffer = new TextEncoder().encode(JSON.stringify(custom)).buffer;
    expect(parseCertnCentricEvent(buffer).eventType).toBe("SOMETHING_NEW");
    expect(parseCertnCentricEvent(custom).eventType).toBe("SOMETHING_NEW");
  });

  it("names the missing field in a CertnResponseError", () => {
    for (const field of ["event_type", "object_id", "object_type"]) {
      const { [field]: _removed, ...rest } = documented as Record<string, string>;
      const error = thrown(() => parseCertnCentricEvent(rest));
      expect(isCertnResponseError(error)).toBe(true);
      expect(error.message).toContain(`\`${field}\``);
    }
    const { id: _id, ...withoutId } = documented;
    expect(thrown(() => parseCertnCentricEvent(withoutId)).message).toMatch(/missing `id` or `event_id`/);
  });

  it("names mistyped fields", () => {
    expect(thrown(() => parseCertnCentricEvent({ ...documented, object_id: 42 })).message).toMatch(
      /`object_id` must be a non-empty string \(found a number at `object_id`\)/,
    );
    expect(thrown(() => parseCertnCentricEvent({ ...documented, id: "" })).message).toMatch(
      /found an empty string/,
    );
    expect(thrown(() => parseCertnCentricEvent({ ...documented, created: 5 })).message).toMatch(/`created`/);
  });

  it("refuses bodies that are not a JSON object, saying so", () => {
    expect(thrown(() => parseCertnCentricEvent("{not json")).message).toMatch(/not valid JSON/);
    expect(thrown(() => parseCertnCentricEvent("[1]")).message).toMatch(/expected a JSON object/);
    expect(thrown(() => parseCertnCentricEvent("null")).message).toMatch(/expected a JSON object/);
    expect(thrown(() => parseCertnCentricEvent(new Uint8Array([0xff, 0x7b]))).message).toMatch(/not UTF-8/);
  });

  it("does not echo payload values (applicant data) into the message", () => {
    const error = thrown(() =>
      parseCertnCentricEvent({
        ...documented,
        object_type: ["jane.doe@example.com"],
        email: "jane.doe@example.com",
      }),
    );
    expect(error.message).not.toContain("jane.doe");
  });
});
