/**
 * CertnCentric cases, reports, webhooks and the event log: the choices certncentric-api.md leaves
 * open (§3.3-§3.7, §4, §5) and the code-sourced answers the simulator follows.
 */
import { assume, centric } from "./label.ts";

/** `POST .../order/` and `order-package/` answer 201 with the case (certncentric-api.md §3.3). */
export const ORDER_STATUS = assume(
  201,
  centric("CODE", "3.3", "Test mocks of one client; the case carries invite_link."),
);

/** Invite links handed back with `return_invite_link` (certncentric-api.md §3.3). */
export const INVITE_LINK_BASE = assume(
  "https://apply.sandbox.certn.co/invite/",
  centric("SIM", "3.3", "Clients read an https invite_link; its host and path are not captured."),
);

/** Case list order: newest first. */
export const CASE_LIST_NEWEST_FIRST = assume(true, centric("SIM", "3.2", "The order is not documented."));

/** When each status of a case's timeline starts, as fractions of the stage it belongs to. */
export const CASE_STEP_TIMING = assume(
  { invitedAfterMs: 1_000, openedAt: 0.4, startedAt: 0.7, inProgressAt: 0.2 },
  centric("SIM", "4.1", "The statuses and their order are documented; their timing is the simulator's."),
);

/** A check's status while the applicant has not submitted (certncentric-api.md §4.3). */
export const CHECK_AWAITING = assume(
  "AWAITING_APPLICANT_SUBMISSION",
  centric("CODE", "4.3", "One client's fake; the check-status enum is not documented."),
);

/** Check statuses during the analysis and at the end (certncentric-api.md §4.3). */
export const CHECK_STATUSES = assume(
  { running: "IN_PROGRESS", done: "COMPLETE", ended: "CANCELLED" },
  centric("SIM", "4.3", "COMPLETE is seen [CODE]; IN_PROGRESS and CANCELLED mirror the case statuses."),
);

/** `POST .../cancel/` answers 204 No Content (certncentric-api.md §3.6). */
export const CANCEL_STATUS = assume(
  204,
  centric(
    "CODE",
    "3.6",
    "The one client that states it says 204; another parses JSON only because its mocks do.",
  ),
);

/** Statuses after which a case cannot be cancelled (certncentric-api.md §4.1). */
export const TERMINAL_CASE_STATUSES = assume(
  [
    "COMPLETE",
    "CANCELLED",
    "APPLICANT_EXPIRED",
    "APPLICANT_DECLINED",
    "INVITE_UNDELIVERABLE",
  ] as readonly string[],
  centric("CODE", "4.1", "The statuses clients treat as terminal."),
);

/** Cancelling a terminal case: status and message are unknown (certncentric-api.md §3.6). */
export const CANNOT_CANCEL = assume(
  { status: 400, detail: "This case can no longer be cancelled." },
  centric("SIM", "3.6", "A validation_error with attr null."),
);

/** Time from `generate-report/` until the file is ready (certncentric-api.md §3.7: asynchronous). */
export const REPORT_READY_MS = assume(
  3_000,
  centric("SIM", "3.7", "Generation is asynchronous [DOC]; 3 s is the simulator's."),
);

/** Lifetime of a signed report download link. */
export const REPORT_LINK_TTL_MS = assume(
  15 * 60_000,
  centric(
    "SIM",
    "3.7",
    'Clients call it a "short-lived presigned URL" [CODE]; 15 minutes is the simulator\'s.',
  ),
);

/** `generate-report/` answers 201 with the id under both names clients read. */
export const REPORT_REQUEST_ID_KEYS = assume(
  ["id", "case_report_file_id"] as readonly string[],
  centric("INF", "3.7, 6.1 #5", "Clients disagree on the field (case_report_file_id, id); 201 is [CODE]."),
);

/** `report-files/{id}/`: statuses and the link under both names clients read. */
export const REPORT_FILE_SHAPE = assume(
  { pending: "PENDING", complete: "COMPLETE", failed: "FAILED", linkKeys: ["pdf_url", "url"] },
  centric(
    "INF",
    "3.7, 6.1 #5",
    "COMPLETE, FAILED and pdf_url are [CODE]; PENDING and url are the reference's suggestion.",
  ),
);

/** The documented webhook payload (certncentric-api.md §5.3). */
export const WEBHOOK_DOCUMENTED_FIELDS = assume(
  ["id", "event_type", "object_id", "object_type"] as readonly string[],
  centric("DOC", "5.3", "A thin notification; fetch the object afterwards."),
);

/** Fields public receivers read beyond those (certncentric-api.md §5.3); nothing else is sent. */
export const WEBHOOK_RECEIVER_FIELDS = assume(
  ["event_id", "created", "case_status"] as readonly string[],
  centric("CODE", "5.3, 6.1 #6", "Four receivers read event_id (equal to id here), created and case_status."),
);

/** `object_id`/`object_type` of a check event: the case (certncentric-api.md §5.3). */
export const CHECK_EVENT_OBJECT = assume(
  "CASE",
  centric(
    "CODE",
    "5.3",
    "object_id is the case id even for CHECK_STATUS_CHANGED; receivers re-fetch the case.",
  ),
);

/** A new case's first status (CASE_ORDERED) is announced like every later change. */
export const ANNOUNCE_CREATION = assume(
  true,
  centric(
    "SIM",
    "5.2",
    "CASE_STATUS_CHANGED says a status changed; the reference does not say whether creation counts.",
  ),
);

/** Non-2xx answers are retried, three more times by default (certncentric-api.md §5.6). */
export const CENTRIC_WEBHOOK_RETRIES = assume(
  3,
  centric(
    "CODE",
    "5.6",
    'Receivers say Certn retries non-2xx "with backoff for about 2 hours"; the count is the simulator\'s.',
  ),
);

/** `GET /api/public/events/`: the event log, with `page` and `last_processed_event_id`. */
export const EVENTS_LOG = assume(
  {
    path: "/api/public/events/",
    afterParam: "last_processed_event_id",
    unknownAfter: 'Event "{id}" does not exist.',
  },
  centric(
    "CODE",
    "3.1",
    "One client's provider table. Items are the webhook payloads (shape SIM), oldest first; an unknown id is a validation_error.",
  ),
);

/** `GET /api/public/questionnaires/`: path seen, shape not. */
export const QUESTIONNAIRES = assume(
  { path: "/api/public/questionnaires/", fields: ["id", "name", "is_active", "created"] },
  centric("CODE", "3.1", "One client's provider table; the item fields are the simulator's."),
);

/** Items of the supplementary files and information pages: shapes unknown, so none. */
export const SUPPLEMENTARY_ITEMS = assume(
  [] as readonly unknown[],
  centric("SIM", "3.1", "The routes are [DOC], their shapes unknown: empty pages in the envelope."),
);
