/**
 * General resources (certn-api.md §3.1) and the classic PM properties and listings (§3.3).
 */
import { assume, certn } from "./label.ts";

/** Superteam countries (certn-api.md §3.1, §5.1). */
export const SUPERTEAM_COUNTRIES = assume(
  ["CA", "US", "GB", "AU"] as readonly string[],
  certn("DOC", "3.1, 5.1", 'province_state "OT" then needs other_province_state.'),
);

/** `POST /api/v1/superteams/` answers 201 and accepts `is_report_id_enabled` (certn-api.md §3.1). */
export const SUPERTEAM_CREATE = assume(
  { status: 201, optionalFields: ["is_report_id_enabled", "other_province_state"] },
  certn("INF", "3.1", "201 is inferred; is_report_id_enabled is 'probably' accepted (it is in the detail)."),
);

/** Team fields a create needs: not captured (certn-api.md §3.1). */
export const TEAM_REQUIRED_FIELDS = assume(
  ["name"] as readonly string[],
  certn(
    "SIM",
    "3.1",
    '"exact required list not captured": name, and a superteam (superteam or superteam_id, default the first).',
  ),
);

/** User fields of `GET /api/v1/users/` beyond `id` (certn-api.md §3.1 shows only `id`). */
export const USER_FIELDS = assume(
  ["id", "email", "first_name", "last_name", "is_active", "created", "team"] as readonly string[],
  certn("SIM", "3.1", "Only id is documented (it goes into owner_id)."),
);

/** `GET /api/v1/packages/` (certn-api.md §3.1). */
export const PACKAGES_PATH = assume(
  "/api/v1/packages/",
  certn(
    "2ND",
    "3.1",
    "List/create paths were not captured; a catalogue says /api/v1/packages/. Items are the simulator's.",
  ),
);

/** Properties (certn-api.md §3.3): path, required create fields and the object's fields. */
export const PROPERTY_SHAPE = assume(
  {
    required: ["address", "city", "province_state", "owner_id"],
    fields: [
      "id",
      "status",
      "address",
      "city",
      "province_state",
      "country",
      "postal_code",
      "is_active",
      "owner",
      "listing_count",
      "full_address",
      "url_code",
    ],
  },
  certn("CODE", "3.3", "/api/v2/properties/ and {id}/ (GET, PUT, DELETE), as the bungalow client uses them."),
);

/** A property's `status`, `country` default, `full_address` and `url_code`: values not captured. */
export const PROPERTY_DEFAULTS = assume(
  {
    status: "ACTIVE",
    country: "CA",
    urlCodeLength: 8,
    fullAddress: "{address}, {city}, {province_state}, {country}",
  },
  certn("SIM", "3.3", "The fields are seen; their values are the simulator's."),
);

/** Listings (certn-api.md §3.3): path, required create fields and the object's fields. */
export const LISTING_SHAPE = assume(
  {
    required: ["rent", "owner_id", "property_id"],
    fields: ["id", "rent", "property", "owner", "is_active", "applicant_count"],
  },
  certn(
    "CODE",
    "1.4, 1.6, 3.3",
    '/api/v2/listings/ and {id}/; rent is a decimal string ("1000.00"); notification_list_ids is optional.',
  ),
);

/** Deleting a property or listing answers 204 (as DELETE of applicants, certn-api.md §3.3). */
export const DELETE_STATUS = assume(
  204,
  certn("INF", "1.6, 3.3", "DRF's destroy; the table gives no status."),
);

/** Deleting a property deletes its listings. */
export const DELETE_PROPERTY_CASCADES = assume(
  true,
  certn("SIM", "3.3", "A listing belongs to a property; what happens to it is not documented."),
);
