/** Every partner-API route (gens A, B1 and B2 of certn-api.md). */
import type { RouteDef } from "../../runtime.ts";
import { applicationRoutes } from "./applications.ts";
import { generalRoutes } from "./general.ts";
import { rentalRoutes } from "./rentals.ts";
import { reportRoutes } from "./reports.ts";
import { sessionRoutes } from "./session.ts";
import { tokenRoutes } from "./token.ts";

/** The partner API's route table. */
export const partnerRoutes: readonly RouteDef[] = [
  ...tokenRoutes,
  ...sessionRoutes,
  ...generalRoutes,
  ...rentalRoutes,
  ...applicationRoutes,
  ...reportRoutes,
];
