/** Helpers for the CertnCentric simulator tests. */
import type { CertnSimulator } from "../../../src/simulator/index.ts";
import { type Api, jsonApi } from "./helpers.ts";

/** The sandbox origin (certncentric-api.md §2.1). */
export const SANDBOX = "https://api.sandbox.certn.co";

/** A JSON caller sending `Authorization: Api-Key <key>`; a body that is not JSON fails the call. */
export function centricApi(sim: CertnSimulator, key = sim.centric.apiKeys[0] ?? ""): Api {
  return jsonApi(sim, SANDBOX, `Api-Key ${key}`, "throw");
}

/** A quickscreen order body; `familyName` selects the scenario. */
export function quickscreenOrder(
  familyName = "Doe",
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    email_address: "applicant@example.com",
    check_types_with_arguments: { IDENTITY_VERIFICATION_1: {}, CRIMINAL_RECORD_REPORT_1: {} },
    input_claims: {
      name: { given_name: "John", family_name: familyName },
      date_of_birth: "1990-01-15",
      residences: [{ address: { street_address: "123 Main St", locality: "Vancouver", country: "CA" } }],
    },
    ...extra,
  };
}
