/** Where the console shows a validation issue: the line and column a JSON Pointer lands on. */
import { describe, expect, it } from "vitest";
import { locatePointer, pointerSegments } from "../../../src/worker/console/client/json-location.ts";

const text = JSON.stringify(
  {
    formatVersion: 1,
    name: "n",
    items: [
      { name: "a", request: { method: "GET", url: "/x" } },
      { name: "b", request: { method: "FETCH", url: "/y" }, "a/b~c": true },
    ],
  },
  null,
  2,
);
const lineOf = (needle: string): number => text.split("\n").findIndex((line) => line.includes(needle)) + 1;

describe("locatePointer", () => {
  it("finds a member (its key) by its pointer, through objects and arrays", () => {
    const place = locatePointer(text, "/items/1/request/method");
    expect(place?.line).toBe(lineOf('"method": "FETCH"'));
    const line = text.split("\n")[lineOf('"method": "FETCH"') - 1] ?? "";
    expect(place?.column).toBe(line.indexOf('"method"') + 1);
    expect(text.slice(place?.offset, (place?.offset ?? 0) + (place?.length ?? 0))).toBe('"method": "FETCH"');
    expect(locatePointer(text, "/items/1")?.line).toBe(lineOf('"name": "b"') - 1);
  });

  it("decodes ~1 and ~0 in a segment", () => {
    expect(pointerSegments("/a~1b~0c/0")).toEqual(["a/b~c", "0"]);
    expect(locatePointer(text, "/items/1/a~1b~0c")?.line).toBe(lineOf('"a/b~c"'));
  });

  it("lands on the nearest existing parent when the member is missing", () => {
    expect(locatePointer(text, "/items/0/request/headers")?.line).toBe(lineOf('"request": {'));
    expect(locatePointer(text, "/items/7/name")?.line).toBe(lineOf('"items": ['));
  });

  it("puts the root pointer at the start, and reads the last of duplicate keys as JSON.parse does", () => {
    expect(locatePointer(text, "")).toMatchObject({ line: 1, column: 1, offset: 0 });
    expect(locatePointer('{"a": 1,\n"a": 2}', "/a")?.line).toBe(2);
  });
});
