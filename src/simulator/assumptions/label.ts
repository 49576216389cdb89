/**
 * The label every simulator assumption carries: how the reference tags the statement it follows,
 * or `SIM` when the reference is silent and the choice is the simulator's own. Structured data,
 * so docs/simulator-assumptions.md is generated from it (scripts/simulator-assumptions.ts) and
 * never from comments.
 */

/**
 * The reference's own tags (`DOC`, `CODE`, `INF`, `2ND`, and `SPEC`, which certncentric-api.md
 * defines but never uses), plus `SIM` for a choice the reference leaves open without suggesting one.
 */
export type SourceTag = "DOC" | "CODE" | "INF" | "2ND" | "SIM";

/** The two reference files under shared/. */
export type ReferenceFile = "certn-api.md" | "certncentric-api.md";

/** Where one assumption comes from. */
export interface Label {
  tag: SourceTag;
  ref: ReferenceFile;
  /** Section(s) of `ref`, e.g. `"2.1"` or `"3.2, 7 #12"`. */
  section: string;
  /** What the reference says and what the simulator does with it, in one or two sentences. */
  note: string;
}

/** A value the simulator uses, with its label. */
export interface Assumption<T> {
  readonly value: T;
  readonly label: Label;
}

/** What each tag means, for the generated page. */
export const TAG_MEANINGS: Readonly<Record<SourceTag, string>> = {
  DOC: "said by a Certn documentation page (the reference tags it [DOC])",
  CODE: "seen in public code written against the real API (the reference tags it [CODE])",
  INF: "inferred by the reference from Certn's framework or from consistency (the reference tags it [INF])",
  "2ND": "only from a second-hand write-up (the reference tags it [2ND])",
  SIM: "not in the reference, or left open without a suggestion: the simulator's own choice",
};

/** Declares an assumption. */
export function assume<T>(value: T, label: Label): Assumption<T> {
  return { value, label };
}

/** A label on certn-api.md (the partner API). */
export function certn(tag: SourceTag, section: string, note: string): Label {
  return { tag, ref: "certn-api.md", section, note };
}

/** A label on certncentric-api.md. */
export function centric(tag: SourceTag, section: string, note: string): Label {
  return { tag, ref: "certncentric-api.md", section, note };
}

/** True for an {@link Assumption} (the generator and its test walk module exports with this). */
export function isAssumption(value: unknown): value is Assumption<unknown> {
  if (typeof value !== "object" || value === null || !("label" in value) || !("value" in value)) {
    return false;
  }
  const label = (value as { label: unknown }).label;
  return typeof label === "object" && label !== null && "tag" in label && "section" in label;
}

/** Fills `{name}` placeholders of a message template. */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}
