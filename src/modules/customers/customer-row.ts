import type { Customer, WritableCustomer } from './schemas';

/** The customers table's own columns, as knex returns them. */
export interface CustomerColumns {
  id: string;
  external_id: string | null;
  kind: string;
  category: string;
  name: string;
  sort_name: string;
  given_name: string | null;
  family_name: string | null;
  emails: Customer['emails'];
  phones: Customer['phones'];
  addresses: Customer['addresses'];
  birthday: string | Date | null;
  birthday_calendar: string;
  lunar_birthday_month: number | null;
  lunar_birthday_day: number | null;
  lunar_birthday_leap: boolean | null;
  preferences: string[];
  hobbies: string[];
  habits: string | null;
  notes: string | null;
  via_channel_id: string | null;
  interests: string[];
  region: string | null;
  owner: string | null;
  stars_override: number | null;
  stars_override_reason: string | null;
  stars_override_by: string | null;
  stars_override_at: Date | null;
  value_orientation: string | null;
  custom_fields: Record<string, string | number | boolean | null>;
  tags: string[];
  search_text: string;
  version: number;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

/** The current analytics run's figures, joined on from customer_values; all null when it did not value the customer. */
export interface CustomerValueColumns {
  value_class: string | null;
  rfm_segment: string | null;
  rfm_code: string | null;
  clv: number | null;
  p_alive: number | null;
  value_run_id: string | null;
}

/**
 * Where the customer stands now, joined on from customer_lifecycle (docs/lifecycle.md): no row
 * reads as stage `selection` and no churn status (never bought), lifecycle_version 0.
 */
export interface CustomerLifecycleColumns {
  churn_status: string | null;
  churn_since: Date | null;
  churn_reason: string | null;
  churn_cause: string | null;
  lifecycle_stage: string;
  lifecycle_version: number;
}

/**
 * A customer as the repository reads it: its columns, where it stands and its current figures.
 * `stars` is the manual override, else the current run's stars (null when neither).
 */
export interface CustomerRow extends CustomerColumns, CustomerLifecycleColumns, CustomerValueColumns {
  stars: number | null;
}

const iso = (value: Date | string | null): string | null =>
  value === null ? null : new Date(value).toISOString();

/**
 * DATE as `YYYY-MM-DD`. pg hands it over as text (create-database.ts sets the parser), but
 * PGlite parses it into a Date at UTC midnight; without this the embedded database would
 * answer a timestamp and every upsert would see the birthday as changed.
 */
const dateOnly = (value: Date | string | null): string | null =>
  value === null ? null : value instanceof Date ? value.toISOString().slice(0, 10) : value;

/** What a customer without a customer_lifecycle row shows: never bought, stage selection. */
export const NO_LIFECYCLE: CustomerLifecycleColumns = {
  churn_status: null,
  churn_since: null,
  churn_reason: null,
  churn_cause: null,
  lifecycle_stage: 'selection',
  lifecycle_version: 0,
};

/** The churn object: all null while the customer has no churn status. */
function churnOf(row: CustomerLifecycleColumns): Customer['churn'] {
  if (row.churn_status === null) {
    return { status: null, since: null, reason: null, cause: null, attribution: null };
  }
  return {
    status: row.churn_status as NonNullable<Customer['churnStatus']>,
    since: iso(row.churn_since),
    reason: row.churn_reason,
    cause: row.churn_cause as Customer['churn']['cause'],
    // A win-back will be attributed to a campaign, follow-up or interaction; none is yet.
    attribution: null,
  };
}

/** The lunar birthday columns as the API's object; null unless month and day are both set. */
function lunarBirthdayOf(row: CustomerColumns): Customer['lunarBirthday'] {
  if (row.lunar_birthday_month === null || row.lunar_birthday_day === null) return null;
  return {
    month: Number(row.lunar_birthday_month),
    day: Number(row.lunar_birthday_day),
    leapMonth: row.lunar_birthday_leap === true,
  };
}

export function toCustomer(row: CustomerRow): Customer {
  return {
    id: row.id,
    externalId: row.external_id,
    kind: row.kind as Customer['kind'],
    category: row.category as Customer['category'],
    name: row.name,
    givenName: row.given_name,
    familyName: row.family_name,
    emails: row.emails,
    phones: row.phones,
    addresses: row.addresses,
    birthday: dateOnly(row.birthday),
    birthdayCalendar: row.birthday_calendar as Customer['birthdayCalendar'],
    lunarBirthday: lunarBirthdayOf(row),
    preferences: row.preferences,
    hobbies: row.hobbies,
    habits: row.habits,
    notes: row.notes,
    direct: row.via_channel_id === null,
    viaChannelId: row.via_channel_id,
    interests: row.interests,
    region: row.region,
    owner: row.owner,
    stars: row.stars,
    starsOverride:
      row.stars_override === null
        ? null
        : {
            stars: row.stars_override,
            reason: row.stars_override_reason ?? '',
            by: row.stars_override_by ?? '',
            at: iso(row.stars_override_at) ?? '',
          },
    lifecycleStage: row.lifecycle_stage as Customer['lifecycleStage'],
    churnStatus: row.churn_status as Customer['churnStatus'],
    churn: churnOf(row),
    valueOrientation: row.value_orientation,
    customFields: row.custom_fields,
    tags: row.tags,
    version: row.version,
    createdAt: iso(row.created_at) ?? '',
    updatedAt: iso(row.updated_at) ?? '',
    deletedAt: iso(row.deleted_at),
    value: !row.value_run_id
      ? null
      : {
          valueClass: row.value_class ?? 'new',
          rfmSegment: row.rfm_segment ?? '',
          rfmCode: row.rfm_code ?? '',
          clv: Number(row.clv),
          pAlive: row.p_alive === null ? null : Number(row.p_alive),
          runId: row.value_run_id,
        },
  };
}

/** The writable state of a customer, the shape changes are compared and audited in. */
export type CustomerState = Omit<WritableCustomer, 'starsOverride'> & {
  starsOverride: { stars: number; reason: string } | null;
};

export function stateOf(row: CustomerRow): CustomerState {
  return {
    externalId: row.external_id,
    kind: row.kind as CustomerState['kind'],
    category: row.category as CustomerState['category'],
    name: row.name,
    givenName: row.given_name,
    familyName: row.family_name,
    emails: row.emails,
    phones: row.phones,
    addresses: row.addresses,
    birthday: dateOnly(row.birthday),
    birthdayCalendar: row.birthday_calendar as CustomerState['birthdayCalendar'],
    lunarBirthday: lunarBirthdayOf(row),
    preferences: row.preferences,
    hobbies: row.hobbies,
    habits: row.habits,
    notes: row.notes,
    viaChannelId: row.via_channel_id,
    interests: row.interests as CustomerState['interests'],
    region: row.region,
    owner: row.owner,
    lifecycleStage: row.lifecycle_stage as CustomerState['lifecycleStage'],
    valueOrientation: row.value_orientation as CustomerState['valueOrientation'],
    starsOverride:
      row.stars_override === null
        ? null
        : { stars: row.stars_override, reason: row.stars_override_reason ?? '' },
    customFields: row.custom_fields,
    tags: row.tags,
  };
}

export const DEFAULT_STATE: Omit<CustomerState, 'name'> = {
  externalId: null,
  kind: 'person',
  category: 'consumer',
  givenName: null,
  familyName: null,
  emails: [],
  phones: [],
  addresses: [],
  birthdayCalendar: 'gregorian',
  lunarBirthday: null,
  birthday: null,
  preferences: [],
  hobbies: [],
  habits: null,
  notes: null,
  viaChannelId: null,
  interests: [],
  region: null,
  owner: null,
  lifecycleStage: 'selection',
  valueOrientation: null,
  starsOverride: null,
  customFields: {},
  tags: [],
};

/** Lower-cased text the search reads: names, email addresses, phone numbers, addresses and notes. */
export function searchTextOf(state: CustomerState): string {
  return [
    state.name,
    state.givenName ?? '',
    state.familyName ?? '',
    ...state.emails.map((e) => e.address),
    ...state.phones.map((p) => p.number),
    ...state.phones.map((p) => p.number.replace(/[^0-9+]/g, '')),
    ...state.addresses.map((a) =>
      [a.line1, a.line2, a.city, a.region, a.postalCode].filter(Boolean).join(' '),
    ),
    state.notes ?? '',
  ]
    .join(' ')
    .toLowerCase();
}

/**
 * Columns for a state. The stage is not among them: it lives in customer_lifecycle, where a
 * write that changes it records a lifecycle event (customer-writer.ts). Only the stars
 * override is written; the stars shown follow it, else the current run.
 */
export function columnsOf(state: CustomerState) {
  return {
    external_id: state.externalId,
    kind: state.kind,
    category: state.category,
    name: state.name,
    sort_name: state.name.toLowerCase(),
    given_name: state.givenName,
    family_name: state.familyName,
    emails: JSON.stringify(state.emails),
    phones: JSON.stringify(state.phones),
    addresses: JSON.stringify(state.addresses),
    birthday: state.birthday,
    birthday_calendar: state.birthdayCalendar,
    lunar_birthday_month: state.lunarBirthday?.month ?? null,
    lunar_birthday_day: state.lunarBirthday?.day ?? null,
    lunar_birthday_leap: state.lunarBirthday?.leapMonth ?? null,
    preferences: JSON.stringify(state.preferences),
    hobbies: JSON.stringify(state.hobbies),
    habits: state.habits,
    notes: state.notes,
    via_channel_id: state.viaChannelId,
    interests: state.interests,
    region: state.region,
    owner: state.owner,
    stars_override: state.starsOverride?.stars ?? null,
    stars_override_reason: state.starsOverride?.reason ?? null,
    value_orientation: state.valueOrientation,
    custom_fields: JSON.stringify(state.customFields),
    tags: state.tags,
    search_text: searchTextOf(state),
  };
}
