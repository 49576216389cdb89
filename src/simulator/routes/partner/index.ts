/** Every partner-API route (gens B1/B2 of certn-api.md). */
import type { RouteDef } from "../../runtime.ts";
import { applicationRoutes } from "./applications.ts";
import { generalRoutes } from "./general.ts";
import { reportRoutes } from "./reports.ts";
import { tokenRoutes } from "./token.ts";

/** The partner API's route table. */
export const partnerRoutes: readonly RouteDef[] = [
  ...tokenRoutes,
  ...generalRoutes,
  ...applicationRoutes,
  ...reportRoutes,
];
