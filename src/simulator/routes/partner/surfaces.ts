/**
 * The four path families serving HR and PM applications (certn-api.md §3.2, §3.3, §7 #7):
 * gen B2 under /api/v1/{hr,pm}/ and the gen B1 aliases /hr/v1/ and /api/v2/, which behave
 * identically except that `owner_id` is not required there (§7 #18).
 */
export interface Surface {
  prefix: string;
  kind: "hr" | "pm";
  /** Gen B2 requires `owner_id`; gen B1 takes the credential's user as owner. */
  ownerRequired: boolean;
}

/** Every application surface. */
export const SURFACES: readonly Surface[] = [
  { prefix: "/api/v1/hr", kind: "hr", ownerRequired: true },
  { prefix: "/api/v1/pm", kind: "pm", ownerRequired: true },
  { prefix: "/hr/v1", kind: "hr", ownerRequired: false },
  { prefix: "/api/v2", kind: "pm", ownerRequired: false },
];
