/**
 * Classic PM properties and listings (certn-api.md §3.3): `/api/v2/properties/` and
 * `/api/v2/listings/`, list, create, detail, update (PUT) and delete.
 */
import { fill } from "../../assumptions/label.ts";
import {
  DELETE_PROPERTY_CASCADES,
  DELETE_STATUS,
  LISTING_SHAPE,
  PROPERTY_DEFAULTS,
  PROPERTY_SHAPE,
} from "../../assumptions/partner-resources.ts";
import { json } from "../../http.ts";
import { DRF } from "../../messages.ts";
import { type AuthedContext, type RouteDef, route } from "../../runtime.ts";
import type { JsonObject, RentalRecord } from "../../state.ts";
import {
  bool,
  type Checked,
  type FieldSpec,
  list,
  object,
  optional,
  str,
  uuid,
  type Validator,
} from "../../validate.ts";
import { notFound, paginated, parseBody } from "./respond.ts";

/** DRF's DecimalField with two places: a number or a numeric string, sent back as `"1000.00"` (§1.6). */
const money: Validator<string> = (value): Checked<string> => {
  const n = typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isFinite(n) || n < 0)
    return { ok: false, error: [DRF.invalidDecimal] };
  return { ok: true, value: n.toFixed(2) };
};

/** An object shape whose `required` names come from the labelled assumption. */
function shape(
  fields: Record<string, FieldSpec>,
  required: readonly string[],
): Validator<Record<string, unknown>> {
  const specs = { ...fields };
  for (const name of required) {
    const spec = specs[name];
    if (spec !== undefined) specs[name] = { ...spec, required: true };
  }
  return object(specs);
}

const propertyShape = shape(
  {
    address: optional(str(), false),
    city: optional(str(), false),
    province_state: optional(str(), false),
    owner_id: optional(uuid(), false),
    country: optional(str(), false),
    postal_code: optional(str({ allowBlank: true })),
    is_active: optional(bool(), false),
  },
  PROPERTY_SHAPE.value.required,
);

const listingShape = shape(
  {
    rent: optional(money, false),
    owner_id: optional(uuid(), false),
    property_id: optional(uuid(), false),
    notification_list_ids: optional(list(uuid())),
    is_active: optional(bool(), false),
  },
  LISTING_SHAPE.value.required,
);

function only(all: JsonObject, fields: readonly string[]): JsonObject {
  return Object.fromEntries(fields.map((key) => [key, all[key]]));
}

function owner(ctx: AuthedContext, id: string): JsonObject {
  return { id, email: ctx.rt.state.users.get(id)?.email ?? null };
}

function propertyView(ctx: AuthedContext, rec: RentalRecord): JsonObject {
  const f = rec.fields;
  const listings = [...ctx.rt.state.listings.values()].filter((l) => l.fields.property_id === rec.id);
  return only(
    {
      ...f,
      id: rec.id,
      owner: owner(ctx, rec.ownerId),
      listing_count: listings.length,
      full_address: fill(PROPERTY_DEFAULTS.value.fullAddress, {
        address: String(f.address),
        city: String(f.city),
        province_state: String(f.province_state),
        country: String(f.country),
      }),
    },
    PROPERTY_SHAPE.value.fields,
  );
}

function listingView(ctx: AuthedContext, rec: RentalRecord): JsonObject {
  const property = ctx.rt.state.properties.get(String(rec.fields.property_id));
  return only(
    {
      ...rec.fields,
      id: rec.id,
      property: property === undefined ? null : propertyView(ctx, property),
      owner: owner(ctx, rec.ownerId),
      applicant_count: 0,
    },
    LISTING_SHAPE.value.fields,
  );
}

/** `owner_id` (and `property_id`) must name existing objects, as DRF's PrimaryKeyRelatedField checks. */
function missingRefs(ctx: AuthedContext, v: Record<string, unknown>): Response | undefined {
  const errors: Record<string, string[]> = {};
  if (!ctx.rt.state.users.has(String(v.owner_id))) errors.owner_id = [DRF.pkDoesNotExist(String(v.owner_id))];
  if (v.property_id !== undefined && !ctx.rt.state.properties.has(String(v.property_id))) {
    errors.property_id = [DRF.pkDoesNotExist(String(v.property_id))];
  }
  return Object.keys(errors).length > 0 ? json(errors, 400) : undefined;
}

async function saveProperty(ctx: AuthedContext, existing: RentalRecord | undefined): Promise<Response> {
  const parsed = await parseBody(ctx, propertyShape);
  if (!parsed.ok) return parsed.response;
  const v = parsed.value;
  const refused = missingRefs(ctx, v);
  if (refused) return refused;
  const { owner_id, ...fields } = v;
  const defaults = PROPERTY_DEFAULTS.value;
  const rec: RentalRecord = existing ?? {
    id: ctx.rt.rng.uuid(),
    ownerId: String(owner_id),
    createdAt: ctx.now,
    fields: {
      status: defaults.status,
      country: defaults.country,
      postal_code: "",
      is_active: true,
      url_code: ctx.rt.rng.string(defaults.urlCodeLength, "abcdefghijklmnopqrstuvwxyz0123456789"),
    },
  };
  rec.ownerId = String(owner_id);
  rec.fields = { ...rec.fields, ...fields };
  ctx.rt.state.properties.set(rec.id, rec);
  return json(propertyView(ctx, rec), existing === undefined ? 201 : 200);
}

async function saveListing(ctx: AuthedContext, existing: RentalRecord | undefined): Promise<Response> {
  const parsed = await parseBody(ctx, listingShape);
  if (!parsed.ok) return parsed.response;
  const v = parsed.value;
  const refused = missingRefs(ctx, v);
  if (refused) return refused;
  const { owner_id, ...fields } = v;
  const rec: RentalRecord = existing ?? {
    id: ctx.rt.rng.uuid(),
    ownerId: String(owner_id),
    createdAt: ctx.now,
    fields: { is_active: true, notification_list_ids: [] },
  };
  rec.ownerId = String(owner_id);
  rec.fields = { ...rec.fields, ...fields };
  ctx.rt.state.listings.set(rec.id, rec);
  return json(listingView(ctx, rec), existing === undefined ? 201 : 200);
}

function removeProperty(ctx: AuthedContext): Response {
  const id = (ctx.params.id ?? "").toLowerCase();
  if (!ctx.rt.state.properties.delete(id)) return notFound();
  if (DELETE_PROPERTY_CASCADES.value) {
    for (const l of [...ctx.rt.state.listings.values()]) {
      if (l.fields.property_id === id) ctx.rt.state.listings.delete(l.id);
    }
  }
  return new Response(null, { status: DELETE_STATUS.value });
}

function removeListing(ctx: AuthedContext): Response {
  const deleted = ctx.rt.state.listings.delete((ctx.params.id ?? "").toLowerCase());
  return deleted ? new Response(null, { status: DELETE_STATUS.value }) : notFound();
}

function find(map: ReadonlyMap<string, RentalRecord>, ctx: AuthedContext): RentalRecord | undefined {
  return map.get((ctx.params.id ?? "").toLowerCase());
}

/** The property and listing routes (gen A/B1 paths: static key, session token or OAuth token). */
export const rentalRoutes: RouteDef[] = [
  route.partner("GET", "/api/v2/properties/", (ctx) =>
    paginated(ctx, [...ctx.rt.state.properties.values()], (p) => propertyView(ctx, p)),
  ),
  route.partner("POST", "/api/v2/properties/", (ctx) => saveProperty(ctx, undefined)),
  route.partner("GET", "/api/v2/properties/:id/", (ctx) => {
    const rec = find(ctx.rt.state.properties, ctx);
    return rec ? json(propertyView(ctx, rec)) : notFound();
  }),
  route.partner("PUT", "/api/v2/properties/:id/", (ctx) => {
    const rec = find(ctx.rt.state.properties, ctx);
    return rec ? saveProperty(ctx, rec) : notFound();
  }),
  route.partner("DELETE", "/api/v2/properties/:id/", removeProperty),
  route.partner("GET", "/api/v2/listings/", (ctx) =>
    paginated(ctx, [...ctx.rt.state.listings.values()], (l) => listingView(ctx, l)),
  ),
  route.partner("POST", "/api/v2/listings/", (ctx) => saveListing(ctx, undefined)),
  route.partner("GET", "/api/v2/listings/:id/", (ctx) => {
    const rec = find(ctx.rt.state.listings, ctx);
    return rec ? json(listingView(ctx, rec)) : notFound();
  }),
  route.partner("PUT", "/api/v2/listings/:id/", (ctx) => {
    const rec = find(ctx.rt.state.listings, ctx);
    return rec ? saveListing(ctx, rec) : notFound();
  }),
  route.partner("DELETE", "/api/v2/listings/:id/", removeListing),
];
