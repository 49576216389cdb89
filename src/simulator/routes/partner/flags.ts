/** The request flags the simulator knows and where their results go (certn-api.md §5.3). */
import {
  CHECK_EXECUTION_FLAGS,
  GUESSED_RESULT_KEYS_BY_FLAG,
  NO_RESULT_FLAGS,
  RESULT_KEYS_BY_FLAG,
} from "../../assumptions/partner-flags.ts";

const KEYS_BY_FLAG: Readonly<Record<string, readonly string[]>> = {
  ...RESULT_KEYS_BY_FLAG.value,
  ...GUESSED_RESULT_KEYS_BY_FLAG.value,
};

/** Every flag of the §5.3 table; other `request_*` keys are ignored, as DRF ignores unknown fields. */
export const KNOWN_REQUEST_FLAGS: readonly string[] = [
  ...new Set([...Object.keys(KEYS_BY_FLAG), ...CHECK_EXECUTION_FLAGS.value, ...NO_RESULT_FLAGS.value]),
];

/** The `*_result` keys a flag fills (none for check-execution and result-less flags). */
export function resultKeysOf(flag: string): readonly string[] {
  return KEYS_BY_FLAG[flag] ?? [];
}

/** Result keys an applicant object always carries, `null` when not requested (§3.2). */
export const RESULT_KEYS: readonly string[] = [...new Set(Object.values(KEYS_BY_FLAG).flat())];

/** True for a flag whose result is a `check_executions[]` entry. */
export function isCheckExecutionFlag(flag: string): boolean {
  return CHECK_EXECUTION_FLAGS.value.includes(flag);
}
