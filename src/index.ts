/**
 * certn-edge: a fetch-only client for the Certn background-screening API.
 * @packageDocumentation
 */
export type { AttemptInfo, RetryPolicy, SendOptions, Transport } from "./core/transport.ts";
