import type { FieldError } from './http-errors';

/** What the OpenAPI document shows for one problem code: a realistic answer of that kind. */
export interface ProblemExample {
  status: number;
  title: string;
  detail: string;
  /** The path of the request the example answers (the `instance` before the request id). */
  path: string;
  errors?: FieldError[];
  /** The targets an illegal transition could have moved to (`illegal_transition`). */
  allowed?: string[];
}

const CUSTOMER = '0192f3c4-5a1b-7c2d-8e3f-4a5b6c7d8e9f';
const ORDER = '0192f3c5-1e2d-7a4b-9c3d-2b1a0f9e8d7c';

const unprocessable = 'Unprocessable request';
const conflict = 'Conflict';
const notFound = 'Not found';
const badRequest = 'Bad request';
const unavailable = 'Service unavailable';

/**
 * One example per problem code the API answers (docs/api.md "Errors"), keyed by code; a code
 * answered with two statuses (a missing customer is 404 on a read and 422 in an order) has a
 * second entry keyed `<status>:<code>`. The document builds each error response's examples
 * from here, so every example carries its own status and code.
 */
export const PROBLEM_EXAMPLES: Record<string, ProblemExample> = {
  validation_failed: {
    status: 400,
    title: 'Request validation failed',
    detail: 'body/name must NOT have fewer than 1 characters',
    path: '/v1/customers',
    errors: [{ path: 'body/name', message: 'must NOT have fewer than 1 characters' }],
  },
  malformed_json: {
    status: 400,
    title: 'Malformed JSON',
    detail: 'The request body is not valid JSON.',
    path: '/v1/customers',
  },
  empty_body: {
    status: 400,
    title: 'Empty body',
    detail: 'A JSON body is required with Content-Type: application/json.',
    path: '/v1/orders',
  },
  malformed_url: {
    status: 400,
    title: 'Malformed URL',
    detail: 'The path has bad percent-encoding or is not valid UTF-8.',
    path: '/v1/customers/%E0%A4%A',
  },
  request_timeout: {
    status: 408,
    title: 'Request timeout',
    detail: 'The request did not arrive in time.',
    path: '/v1/orders/batch',
  },
  date_in_future: {
    status: 422,
    title: 'Date in the future',
    detail: 'body/orderedAt lies more than 1 day ahead of the server clock',
    path: '/v1/orders',
    errors: [
      {
        path: 'body/orderedAt',
        message: 'lies more than 1 day ahead of the server clock',
        code: 'date_in_future',
      },
    ],
  },
  invalid_cursor: {
    status: 400,
    title: badRequest,
    detail: 'The cursor belongs to another sort order; keep `sort` unchanged while paging.',
    path: '/v1/customers',
  },
  invalid_idempotency_key: {
    status: 400,
    title: badRequest,
    detail: 'Idempotency-Key must be 1 to 255 visible ASCII characters.',
    path: '/v1/orders',
  },
  invalid_value: {
    status: 400,
    title: badRequest,
    detail: 'A value is out of range or of the wrong form.',
    path: '/v1/orders',
  },
  invalid_content_length: {
    status: 400,
    title: badRequest,
    detail: 'Content-Length does not match the body.',
    path: '/v1/customers',
  },
  duplicate_in_batch: {
    status: 400,
    title: badRequest,
    detail: 'body/items/7/externalId repeats the externalId of row 2',
    path: '/v1/customers/batch',
    errors: [
      {
        path: 'body/items/7/externalId',
        message: 'repeats the externalId of row 2',
        index: 7,
        code: 'duplicate_in_batch',
      },
    ],
  },
  external_id_mismatch: {
    status: 400,
    title: badRequest,
    detail: 'The body names another externalId than the path.',
    path: '/v1/customers/external/ERP-10042',
  },
  invalid_range: {
    status: 400,
    title: badRequest,
    detail: '`from` must not be after `to`.',
    path: '/v1/analytics/churn',
  },
  campaign_not_found: {
    status: 404,
    title: notFound,
    detail: 'No campaign has id 0193b7c0-1a2b-7c3d-8e4f-5a6b7c8d9e01.',
    path: '/v1/campaigns/0193b7c0-1a2b-7c3d-8e4f-5a6b7c8d9e01',
  },
  campaign_already_launched: {
    status: 409,
    title: conflict,
    detail:
      'Campaign 0193b7c0-1a2b-7c3d-8e4f-5a6b7c8d9e01 was launched at 2026-12-01T09:00:00.000Z; it cannot be launched again.',
    path: '/v1/campaigns/0193b7c0-1a2b-7c3d-8e4f-5a6b7c8d9e01/launch',
  },
  campaign_not_launched: {
    status: 409,
    title: conflict,
    detail:
      'Campaign 0193b7c0-1a2b-7c3d-8e4f-5a6b7c8d9e01 is a draft: it has no recipients, touches or results before its launch.',
    path: '/v1/campaigns/0193b7c0-1a2b-7c3d-8e4f-5a6b7c8d9e01/touches/batch',
  },
  not_a_recipient: {
    status: 422,
    title: unprocessable,
    detail: `body/items/0/customerId customer ${CUSTOMER} is not a recipient of campaign 0193b7c0-1a2b-7c3d-8e4f-5a6b7c8d9e01`,
    path: '/v1/campaigns/0193b7c0-1a2b-7c3d-8e4f-5a6b7c8d9e01/touches/batch',
    errors: [
      {
        path: 'body/items/0/customerId',
        index: 0,
        message: `customer ${CUSTOMER} is not a recipient of campaign 0193b7c0-1a2b-7c3d-8e4f-5a6b7c8d9e01`,
        code: 'not_a_recipient',
      },
    ],
  },
  '422:segment_not_found': {
    status: 422,
    title: unprocessable,
    detail: 'No segment has id 0193b7a0-1a2b-7c3d-8e4f-5a6b7c8d9e02.',
    path: '/v1/campaigns',
    errors: [
      {
        path: 'body/segmentId',
        message: 'no segment has id 0193b7a0-1a2b-7c3d-8e4f-5a6b7c8d9e02',
        code: 'segment_not_found',
      },
    ],
  },
  unauthorized: {
    status: 401,
    title: 'Unauthorized',
    detail: 'A valid API key is required: send Authorization: Bearer <key>.',
    path: '/v1/customers',
  },
  forbidden: {
    status: 403,
    title: 'Forbidden',
    detail: 'This API key lacks the scope "customers:write".',
    path: '/v1/customers',
  },
  customer_not_found: {
    status: 404,
    title: notFound,
    detail: `No customer has id ${CUSTOMER}.`,
    path: `/v1/customers/${CUSTOMER}`,
  },
  contact_not_found: {
    status: 404,
    title: notFound,
    detail: 'No contact 0192f3c6-7b8a-7d9e-8f0a-1b2c3d4e5f60 belongs to this customer.',
    path: `/v1/customers/${CUSTOMER}/contacts/0192f3c6-7b8a-7d9e-8f0a-1b2c3d4e5f60`,
  },
  relationship_not_found: {
    status: 404,
    title: notFound,
    detail: 'No relationship 0192f3c7-2c3d-7e4f-8a5b-6c7d8e9f0a1b involves this customer.',
    path: `/v1/customers/${CUSTOMER}/relationships/0192f3c7-2c3d-7e4f-8a5b-6c7d8e9f0a1b`,
  },
  product_not_found: {
    status: 404,
    title: notFound,
    detail: 'No product has sku TEA-LJ-250.',
    path: '/v1/products/sku/TEA-LJ-250',
  },
  order_not_found: {
    status: 404,
    title: notFound,
    detail: `No order has id ${ORDER}.`,
    path: `/v1/orders/${ORDER}`,
  },
  interaction_not_found: {
    status: 404,
    title: notFound,
    detail: 'No interaction has id 0192f3d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f.',
    path: '/v1/interactions/0192f3d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f',
  },
  follow_up_not_found: {
    status: 404,
    title: notFound,
    detail: 'No follow-up has id 0192f3d1-2b3c-7d4e-8f5a-6b7c8d9e0f1a.',
    path: '/v1/follow-ups/0192f3d1-2b3c-7d4e-8f5a-6b7c8d9e0f1a',
  },
  follow_up_completed: {
    status: 409,
    title: conflict,
    detail:
      'Follow-up 0192f3d1-2b3c-7d4e-8f5a-6b7c8d9e0f1a was completed at 2026-11-23T10:00:00.000Z; it cannot be completed again.',
    path: '/v1/follow-ups/0192f3d1-2b3c-7d4e-8f5a-6b7c8d9e0f1a/complete',
  },
  contact_not_of_customer: {
    status: 422,
    title: unprocessable,
    detail: `body/contactId contact 0192f3c6-7b8a-7d9e-8f0a-1b2c3d4e5f60 is not a contact person of customer ${CUSTOMER}`,
    path: '/v1/interactions',
    errors: [
      {
        path: 'body/contactId',
        message: `contact 0192f3c6-7b8a-7d9e-8f0a-1b2c3d4e5f60 is not a contact person of customer ${CUSTOMER}`,
        code: 'contact_not_of_customer',
      },
    ],
  },
  survey_response_not_found: {
    status: 404,
    title: notFound,
    detail: 'No survey response has id 0192f3e0-4c5d-7e6f-8a7b-9c0d1e2f3a4b.',
    path: '/v1/survey-responses/0192f3e0-4c5d-7e6f-8a7b-9c0d1e2f3a4b',
  },
  opportunity_not_found: {
    status: 404,
    title: notFound,
    detail: 'No opportunity has id 0192f3e1-5d6e-7f8a-9b0c-1d2e3f4a5b6c.',
    path: '/v1/opportunities/0192f3e1-5d6e-7f8a-9b0c-1d2e3f4a5b6c',
  },
  opportunity_closed: {
    status: 409,
    title: conflict,
    detail: 'Opportunity 0192f3e1-5d6e-7f8a-9b0c-1d2e3f4a5b6c is won, a closed stage; it cannot move.',
    path: '/v1/opportunities/0192f3e1-5d6e-7f8a-9b0c-1d2e3f4a5b6c/transitions',
  },
  lost_reason_required: {
    status: 422,
    title: unprocessable,
    detail: 'body/lostReason is required to move an opportunity to lost',
    path: '/v1/opportunities/0192f3e1-5d6e-7f8a-9b0c-1d2e3f4a5b6c/transitions',
    errors: [
      {
        path: 'body/lostReason',
        message: 'is required to move an opportunity to lost',
        code: 'lost_reason_required',
      },
    ],
  },
  segment_not_found: {
    status: 404,
    title: notFound,
    detail: 'No segment has id 0192f401-1a2b-7c3d-8e4f-5a6b7c8d9e0f.',
    path: '/v1/segments/0192f401-1a2b-7c3d-8e4f-5a6b7c8d9e0f',
  },
  segment_member_not_found: {
    status: 404,
    title: notFound,
    detail: `Customer ${CUSTOMER} is not a member of segment 0192f401-1a2b-7c3d-8e4f-5a6b7c8d9e0f.`,
    path: `/v1/segments/0192f401-1a2b-7c3d-8e4f-5a6b7c8d9e0f/members/${CUSTOMER}`,
  },
  unknown_segment_filter: {
    status: 422,
    title: unprocessable,
    detail:
      'valueTier is not a filter of GET /v1/customers; a segment filter takes its parameters except limit, cursor, sort and includeDeleted.',
    path: '/v1/segments',
    errors: [
      {
        path: 'body/filter/valueTier',
        message: 'is not a customer-list filter',
        code: 'unknown_segment_filter',
      },
    ],
  },
  invalid_segment_filter: {
    status: 422,
    title: unprocessable,
    detail: 'body/filter/valueClass must be equal to one of the allowed values',
    path: '/v1/segments',
    errors: [
      {
        path: 'body/filter/valueClass',
        message: 'must be equal to one of the allowed values',
        code: 'invalid_segment_filter',
      },
    ],
  },
  segment_not_static: {
    status: 409,
    title: conflict,
    detail:
      'Segment 0192f401-1a2b-7c3d-8e4f-5a6b7c8d9e0f is dynamic: its members follow its filter and are not added or removed by hand.',
    path: '/v1/segments/0192f401-1a2b-7c3d-8e4f-5a6b7c8d9e0f/members',
  },
  segment_not_dynamic: {
    status: 409,
    title: conflict,
    detail: 'Segment 0192f401-1a2b-7c3d-8e4f-5a6b7c8d9e0f is static: it has no filter to refresh from.',
    path: '/v1/segments/0192f401-1a2b-7c3d-8e4f-5a6b7c8d9e0f/refresh',
  },
  service_record_not_found: {
    status: 404,
    title: notFound,
    detail: 'No service record has id 0192f3f0-1a2b-7c3d-8e4f-5a6b7c8d9e0f.',
    path: '/v1/service-records/0192f3f0-1a2b-7c3d-8e4f-5a6b7c8d9e0f',
  },
  service_level_not_found: {
    status: 404,
    title: notFound,
    detail: 'No service level has id 0192f3f1-2b3c-7d4e-8f5a-6b7c8d9e0f1a.',
    path: '/v1/service-levels/0192f3f1-2b3c-7d4e-8f5a-6b7c8d9e0f1a',
  },
  complaint_not_found: {
    status: 404,
    title: notFound,
    detail: 'No complaint has id 0192f3f2-3c4d-7e5f-8a6b-7c8d9e0f1a2b.',
    path: '/v1/complaints/0192f3f2-3c4d-7e5f-8a6b-7c8d9e0f1a2b',
  },
  complaint_category_not_found: {
    status: 404,
    title: notFound,
    detail: 'No complaint category has id 0192f3f3-4d5e-7f6a-8b7c-8d9e0f1a2b3c.',
    path: '/v1/complaint-categories/0192f3f3-4d5e-7f6a-8b7c-8d9e0f1a2b3c',
  },
  '422:complaint_category_not_found': {
    status: 422,
    title: unprocessable,
    detail: 'body/categoryId no complaint category has id 0192f3f3-4d5e-7f6a-8b7c-8d9e0f1a2b3c',
    path: '/v1/complaints',
    errors: [
      {
        path: 'body/categoryId',
        message: 'no complaint category has id 0192f3f3-4d5e-7f6a-8b7c-8d9e0f1a2b3c',
        code: 'complaint_category_not_found',
      },
    ],
  },
  '422:service_record_not_found': {
    status: 422,
    title: unprocessable,
    detail: `body/serviceRecordId customer ${CUSTOMER} has no service record 0192f3f0-1a2b-7c3d-8e4f-5a6b7c8d9e0f`,
    path: '/v1/complaints',
    errors: [
      {
        path: 'body/serviceRecordId',
        message: `customer ${CUSTOMER} has no service record 0192f3f0-1a2b-7c3d-8e4f-5a6b7c8d9e0f`,
        code: 'service_record_not_found',
      },
    ],
  },
  service_level_exists: {
    status: 409,
    title: conflict,
    detail:
      'A service level for repair at urgent priority exists (0192f3f1-2b3c-7d4e-8f5a-6b7c8d9e0f1a); change it with PATCH /v1/service-levels/0192f3f1-2b3c-7d4e-8f5a-6b7c8d9e0f1a.',
    path: '/v1/service-levels',
  },
  complaint_category_exists: {
    status: 409,
    title: conflict,
    detail: 'Another complaint category is named Late delivery.',
    path: '/v1/complaint-categories',
  },
  complaint_category_in_use: {
    status: 409,
    title: conflict,
    detail: 'Complaint category 0192f3f3-4d5e-7f6a-8b7c-8d9e0f1a2b3c has complaints; it cannot be deleted.',
    path: '/v1/complaint-categories/0192f3f3-4d5e-7f6a-8b7c-8d9e0f1a2b3c',
  },
  illegal_transition: {
    status: 409,
    title: 'Illegal transition',
    detail:
      'Service record 0192f3f0-1a2b-7c3d-8e4f-5a6b7c8d9e0f is closed; it cannot move to waiting. Allowed: open.',
    path: '/v1/service-records/0192f3f0-1a2b-7c3d-8e4f-5a6b7c8d9e0f/transitions',
    allowed: ['open'],
  },
  unknown_placeholder: {
    status: 422,
    title: unprocessable,
    detail: 'body/standardAnswer names {{customer.nmae}}, which is no placeholder',
    path: '/v1/complaint-categories',
    errors: [
      {
        path: 'body/standardAnswer',
        message: 'names {{customer.nmae}}, which is no placeholder',
        code: 'unknown_placeholder',
      },
    ],
  },
  payment_not_found: {
    status: 404,
    title: notFound,
    detail: 'No payment has externalId BANK-2026-11-0087.',
    path: '/v1/payments/external/BANK-2026-11-0087',
  },
  api_key_not_found: {
    status: 404,
    title: notFound,
    detail: 'No API key has id 0192f3c8-4d5e-7f60-8a1b-2c3d4e5f6a7b.',
    path: '/v1/api-keys/0192f3c8-4d5e-7f60-8a1b-2c3d4e5f6a7b',
  },
  analytics_run_not_found: {
    status: 404,
    title: notFound,
    detail: 'No analytics run has id 0192f3c9-8e9f-7a0b-9c1d-2e3f4a5b6c7d.',
    path: '/v1/analytics/runs/0192f3c9-8e9f-7a0b-9c1d-2e3f4a5b6c7d',
  },
  no_analytics_run: {
    status: 404,
    title: notFound,
    detail: 'No analytics run has finished yet; start one with POST /v1/analytics/runs.',
    path: '/v1/analytics/segments',
  },
  chart_not_found: {
    status: 404,
    title: notFound,
    detail:
      'No chart is named funnel; the charts are value-matrix, pareto, cohort-retention, churn, clv-distribution.',
    path: '/v1/analytics/charts/funnel.svg',
  },
  customer_not_valued: {
    status: 404,
    title: notFound,
    detail: `Customer ${CUSTOMER} had no counted purchase on or before 2026-11-23, the asOf of the latest run.`,
    path: `/v1/customers/${CUSTOMER}/value`,
  },
  import_not_found: {
    status: 404,
    title: notFound,
    detail: 'No import job has id 0192f3ca-0a1b-7c2d-8e3f-4a5b6c7d8e9f.',
    path: '/v1/imports/0192f3ca-0a1b-7c2d-8e3f-4a5b6c7d8e9f',
  },
  route_not_found: {
    status: 404,
    title: notFound,
    detail: 'No route GET /v1/customer.',
    path: '/v1/customer',
  },
  conflict: {
    status: 409,
    title: conflict,
    detail: 'A record with the same unique value exists (customers_external_id_unique).',
    path: '/v1/customers',
  },
  idempotency_request_in_flight: {
    status: 409,
    title: conflict,
    detail: 'A request with this Idempotency-Key is still being processed.',
    path: '/v1/orders',
  },
  idempotency_secret_not_replayed: {
    status: 409,
    title: conflict,
    detail:
      'The first request with this Idempotency-Key succeeded (/v1/api-keys/0192f3c8-4d5e-7f60-8a1b-2c3d4e5f6a7b); its secret is shown only once and is not replayed. Revoke that record and create a new one if the secret was lost.',
    path: '/v1/api-keys',
  },
  external_id_taken: {
    status: 409,
    title: conflict,
    detail:
      'A customer with externalId ERP-10042 exists; use PUT /v1/customers/external/{externalId} to upsert.',
    path: '/v1/customers',
  },
  sku_taken: {
    status: 409,
    title: conflict,
    detail: 'A product with sku TEA-LJ-250 exists; use POST /v1/products/batch to upsert.',
    path: '/v1/products',
  },
  customer_not_deleted: {
    status: 409,
    title: conflict,
    detail: `Customer ${CUSTOMER} is not deleted.`,
    path: `/v1/customers/${CUSTOMER}/restore`,
  },
  product_in_use: {
    status: 409,
    title: conflict,
    detail: 'Orders refer to this product; set active to false instead.',
    path: '/v1/products/0192f3cb-3c4d-7e5f-8a6b-7c8d9e0f1a2b',
  },
  relationship_exists: {
    status: 409,
    title: conflict,
    detail: 'This parent-company tie exists already (0192f3c7-2c3d-7e4f-8a5b-6c7d8e9f0a1b).',
    path: `/v1/customers/${CUSTOMER}/relationships`,
  },
  analytics_run_in_progress: {
    status: 409,
    title: conflict,
    detail: 'Another analytics run is queued or running; wait for it to finish.',
    path: '/v1/analytics/runs',
  },
  import_in_progress: {
    status: 409,
    title: conflict,
    detail: 'Job 0192f3ca-0a1b-7c2d-8e3f-4a5b6c7d8e9f is receiving another upload.',
    path: '/v1/imports',
  },
  import_mismatch: {
    status: 409,
    title: conflict,
    detail:
      'Job 0192f3ca-0a1b-7c2d-8e3f-4a5b6c7d8e9f is a partial csv import of orders; resume it with the same resource.',
    path: '/v1/imports',
  },
  precondition_failed: {
    status: 412,
    title: 'Precondition failed',
    detail: 'If-Match "v3" does not match the current version "v4"; read the record again and retry.',
    path: `/v1/customers/${CUSTOMER}`,
  },
  precondition_required: {
    status: 428,
    title: 'Precondition required',
    detail: 'Send If-Match with the ETag you read.',
    path: `/v1/customers/${CUSTOMER}`,
  },
  payload_too_large: {
    status: 413,
    title: 'Payload too large',
    detail: 'The request body exceeds the configured limit.',
    path: '/v1/orders/batch',
  },
  unsupported_media_type: {
    status: 415,
    title: 'Unsupported media type',
    detail: 'Send the body as application/json.',
    path: '/v1/customers',
  },
  idempotency_key_reused: {
    status: 422,
    title: unprocessable,
    detail: 'This Idempotency-Key was used with a different request; use a new key for a new request.',
    path: '/v1/orders',
  },
  missing_reference: {
    status: 422,
    title: unprocessable,
    detail: 'The request refers to a record that does not exist.',
    path: '/v1/orders',
  },
  '422:customer_not_found': {
    status: 422,
    title: unprocessable,
    detail: 'body/customerExternalId no customer has externalId ERP-C-20931',
    path: '/v1/orders',
    errors: [
      {
        path: 'body/customerExternalId',
        message: 'no customer has externalId ERP-C-20931',
        code: 'customer_not_found',
      },
    ],
  },
  '422:product_not_found': {
    status: 422,
    title: unprocessable,
    detail: 'body/lines/1/sku no product has sku TEA-DHP-100',
    path: '/v1/orders',
    errors: [
      { path: 'body/lines/1/sku', message: 'no product has sku TEA-DHP-100', code: 'product_not_found' },
    ],
  },
  '422:order_not_found': {
    status: 422,
    title: unprocessable,
    detail: `body/allocations/0/orderId customer ${CUSTOMER} has no order ${ORDER}`,
    path: '/v1/payments',
    errors: [
      {
        path: 'body/allocations/0/orderId',
        message: `customer ${CUSTOMER} has no order ${ORDER}`,
        code: 'order_not_found',
      },
    ],
  },
  '422:complaint_not_found': {
    status: 422,
    title: unprocessable,
    detail: 'body/complaintId no complaint has id 0192f3d3-4d5e-7f6a-8b7c-8d9e0f1a2b3c',
    path: '/v1/survey-responses',
    errors: [
      {
        path: 'body/complaintId',
        message: 'no complaint has id 0192f3d3-4d5e-7f6a-8b7c-8d9e0f1a2b3c',
        code: 'complaint_not_found',
      },
    ],
  },
  '422:interaction_not_found': {
    status: 422,
    title: unprocessable,
    detail: 'body/interactionId no interaction has id 0192f3d4-5e6f-7a8b-9c0d-9e0f1a2b3c4d',
    path: '/v1/survey-responses',
    errors: [
      {
        path: 'body/interactionId',
        message: 'no interaction has id 0192f3d4-5e6f-7a8b-9c0d-9e0f1a2b3c4d',
        code: 'interaction_not_found',
      },
    ],
  },
  channel_not_found: {
    status: 422,
    title: unprocessable,
    detail: 'body/viaChannelId no live channel customer has id 0192f3cc-6d7e-7f80-9a1b-2c3d4e5f6a7b',
    path: '/v1/customers',
    errors: [
      {
        path: 'body/viaChannelId',
        message: 'no live channel customer has id 0192f3cc-6d7e-7f80-9a1b-2c3d4e5f6a7b',
        code: 'channel_not_found',
      },
    ],
  },
  customer_mismatch: {
    status: 422,
    title: unprocessable,
    detail: `body/items/3/customerId the order belongs to customer ${CUSTOMER}; it cannot move`,
    path: '/v1/orders/batch',
    errors: [
      {
        path: 'body/items/3/customerId',
        message: `the order belongs to customer ${CUSTOMER}; it cannot move`,
        index: 3,
        code: 'customer_mismatch',
      },
    ],
  },
  name_required: {
    status: 422,
    title: unprocessable,
    detail: 'body/items/4/name is required to create a customer',
    path: '/v1/customers/batch',
    errors: [
      {
        path: 'body/items/4/name',
        message: 'is required to create a customer',
        index: 4,
        code: 'name_required',
      },
    ],
  },
  currency_required: {
    status: 422,
    title: unprocessable,
    detail: 'body/currency is required with listPrice',
    path: '/v1/products',
    errors: [{ path: 'body/currency', message: 'is required with listPrice', code: 'currency_required' }],
  },
  line_sum_mismatch: {
    status: 422,
    title: unprocessable,
    detail: 'body/amount is 299.00 but the lines add up to 259.80',
    path: '/v1/orders',
    errors: [
      { path: 'body/amount', message: 'is 299.00 but the lines add up to 259.80', code: 'line_sum_mismatch' },
    ],
  },
  fx_rate_required: {
    status: 422,
    title: unprocessable,
    detail: 'body/fxRate is required for currency USD (reporting currency CNY)',
    path: '/v1/orders',
    errors: [
      {
        path: 'body/fxRate',
        message: 'is required for currency USD (reporting currency CNY)',
        code: 'fx_rate_required',
      },
    ],
  },
  invalid_status_transition: {
    status: 422,
    title: unprocessable,
    detail: 'body/status a cancelled order is final; it cannot become shipped',
    path: `/v1/orders/${ORDER}`,
    errors: [
      {
        path: 'body/status',
        message: 'a cancelled order is final; it cannot become shipped',
        code: 'invalid_status_transition',
      },
    ],
  },
  order_not_open: {
    status: 422,
    title: unprocessable,
    detail: `body/allocations/0/orderId order ${ORDER} is cancelled`,
    path: '/v1/payments',
    errors: [
      { path: 'body/allocations/0/orderId', message: `order ${ORDER} is cancelled`, code: 'order_not_open' },
    ],
  },
  allocation_exceeds_order: {
    status: 422,
    title: unprocessable,
    detail: "body/allocations/0/amount exceeds the order's 129.90",
    path: '/v1/payments',
    errors: [
      {
        path: 'body/allocations/0/amount',
        message: "exceeds the order's 129.90",
        code: 'allocation_exceeds_order',
      },
    ],
  },
  allocation_exceeds_payment: {
    status: 422,
    title: unprocessable,
    detail: "body/allocations add up to 1580.00, more than the payment's 1200.00 (CNY)",
    path: '/v1/payments',
    errors: [
      {
        path: 'body/allocations',
        message: "add up to 1580.00, more than the payment's 1200.00 (CNY)",
        code: 'allocation_exceeds_payment',
      },
    ],
  },
  invalid_rows: {
    status: 422,
    title: unprocessable,
    detail:
      'body/items/2/customerExternalId no customer has externalId ERP-C-20931; body/items/5/amount is 299.00 but the lines add up to 259.80',
    path: '/v1/orders/batch',
    errors: [
      {
        path: 'body/items/2/customerExternalId',
        message: 'no customer has externalId ERP-C-20931',
        index: 2,
        code: 'customer_not_found',
      },
      {
        path: 'body/items/5/amount',
        message: 'is 299.00 but the lines add up to 259.80',
        index: 5,
        code: 'line_sum_mismatch',
      },
    ],
  },
  refund_exceeds_payment: {
    status: 422,
    title: unprocessable,
    detail:
      'At most 300.00 CNY of this payment can be refunded (the rest is refunded already or explicitly allocated).',
    path: '/v1/payments/0192f3cd-9e0f-7a1b-8c2d-3e4f5a6b7c8d/refunds',
  },
  webhook_not_found: {
    status: 404,
    title: notFound,
    detail: 'No webhook subscription has id 0192f3d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f.',
    path: '/v1/webhooks/0192f3d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f',
  },
  webhook_delivery_not_found: {
    status: 404,
    title: notFound,
    detail:
      'Subscription 0192f3d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f has no delivery 0192f3d1-2b3c-7d4e-8f5a-6b7c8d9e0f1a.',
    path: '/v1/webhooks/0192f3d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f/deliveries/0192f3d1-2b3c-7d4e-8f5a-6b7c8d9e0f1a/retry',
  },
  webhook_delivery_open: {
    status: 409,
    title: conflict,
    detail:
      'Delivery 0192f3d1-2b3c-7d4e-8f5a-6b7c8d9e0f1a is pending; only a succeeded or failed delivery can be sent again.',
    path: '/v1/webhooks/0192f3d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f/deliveries/0192f3d1-2b3c-7d4e-8f5a-6b7c8d9e0f1a/retry',
  },
  webhook_url_not_allowed: {
    status: 422,
    title: unprocessable,
    detail: 'Webhooks cannot be sent to https://10.0.0.7/hook: 10.0.0.7 is a private address.',
    path: '/v1/webhooks',
  },
  not_an_organisation: {
    status: 422,
    title: unprocessable,
    detail: `Customer ${CUSTOMER} is a person; only organisations (kind organization) have contact persons.`,
    path: `/v1/customers/${CUSTOMER}/contacts`,
  },
  not_a_channel: {
    status: 422,
    title: unprocessable,
    detail: 'Only channel customers (category channel) have assigned regions.',
    path: `/v1/customers/${CUSTOMER}/assigned-regions`,
  },
  rebate_program_not_found: {
    status: 404,
    title: notFound,
    detail: 'No rebate programme has id 0192f3f0-1a2b-7c3d-8e4f-5a6b7c8d9e0f.',
    path: '/v1/rebate-programs/0192f3f0-1a2b-7c3d-8e4f-5a6b7c8d9e0f',
  },
  tiers_not_increasing: {
    status: 422,
    title: unprocessable,
    detail: "body/tiers/1/from must be greater than the previous tier's from (250000.00)",
    path: '/v1/rebate-programs',
    errors: [
      {
        path: 'body/tiers/1/from',
        message: "must be greater than the previous tier's from (250000.00)",
        code: 'tiers_not_increasing',
      },
    ],
  },
  tier_rates_decreasing: {
    status: 422,
    title: unprocessable,
    detail: "body/tiers/1/rate must not be lower than the previous tier's rate (0.03)",
    path: '/v1/rebate-programs',
    errors: [
      {
        path: 'body/tiers/1/rate',
        message: "must not be lower than the previous tier's rate (0.03)",
        code: 'tier_rates_decreasing',
      },
    ],
  },
  currency_mismatch: {
    status: 422,
    title: unprocessable,
    detail: 'body/currency must be the reporting currency USD',
    path: '/v1/rebate-programs',
    errors: [
      { path: 'body/currency', message: 'must be the reporting currency USD', code: 'currency_mismatch' },
    ],
  },
  period_kind_mismatch: {
    status: 422,
    title: unprocessable,
    detail: '2026 is not a quarter period of this programme.',
    path: '/v1/rebate-programs/0192f3f0-1a2b-7c3d-8e4f-5a6b7c8d9e0f/accruals',
    errors: [{ path: 'query/period', message: 'must be a quarter period (e.g. 2026-Q3)' }],
  },
  period_not_closed: {
    status: 422,
    title: unprocessable,
    detail: 'Period 2026-Q4 ends on 2026-12-31; it can be settled from the day after.',
    path: '/v1/rebate-programs/0192f3f0-1a2b-7c3d-8e4f-5a6b7c8d9e0f/settlements',
  },
  invalid_relationship: {
    status: 422,
    title: unprocessable,
    detail: 'A customer cannot be related to itself.',
    path: `/v1/customers/${CUSTOMER}/relationships`,
    errors: [{ path: '/otherCustomerId', message: 'names the same customer' }],
  },
  churn_in_future: {
    status: 422,
    title: unprocessable,
    detail: 'A churn cannot be recorded for a time that has not come yet.',
    path: `/v1/customers/${CUSTOMER}/churn`,
    errors: [{ path: 'body/at', message: 'lies in the future' }],
  },
  churn_predates_status: {
    status: 422,
    title: unprocessable,
    detail:
      'The churn status last changed at 2026-07-10T00:00:00.000Z; a churn can be recorded at that time or later.',
    path: `/v1/customers/${CUSTOMER}/churn`,
    errors: [{ path: 'body/at', message: 'lies before 2026-07-10T00:00:00.000Z' }],
  },
  rate_limited: {
    status: 429,
    title: 'Too many requests',
    detail: 'Rate limit of 600 requests per 1 minute exceeded; retry after 17 s.',
    path: '/v1/customers',
  },
  internal_error: {
    status: 500,
    title: 'Internal server error',
    detail: 'An unexpected error occurred; it has been logged.',
    path: '/v1/orders',
  },
  database_unavailable: {
    status: 503,
    title: unavailable,
    detail: 'The database cannot be reached at the moment; retry the request shortly.',
    path: '/v1/customers',
  },
  shutting_down: {
    status: 503,
    title: unavailable,
    detail: 'The server is shutting down; retry the request.',
    path: '/v1/customers',
  },
  statement_timeout: {
    status: 503,
    title: unavailable,
    detail: 'The query took longer than the configured statement timeout.',
    path: '/v1/customers',
  },
  retry: {
    status: 503,
    title: unavailable,
    detail: 'A concurrent change conflicted; retry the request.',
    path: '/v1/orders/batch',
  },
  not_ready: {
    status: 503,
    title: unavailable,
    detail: 'The database is not migrated to this version of the service.',
    path: '/readyz',
  },
};

/** The code as answered: `422:customer_not_found` names the code `customer_not_found`. */
export const codeOf = (key: string): string => key.slice(key.indexOf(':') + 1);

/** The problem document the example stands for, as the error handler would write it. */
export function problemBody(key: string): Record<string, unknown> {
  const example = PROBLEM_EXAMPLES[key];
  if (!example) throw new Error(`No problem example for ${key}; add it to src/http/problem-examples.ts`);
  const code = codeOf(key);
  return {
    type: `urn:problem:crm:${code}`,
    title: example.title,
    status: example.status,
    detail: example.detail,
    instance: `${example.path}#0192f3d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f`,
    code,
    ...(example.errors ? { errors: example.errors } : {}),
    ...(example.allowed ? { allowed: example.allowed } : {}),
  };
}
