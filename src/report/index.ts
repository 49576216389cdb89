/**
 * Reporters (pure functions of a run result) and the redaction the runner applies when it builds one.
 * @packageDocumentation
 */
export { toJUnit } from "./junit.ts";
export { toNdjsonLine } from "./ndjson.ts";
export {
  createRedactor,
  isPersonalKey,
  maskPersonal,
  PERSONAL_KEYS,
  PERSONAL_PLACEHOLDER,
  type Redactor,
  SECRET_PLACEHOLDER,
} from "./redact.ts";
export { toText } from "./text.ts";
