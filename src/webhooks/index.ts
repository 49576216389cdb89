/**
 * certn-edge/webhooks: receiving Certn webhooks. Signature checks for the partner API
 * (`Certn-Signature`) and CertnCentric (`X-Signature`), CertnCentric's challenge handshake and its
 * event payload, and the id a delivery is de-duplicated on. Web standards only (`crypto.subtle`,
 * `TextEncoder`, `Request`, `Response`), so it runs in Workers, Deno, Bun, Node and browsers. The
 * two signature checks are also exported by the root entry.
 * @packageDocumentation
 */

export type {
  CertnCentricCaseStatus,
  CertnCentricEventType,
  CertnCentricObjectType,
} from "../resources/centric/enums.ts";
export { answerCertnCentricChallenge } from "./centric-challenge.ts";
export { type CertnCentricEvent, parseCertnCentricEvent } from "./centric-event.ts";
export {
  CERTN_CENTRIC_SIGNATURE_HEADER,
  type CertnCentricSignatureFailureReason,
  type CertnCentricSignatureResult,
  type VerifyCertnCentricSignatureOptions,
  verifyCertnCentricSignature,
} from "./centric-signature.ts";
export {
  CERTN_SIGNATURE_HEADER,
  type CertnSignatureFailureReason,
  type CertnSignatureResult,
  DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
  type VerifyCertnSignatureOptions,
  verifyCertnSignature,
} from "./certn-signature.ts";
export { webhookEventId } from "./event-id.ts";
export type { RawBody } from "./raw-body.ts";
