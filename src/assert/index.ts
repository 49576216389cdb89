/**
 * Declarative assertions: selectors, operators and their evaluation, all pure data.
 * @packageDocumentation
 */
export { deepEqual } from "./deep-equal.ts";
export { evaluateAssertion, expectedValue, operatorOf, type RawAssertionResult } from "./evaluate.ts";
export { type JsonTypeName, jsonTypeOf } from "./json-type.ts";
export { applyOperator, type OperatorOutcome } from "./operators.ts";
export { compilePattern, MAX_MATCH_TEXT, MAX_PATTERN_LENGTH, testPattern } from "./regex.ts";
export { type BodyView, type ResponseView, viewBody } from "./response-view.ts";
export { validateSchema } from "./schema.ts";
export { type Selection, type SelectionContext, select, selectJsonPath } from "./selectors.ts";
