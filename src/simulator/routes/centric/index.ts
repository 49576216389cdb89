/** Every CertnCentric route (`/api/public/...`). */
import type { RouteDef } from "../../runtime.ts";
import { caseRoutes } from "./cases.ts";
import { directoryRoutes } from "./directory.ts";
import { eventRoutes } from "./events.ts";
import { centricReportRoutes } from "./reports.ts";

/** The CertnCentric route table. Report files come first so `cases/report-files/{id}/` is not a case id. */
export const centricRoutes: readonly RouteDef[] = [
  ...centricReportRoutes,
  ...caseRoutes,
  ...directoryRoutes,
  ...eventRoutes,
];
