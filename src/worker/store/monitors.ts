/**
 * The `monitors` table: one row per monitor, keyed by owner and id (each caller has ids of their
 * own). The inputs are sealed, and so is the alert's URL (a webhook URL often carries its token, as
 * Slack's do): the row keeps it sealed for the alert sender and, for the API, only its redacted form.
 * The row also pins the collection's content as it was saved ({@link collectionPin}).
 */

/** When a monitor alerts: a failed run, a change between passing and failing, or every run. */
export type AlertOn = "failure" | "change" | "always";

/** Where and when a monitor's alerts go (the URL whole: in memory only, never stored). */
export interface MonitorAlert {
  url: string;
  on: AlertOn;
}

/** A monitor's alert as stored: the URL sealed (see `monitorSealer`) and as the API shows it. */
export interface StoredMonitorAlert {
  on: AlertOn;
  /** The URL redacted (`redactAlertUrl`). */
  shown: string;
  /** The URL sealed under the monitor's sealer, purpose {@link ALERT_URL_PURPOSE}. */
  sealedUrl: string;
}

/** The sealing purpose of a monitor's alert URL. */
export const ALERT_URL_PURPOSE = "alert-url";

/** A monitor as stored. */
export interface MonitorRecord {
  owner: string;
  id: string;
  collection: string;
  schedule: string;
  /** The run inputs, sealed (see `monitorSealer`). */
  inputs: string;
  alert: StoredMonitorAlert | undefined;
  /**
   * {@link collectionPin} of the collection when the monitor was saved; undefined for a monitor
   * saved before migrations/0008 (it runs its collection as it stands until saved again).
   */
  collectionSha256: string | undefined;
  createdAt: number;
  updatedAt: number;
}

/**
 * The pin of a collection: lower-case hex SHA-256 of its canonical stored text, the validated
 * collection as JSON, as `CollectionStore.put` wrote it to `COLLECTIONS` (`JSON.stringify` of the
 * value read back gives that text again; a bundled one's is its deployed JSON). The text, not what
 * the parser of the day makes of it, so an upgrade of the parser changes no pin. A stored
 * collection is shared, so another caller may replace it; a monitor runs only the content it was
 * saved with.
 * @example
 * const pin = await collectionPin(found.value);
 */
export async function collectionPin(value: unknown): Promise<string> {
  const text = new TextEncoder().encode(JSON.stringify(value));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", text));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** A monitor as lists show it: without its inputs (which may be large). */
export type MonitorListing = Omit<MonitorRecord, "inputs">;

interface ListingRow {
  owner: string;
  id: string;
  collection: string;
  schedule: string;
  alert: string | null;
  collection_sha256: string | null;
  created_at: number;
  updated_at: number;
}

interface MonitorRow extends ListingRow {
  inputs: string;
}

const LISTING_COLUMNS = "owner, id, collection, schedule, alert, collection_sha256, created_at, updated_at";
const COLUMNS = `${LISTING_COLUMNS}, inputs`;

function toListing(row: ListingRow): MonitorListing {
  return {
    owner: row.owner,
    id: row.id,
    collection: row.collection,
    schedule: row.schedule,
    alert: row.alert === null ? undefined : (JSON.parse(row.alert) as StoredMonitorAlert),
    collectionSha256: row.collection_sha256 ?? undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRecord(row: MonitorRow): MonitorRecord {
  return { ...toListing(row), inputs: row.inputs };
}

/** What `PUT /monitors/:id` stores: the record (pinned) without its times, and the time of the write. */
export type MonitorWrite = Omit<MonitorRecord, "createdAt" | "updatedAt" | "collectionSha256"> & {
  collectionSha256: string;
  now: number;
};

/**
 * What became of a write: a new monitor, a replaced one, or none: the owner has the most allowed
 * (`full`), or the deployment has (`deployment-full`).
 */
export type MonitorWriteOutcome = "created" | "replaced" | "full" | "deployment-full";

/**
 * The most monitors a deployment holds: as many as one Cron Trigger invocation reads
 * (`MAX_MONITORS_SCANNED`), so a stored monitor is never one no tick looks at.
 */
export const MAX_MONITORS = 5_000;

/** The most monitors a write may leave: per owner, and in the whole deployment. */
export interface MonitorLimits {
  perOwner: number;
  total: number;
}

/**
 * Creates or replaces a monitor (its creation time kept). A new one is inserted only while the
 * owner has fewer than `limits.perOwner` and the deployment fewer than `limits.total`, decided
 * inside the INSERT itself, so creations that race cannot pass a limit together.
 * @example
 * await putMonitor(db, { owner: "alice", id: "nightly", collection: "certn-smoke",
 *   collectionSha256: pin, schedule: "0 3 * * *", inputs: sealed, alert: undefined, now: Date.now() },
 *   { perOwner: 200, total: 5000 });
 */
export async function putMonitor(
  db: D1Database,
  monitor: MonitorWrite,
  limits: MonitorLimits,
): Promise<MonitorWriteOutcome> {
  const alert = monitor.alert === undefined ? null : JSON.stringify(monitor.alert);
  const replaced = await db
    .prepare(
      "UPDATE monitors SET collection = ?, schedule = ?, inputs = ?, alert = ?, collection_sha256 = ?, updated_at = ? WHERE owner = ? AND id = ?",
    )
    .bind(
      monitor.collection,
      monitor.schedule,
      monitor.inputs,
      alert,
      monitor.collectionSha256,
      monitor.now,
      monitor.owner,
      monitor.id,
    )
    .run();
  if (replaced.meta.changes > 0) return "replaced";
  const inserted = await db
    .prepare(
      `INSERT INTO monitors (${COLUMNS}) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?
       WHERE (SELECT COUNT(*) FROM monitors WHERE owner = ?) < ? AND (SELECT COUNT(*) FROM monitors) < ?
       ON CONFLICT (owner, id) DO UPDATE SET collection = excluded.collection, schedule = excluded.schedule,
         inputs = excluded.inputs, alert = excluded.alert, collection_sha256 = excluded.collection_sha256,
         updated_at = excluded.updated_at`,
    )
    .bind(
      monitor.owner,
      monitor.id,
      monitor.collection,
      monitor.schedule,
      alert,
      monitor.collectionSha256,
      monitor.now,
      monitor.now,
      monitor.inputs,
      monitor.owner,
      limits.perOwner,
      limits.total,
    )
    .run();
  if (inserted.meta.changes > 0) return "created";
  return (await countMonitors(db, monitor.owner)) >= limits.perOwner ? "full" : "deployment-full";
}

/**
 * The owner's monitor `id`, or undefined.
 * @example
 * const monitor = await getMonitor(db, "alice", "nightly");
 */
export async function getMonitor(
  db: D1Database,
  owner: string,
  id: string,
): Promise<MonitorRecord | undefined> {
  const row = await db
    .prepare(`SELECT ${COLUMNS} FROM monitors WHERE owner = ? AND id = ?`)
    .bind(owner, id)
    .first<MonitorRow>();
  return row === null ? undefined : toRecord(row);
}

/**
 * The owner's monitors by id, at most `limit`, without their inputs.
 * @example
 * const monitors = await listMonitors(db, "alice", 200);
 */
export async function listMonitors(db: D1Database, owner: string, limit: number): Promise<MonitorListing[]> {
  const { results } = await db
    .prepare(`SELECT ${LISTING_COLUMNS} FROM monitors WHERE owner = ? ORDER BY id LIMIT ?`)
    .bind(owner, limit)
    .all<ListingRow>();
  return results.map(toListing);
}

/** One page of every owner's monitors (`columns`) after position `after`, in (owner, id) order. */
function pageAfter(
  db: D1Database,
  columns: string,
  after: { owner: string; id: string } | undefined,
  limit: number,
): D1PreparedStatement {
  if (after === undefined) {
    return db.prepare(`SELECT ${columns} FROM monitors ORDER BY owner, id LIMIT ?`).bind(limit);
  }
  return db
    .prepare(
      `SELECT ${columns} FROM monitors WHERE owner > ? OR (owner = ? AND id > ?) ORDER BY owner, id LIMIT ?`,
    )
    .bind(after.owner, after.owner, after.id, limit);
}

/**
 * Every owner's monitors after position `after` (owner, id order), at most `limit`, without their
 * inputs: the listing of `GET /monitors?all=true` (`monitors:admin`), page by page.
 * @example
 * const page = await listAllMonitors(db, undefined, 200);
 */
export async function listAllMonitors(
  db: D1Database,
  after: { owner: string; id: string } | undefined,
  limit: number,
): Promise<MonitorListing[]> {
  const statement = pageAfter(db, LISTING_COLUMNS, after, limit);
  const { results } = await statement.all<ListingRow>();
  return results.map(toListing);
}

/**
 * How many monitors the owner has.
 * @example
 * if ((await countMonitors(db, "alice")) >= 200) refuse();
 */
export async function countMonitors(db: D1Database, owner: string): Promise<number> {
  const row = await db
    .prepare("SELECT COUNT(*) AS n FROM monitors WHERE owner = ?")
    .bind(owner)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/**
 * A monitor's key, schedule and last change: what the Cron Trigger reads of every monitor (a fire
 * time before the last change was not the monitor's as it stands, so it is never caught up).
 */
export type MonitorSchedule = Pick<MonitorRecord, "owner" | "id" | "schedule" | "updatedAt">;

/**
 * Every owner's monitors after position `after` (owner, id order), at most `limit`, without their
 * inputs (which may be large): the Cron Trigger walks them page by page.
 * @example
 * const page = await scanSchedules(db, undefined, 100);
 */
export async function scanSchedules(
  db: D1Database,
  after: { owner: string; id: string } | undefined,
  limit: number,
): Promise<MonitorSchedule[]> {
  const statement = pageAfter(db, "owner, id, schedule, updated_at AS updatedAt", after, limit);
  const { results } = await statement.all<MonitorSchedule>();
  return results;
}

/**
 * Deletes the owner's monitor `id` and its slots, so a new monitor of that id starts with no
 * history (the runs stay in `runs`, the alert deliveries stay as a record); false when there was none.
 * @example
 * await deleteMonitor(db, "alice", "nightly");
 */
export async function deleteMonitor(db: D1Database, owner: string, id: string): Promise<boolean> {
  const [outcome] = await db.batch([
    db.prepare("DELETE FROM monitors WHERE owner = ? AND id = ?").bind(owner, id),
    db.prepare("DELETE FROM monitor_slots WHERE owner = ? AND monitor_id = ?").bind(owner, id),
  ]);
  return (outcome?.meta.changes ?? 0) > 0;
}
