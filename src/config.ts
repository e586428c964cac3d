import envSchema from 'env-schema';
import { Type, type Static } from 'typebox';

/**
 * Every setting the service reads from the environment. Validated once at boot: a bad value
 * stops the process with a message naming the variable, never a half-configured server.
 */
export const ConfigSchema = Type.Object({
  /** TCP port the HTTP server listens on. */
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  /** Interface to bind; 0.0.0.0 in containers. */
  HOST: Type.String({ default: '127.0.0.1', minLength: 1 }),
  /** postgres://... selects a PostgreSQL server; unset selects the embedded PGlite database. */
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  /** Where the embedded database keeps its files (ignored with DATABASE_URL). */
  DATA_DIR: Type.String({ default: './data', minLength: 1 }),
  /** pino level. */
  LOG_LEVEL: Type.Union(
    [
      Type.Literal('fatal'),
      Type.Literal('error'),
      Type.Literal('warn'),
      Type.Literal('info'),
      Type.Literal('debug'),
      Type.Literal('trace'),
      Type.Literal('silent'),
    ],
    { default: 'info' },
  ),
  /** First admin key, 24+ characters; used only while no admin key exists. */
  BOOTSTRAP_API_KEY: Type.Optional(Type.String({ minLength: 24, maxLength: 200 })),
  /** Requests each API key may make per window. */
  RATE_LIMIT_MAX: Type.Integer({ default: 600, minimum: 1 }),
  /**
   * Which proxies to believe about the client address (X-Forwarded-For): empty none, `true`
   * any, or comma-separated proxy addresses/CIDR ranges.
   */
  TRUST_PROXY: Type.String({ default: '' }),
  /** Failed authentications an address may make per window before every request from it is 429. */
  AUTH_FAILURE_MAX: Type.Integer({ default: 50, minimum: 1 }),
  /**
   * redis:// URL of a Redis shared by every instance: the rate limit and the failed-authentication
   * counts are then counted across instances (docs/SCALING.md). Unset counts them per process.
   */
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  /** Prefix of every key the service writes to Redis, so several deployments can share one. */
  REDIS_KEY_PREFIX: Type.String({ default: 'crm:', maxLength: 100 }),
  /** Rate-limit window in milliseconds. */
  RATE_LIMIT_WINDOW_MS: Type.Integer({ default: 60000, minimum: 1000 }),
  /** A customer is at risk once the days since its last purchase exceed this times its cycle (docs/lifecycle.md). */
  CHURN_AT_RISK_FACTOR: Type.Number({ default: 2, exclusiveMinimum: 0 }),
  /** ... and churned once they exceed this times its cycle; at least CHURN_AT_RISK_FACTOR. */
  CHURN_CHURNED_FACTOR: Type.Number({ default: 3, exclusiveMinimum: 0 }),
  /** An analytics run churns a customer whose BG/NBD P(alive) is below this. */
  CHURN_P_ALIVE_THRESHOLD: Type.Number({ default: 0.1, minimum: 0, maximum: 1 }),
  /** A purchase day above this times the customer's mean earlier purchase day moves it to the extension stage. */
  EXTENSION_SPEND_FACTOR: Type.Number({ default: 1.5, exclusiveMinimum: 0 }),
  /** Largest accepted request body in bytes (a 1,000-row batch fits in the default). */
  BODY_LIMIT_BYTES: Type.Integer({ default: 10485760, minimum: 1024 }),
  /** Longest a single SQL statement may run, in milliseconds (0 disables). */
  STATEMENT_TIMEOUT_MS: Type.Integer({ default: 30000, minimum: 0 }),
  /** Longest a request may take to arrive and be answered, in milliseconds. */
  REQUEST_TIMEOUT_MS: Type.Integer({ default: 60000, minimum: 1000 }),
  /** How long a verified API key is trusted without a database look-up (revocation delay). */
  AUTH_CACHE_TTL_MS: Type.Integer({ default: 5000, minimum: 0, maximum: 60000 }),
  /** Comma-separated browser origins allowed by CORS; empty allows none. `*` allows any. */
  CORS_ORIGINS: Type.String({ default: '' }),
  /** Hours an Idempotency-Key's first response is kept for replay. */
  IDEMPOTENCY_TTL_HOURS: Type.Integer({ default: 24, minimum: 24 }),
  /** Days the event feed (/v1/events) serves an event; the audit trail keeps its changes for as long as the record. */
  EVENT_RETENTION_DAYS: Type.Integer({ default: 30, minimum: 1 }),
  /**
   * Days an order's orderedAt, a payment's receivedAt or a refund's refundedAt may lie ahead of
   * the server's clock; later is 422 `date_in_future` (a birthday may not lie ahead at all).
   */
  FUTURE_DATE_TOLERANCE_DAYS: Type.Integer({ default: 1, minimum: 0, maximum: 3650 }),
  /**
   * SLA targets tightened per value class of the latest analytics run, `class:factor` pairs
   * multiplying the minutes (`platinum:0.5,gold:0.75`); factors in (0, 1], unset classes 1.
   */
  SLA_VALUE_CLASS_FACTORS: Type.String({ default: '', maxLength: 500 }),
  /** Minutes after its planned time a follow-up may be completed and still count as done on time (GET /v1/analytics/follow-ups). */
  FOLLOW_UP_GRACE_MINUTES: Type.Integer({ default: 1440, minimum: 0, maximum: 525600 }),
  /** Runs the webhook delivery worker in this process (docs/webhooks.md); `false` leaves delivery to other instances. */
  WEBHOOK_WORKER: Type.Boolean({ default: true }),
  /** Delays between a delivery's attempts, comma-separated durations (`5s`, `5m`, `2h`, `1d`). */
  WEBHOOK_RETRY_SCHEDULE: Type.String({ default: '5s,5m,30m,2h,5h,10h,14h,20h', minLength: 2 }),
  /** Allows plain http and private, loopback and link-local receiver addresses (tests, private networks). */
  WEBHOOK_ALLOW_PRIVATE: Type.Boolean({ default: false }),
  /** How long a subscription's attempts may all fail before it is disabled (a duration). */
  WEBHOOK_DISABLE_AFTER: Type.String({ default: '5d', minLength: 2 }),
  /** Milliseconds between the worker's looks for new events and due retries. */
  WEBHOOK_POLL_INTERVAL_MS: Type.Integer({ default: 1000, minimum: 10, maximum: 60000 }),
  /** Milliseconds one attempt may take before it counts as failed. */
  WEBHOOK_TIMEOUT_MS: Type.Integer({ default: 10000, minimum: 100, maximum: 60000 }),
  /** Deliveries one instance sends at once. */
  WEBHOOK_CONCURRENCY: Type.Integer({ default: 8, minimum: 1, maximum: 100 }),
  /** Milliseconds a claimed delivery stays with its instance; after a crash another sends it once this passed. */
  WEBHOOK_LEASE_MS: Type.Integer({ default: 60000, minimum: 1000 }),
  /** A run that finds a customer's P(alive) below this, where the run before had it at or above, emits customer.p_alive_dropped. */
  P_ALIVE_DROP_THRESHOLD: Type.Number({ default: 0.5, exclusiveMinimum: 0, maximum: 1 }),
  /** Product associations keep the pairs found in at least this share of the run's baskets (docs/associations.md). */
  ASSOCIATION_MIN_SUPPORT: Type.Number({ default: 0.01, minimum: 0.000001, maximum: 1 }),
  /** Fixed-date holidays care greets every customer on, `MM-DD:Name` comma-separated (docs/care.md); lunar festivals are built in. */
  CARE_FIXED_HOLIDAYS: Type.String({ default: '01-01:New Year,05-01:Labour Day', maxLength: 2000 }),
  /**
   * The sales pipeline, stage[:probability] comma-separated in order (docs/opportunities.md); `won` and
   * `lost` are the closed stages and must be in it. A stage's probability is the default of an opportunity in it.
   */
  OPPORTUNITY_STAGES: Type.String({
    default: 'qualification:0.1,proposal:0.4,negotiation:0.7,won:1,lost:0',
    minLength: 3,
    maxLength: 1000,
  }),
  /** Customers expected to be acquired per month during a demand forecast (docs/reports.md "New customers"); 0 none. */
  FORECAST_NEW_PER_MONTH: Type.Number({ default: 0, minimum: 0, maximum: 1_000_000 }),
  /** ISO 4217 currency that receivables, credit and reports are in; other currencies need an fxRate to it. */
  REPORTING_CURRENCY: Type.String({ default: 'USD', pattern: '^[A-Z]{3}$' }),
  /**
   * HMAC key of the report page's signed links (docs/reports.md), 32+ characters; the same on
   * every instance. Unset: each process draws its own, and its links die with it.
   */
  REPORT_LINK_SECRET: Type.Optional(Type.String({ minLength: 32, maxLength: 500 })),
});

export type Config = Static<typeof ConfigSchema>;

/** Reads and validates the environment (or the given record, for tests). */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return envSchema<Config>({ schema: ConfigSchema, data: env, dotenv: false });
}
