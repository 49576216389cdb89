/** The path families of HR and PM applications, and what differs between them. */
import { OWNER_ID_REQUIRED_ON_B2 } from "../../assumptions/partner-applications.ts";

/**
 * The four path families serving HR and PM applications (certn-api.md §3.2, §3.3, §7 #7):
 * gen B2 under /api/v1/{hr,pm}/ and the gen B1 aliases /hr/v1/ and /api/v2/, which behave
 * identically except that `owner_id` is not required there (§7 #18).
 */
export interface Surface {
  prefix: string;
  /** Gen B2 (partner docs, v1.1) or gen B1 (v1.0 and classic paths). */
  gen: "B1" | "B2";
  kind: "hr" | "pm";
  /** Gen B2 requires `owner_id`; gen B1 takes the credential's user as owner. */
  ownerRequired: boolean;
}

/** Every application surface. */
export const SURFACES: readonly Surface[] = [
  { prefix: "/api/v1/hr", gen: "B2", kind: "hr", ownerRequired: OWNER_ID_REQUIRED_ON_B2.value },
  { prefix: "/api/v1/pm", gen: "B2", kind: "pm", ownerRequired: OWNER_ID_REQUIRED_ON_B2.value },
  { prefix: "/hr/v1", gen: "B1", kind: "hr", ownerRequired: false },
  { prefix: "/api/v2", gen: "B1", kind: "pm", ownerRequired: false },
];
