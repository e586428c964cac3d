import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config';
import type { Database } from './db/create-database';
import { AssociationRepository } from './modules/associations/repository';
import associationRoutes from './modules/associations/routes';
import { AssociationService } from './modules/associations/service';
import { ApiKeyRepository } from './modules/api-keys/repository';
import apiKeyRoutes from './modules/api-keys/routes';
import { ApiKeyService } from './modules/api-keys/service';
import { EventRepository } from './modules/events/repository';
import { RunLifecycleChanges } from './modules/lifecycle/run-changes';
import { requireValidRules, type LifecycleRules } from './domain/lifecycle';
import eventRoutes from './modules/events/routes';
import { EventService } from './modules/events/service';
import { EventWriter } from './modules/events/event-writer';
import { ChannelRegionRepository } from './modules/customers/channel-region-repository';
import channelRegionRoutes from './modules/customers/channel-region-routes';
import { ChannelRegionService } from './modules/customers/channel-regions';
import { OrderWriter } from './modules/orders/order-writer';
import { CustomerRepository } from './modules/customers/repository';
import customerRoutes from './modules/customers/routes';
import { CustomerService } from './modules/customers/service';
import { LifecycleRepository } from './modules/lifecycle/repository';
import lifecycleRoutes from './modules/lifecycle/routes';
import { LifecycleService } from './modules/lifecycle/service';
import { AnalyticsRepository } from './modules/analytics/repository';
import analyticsRoutes from './modules/analytics/routes';
import { AnalyticsRunService } from './modules/analytics/run-service';
import type { RunExtension } from './modules/analytics/run-extensions';
import { ValueService } from './modules/analytics/value-service';
import historyRoutes from './modules/events/history-routes';
import { ChurnRepository } from './modules/churn/repository';
import churnRoutes from './modules/churn/routes';
import { ChurnService } from './modules/churn/service';
import { ChartRenderer } from './modules/charts/render';
import { ChartRepository } from './modules/charts/repository';
import chartRoutes from './modules/charts/routes';
import { ContactRepository } from './modules/contacts/repository';
import contactRoutes from './modules/contacts/routes';
import { ContactService } from './modules/contacts/service';
import healthRoutes from './modules/health/routes';
import { HealthService } from './modules/health/service';
import { CreditRepository } from './modules/credit/repository';
import creditRoutes from './modules/credit/routes';
import { CreditService } from './modules/credit/service';
import { CampaignRepository } from './modules/campaigns/repository';
import campaignRoutes from './modules/campaigns/routes';
import { CampaignService } from './modules/campaigns/service';
import { OrderRepository } from './modules/orders/repository';
import orderRoutes from './modules/orders/routes';
import { OrderService } from './modules/orders/service';
import { ReceivablesReader } from './modules/payments/receivables';
import { PaymentRepository } from './modules/payments/repository';
import paymentRoutes from './modules/payments/routes';
import { PaymentService } from './modules/payments/service';
import { ExportRepository } from './modules/exports/repository';
import exportRoutes from './modules/exports/routes';
import { ExportService } from './modules/exports/service';
import { ImportJobRepository } from './modules/imports/repository';
import importRoutes from './modules/imports/routes';
import { ImportService } from './modules/imports/service';
import { importTargets } from './modules/imports/targets';
import { ProductRepository } from './modules/products/repository';
import productRoutes from './modules/products/routes';
import { ProductService } from './modules/products/service';
import { RelationshipRepository } from './modules/relationships/repository';
import relationshipRoutes from './modules/relationships/routes';
import { RelationshipService } from './modules/relationships/service';
import { composeWebhooks } from './modules/webhooks/compose';
import { openApiWebhooks } from './modules/webhooks/openapi-webhooks';
import webhookRoutes from './modules/webhooks/routes';
import webhookWorker from './modules/webhooks/worker-plugin';
import { ServiceLevelRepository } from './modules/service-levels/repository';
import serviceLevelRoutes from './modules/service-levels/routes';
import { ServiceLevelService } from './modules/service-levels/service';
import { ServiceRecordRepository } from './modules/service-records/repository';
import serviceRecordRoutes from './modules/service-records/routes';
import { ServiceRecordService } from './modules/service-records/service';
import { CategoryRepository } from './modules/complaints/category-repository';
import { ComplaintCategoryService } from './modules/complaints/category-service';
import { ComplaintRepository } from './modules/complaints/repository';
import complaintRoutes from './modules/complaints/routes';
import { ComplaintService } from './modules/complaints/service';
import { ServiceFeedbackRepository } from './modules/service-feedback/repository';
import serviceFeedbackRoutes from './modules/service-feedback/routes';
import { ServiceFeedbackService } from './modules/service-feedback/service';
import { SalesReportRepository } from './modules/sales-report/repository';
import salesReportRoutes from './modules/sales-report/routes';
import { SalesReportService } from './modules/sales-report/service';
import { ForecastRepository } from './modules/forecast/repository';
import forecastRoutes from './modules/forecast/routes';
import { ForecastService } from './modules/forecast/service';
import { parseValueClassFactors } from './domain/service/sla';
import { SurveyResponseRepository } from './modules/surveys/repository';
import surveyRoutes from './modules/surveys/routes';
import { SurveyResponseService } from './modules/surveys/service';
import { CareRepository } from './modules/care/repository';
import careRoutes from './modules/care/routes';
import { CareService } from './modules/care/service';
import { parseFixedHolidays } from './domain/care/occasions';
import { OpportunityRepository } from './modules/opportunities/repository';
import opportunityRoutes from './modules/opportunities/routes';
import { SegmentRepository } from './modules/segments/repository';
import segmentRoutes from './modules/segments/routes';
import { segmentRunExtension } from './modules/segments/run-extension';
import { SegmentService } from './modules/segments/service';
import { OpportunityService } from './modules/opportunities/service';
import { parsePipeline } from './domain/opportunities/pipeline';
import { InteractionRepository } from './modules/interactions/repository';
import { InteractionWriter } from './modules/interactions/interaction-writer';
import interactionRoutes from './modules/interactions/routes';
import { InteractionService } from './modules/interactions/service';
import { FollowUpRepository } from './modules/follow-ups/repository';
import { KpisRepository } from './modules/reports/kpis-repository';
import kpisRoutes from './modules/reports/kpis-routes';
import { KpisService } from './modules/reports/kpis-service';
import { pageCharts } from './modules/reports/report-charts';
import { ReportLinks } from './modules/reports/report-links';
import { ReportPageService } from './modules/reports/report-page-service';
import reportRoutes from './modules/reports/report-routes';
import followUpRoutes from './modules/follow-ups/routes';
import { FollowUpService } from './modules/follow-ups/service';
import { TimelineRepository } from './modules/timeline/repository';
import timelineRoutes from './modules/timeline/routes';
import { TimelineService } from './modules/timeline/service';
import { RebateRepository } from './modules/rebates/repository';
import rebateRoutes from './modules/rebates/routes';
import { RebateService } from './modules/rebates/service';
import auth from './plugins/auth';
import errorHandler from './plugins/error-handler';
import idempotency from './plugins/idempotency';
import jsonBody from './plugins/json-body';
import openApi from './plugins/openapi';
import { clientErrorHandler, frameworkErrors } from './plugins/pre-routing-errors';
import rateLimit from './plugins/rate-limit';
import { closeRedis, connectRedis } from './plugins/redis-client';
import { RedisWindowCounter } from './plugins/redis-window-counter';
import { createValidatorCompiler } from './plugins/validator-compiler';
import { RequestLogController } from './http/request-log';
import { asyncStdout } from './http/log-destination';

export interface AppDependencies {
  config: Config;
  db: Database;
  /** The time source for every timestamp the app writes; tests fix it. */
  clock?: () => Date;
  /** false silences the logger (tests); otherwise pino at config.LOG_LEVEL. */
  logger?: boolean;
}

export interface AppServices {
  apiKeys: ApiKeyService;
  customers: CustomerService;
  analyticsRuns: AnalyticsRunService;
  imports: ImportService;
  events: EventService;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function corsOrigins(setting: string): boolean | string[] {
  const list = setting
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  if (list.includes('*')) return true;
  return list.length > 0 ? list : false;
}

/** Builds the whole API on the given database; listens on nothing (server.ts does). */
/** The churn and stage factors of the configuration; refuses to boot on an inconsistent pair. */
function lifecycleRulesOf(config: Config): LifecycleRules {
  const rules = {
    atRiskFactor: config.CHURN_AT_RISK_FACTOR,
    churnedFactor: config.CHURN_CHURNED_FACTOR,
    pAliveThreshold: config.CHURN_P_ALIVE_THRESHOLD,
    extensionSpendFactor: config.EXTENSION_SPEND_FACTOR,
  };
  try {
    requireValidRules(rules);
  } catch {
    throw new Error('CHURN_AT_RISK_FACTOR must not exceed CHURN_CHURNED_FACTOR');
  }
  return rules;
}

/** SLA_VALUE_CLASS_FACTORS parsed; a bad setting refuses to boot, naming the variable. */
function slaFactorsOf(config: Config): Record<string, number> {
  try {
    return parseValueClassFactors(config.SLA_VALUE_CLASS_FACTORS);
  } catch (error) {
    throw new Error(`SLA_VALUE_CLASS_FACTORS: ${(error as Error).message}`);
  }
}

export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const { config, db } = deps;
  const clock = deps.clock ?? (() => new Date());
  const app = Fastify({
    logger:
      deps.logger === false
        ? false
        : {
            level: config.LOG_LEVEL,
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            stream: asyncStdout(),
          },
    // One line per request, written when it completes (src/http/request-log.ts).
    logController: new RequestLogController(),
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    trustProxy: trustProxySetting(config.TRUST_PROXY),
    // genReqId reads X-Request-Id itself: with requestIdHeader set Fastify would take any header
    // value as the id unchecked and echo and log it.
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // Every encapsulated context (a plugin that adds schemas gets one) uses the same compiler.
    schemaController: { compilersFactory: { buildValidator: (() => createValidatorCompiler()) as never } },
    // An externalId may be 200 characters, 1,800 once percent-encoded; longer is 414 problem+json.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2048 },
    // While shutting down, src/connection-drain.ts answers late requests with a problem document.
    return503OnClosing: false,
    // Errors before routing answer problem+json too (docs/api.md "Errors").
    frameworkErrors,
    clientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();

  const apiKeys = new ApiKeyService(new ApiKeyRepository(db.knex), clock, config.AUTH_CACHE_TTL_MS);
  const eventRepository = new EventRepository(db.knex);
  const eventWriter = new EventWriter(eventRepository, clock);
  const events = new EventService(eventRepository, clock, config.EVENT_RETENTION_DAYS);
  const customerRepository = new CustomerRepository(db.knex);
  const lifecycleRepository = new LifecycleRepository(db.knex);
  const customers = new CustomerService(db.knex, customerRepository, lifecycleRepository, eventWriter, clock);
  const lifecycle = new LifecycleService(lifecycleRepository, customers);
  const channelRegions = new ChannelRegionService(
    db.knex,
    new ChannelRegionRepository(db.knex),
    customers,
    eventWriter,
    clock,
  );
  const contacts = new ContactService(db.knex, new ContactRepository(db.knex), customers, eventWriter, clock);
  const relationships = new RelationshipService(
    db.knex,
    new RelationshipRepository(db.knex),
    customers,
    eventWriter,
    clock,
  );
  const productRepository = new ProductRepository(db.knex);
  const products = new ProductService(db.knex, productRepository, eventWriter, clock);
  const slaFactors = slaFactorsOf(config);
  const serviceLevels = new ServiceLevelService(
    db.knex,
    new ServiceLevelRepository(db.knex),
    eventWriter,
    clock,
  );
  const serviceRecords = new ServiceRecordService(
    db.knex,
    new ServiceRecordRepository(db.knex, slaFactors),
    customerRepository,
    productRepository,
    eventWriter,
    clock,
    { factors: slaFactors, futureToleranceDays: config.FUTURE_DATE_TOLERANCE_DAYS },
  );
  const complaintCategoryRepository = new CategoryRepository(db.knex);
  const complaintCategories = new ComplaintCategoryService(
    db.knex,
    complaintCategoryRepository,
    eventWriter,
    clock,
  );
  const complaints = new ComplaintService(
    db.knex,
    new ComplaintRepository(db.knex),
    complaintCategoryRepository,
    customerRepository,
    productRepository,
    eventWriter,
    clock,
    config.FUTURE_DATE_TOLERANCE_DAYS,
  );
  const orderRepository = new OrderRepository(db.knex);
  const creditRepository = new CreditRepository(db.knex);
  const orderWriter = new OrderWriter(
    orderRepository,
    productRepository,
    customerRepository,
    creditRepository,
    eventWriter,
    clock,
    config.REPORTING_CURRENCY,
    config.FUTURE_DATE_TOLERANCE_DAYS,
  );
  const orders = new OrderService(
    db.knex,
    orderRepository,
    customerRepository,
    orderWriter,
    config.REPORTING_CURRENCY,
  );
  const paymentRepository = new PaymentRepository(db.knex);
  const receivables = new ReceivablesReader(paymentRepository, config.REPORTING_CURRENCY);
  const payments = new PaymentService(
    db.knex,
    paymentRepository,
    orderRepository,
    customerRepository,
    customers,
    eventWriter,
    receivables,
    clock,
    config.REPORTING_CURRENCY,
    config.FUTURE_DATE_TOLERANCE_DAYS,
  );
  const credit = new CreditService(customers, receivables, creditRepository, clock);
  const interactionRepository = new InteractionRepository(db.knex);
  const interactions = new InteractionService(
    db.knex,
    interactionRepository,
    new InteractionWriter(
      interactionRepository,
      customerRepository,
      eventWriter,
      clock,
      config.FUTURE_DATE_TOLERANCE_DAYS,
    ),
  );
  const followUps = new FollowUpService(
    db.knex,
    new FollowUpRepository(db.knex),
    customerRepository,
    eventWriter,
    clock,
    { graceMinutes: config.FOLLOW_UP_GRACE_MINUTES, futureToleranceDays: config.FUTURE_DATE_TOLERANCE_DAYS },
  );
  const timeline = new TimelineService(new TimelineRepository(db.knex), customers);
  const rebates = new RebateService(
    db.knex,
    new RebateRepository(db.knex),
    eventWriter,
    clock,
    config.REPORTING_CURRENCY,
  );
  const fixedHolidays = parseFixedHolidays(config.CARE_FIXED_HOLIDAYS);
  if (!fixedHolidays) throw new Error('CARE_FIXED_HOLIDAYS must be MM-DD:Name entries separated by commas');
  const care = new CareService(new CareRepository(db.knex), fixedHolidays, clock);
  const pipeline = parsePipeline(config.OPPORTUNITY_STAGES);
  if (!pipeline)
    throw new Error('OPPORTUNITY_STAGES must list stage[:probability] entries including won and lost');
  const opportunities = new OpportunityService(
    db.knex,
    new OpportunityRepository(db.knex),
    customerRepository,
    customers,
    eventWriter,
    pipeline,
    clock,
  );
  const surveys = new SurveyResponseService(
    db.knex,
    new SurveyResponseRepository(db.knex),
    customerRepository,
    eventWriter,
    clock,
    config.FUTURE_DATE_TOLERANCE_DAYS,
  );
  const churn = new ChurnService(
    db.knex,
    new ChurnRepository(db.knex),
    customers,
    eventWriter,
    clock,
    lifecycleRepository,
  );
  // Marketing's steps at each run (associations, segment membership) join this list below.
  const runExtensions: RunExtension[] = [];
  const associations = new AssociationService(
    db.knex,
    new AssociationRepository(db.knex),
    customers,
    products,
    config.ASSOCIATION_MIN_SUPPORT,
    clock,
  );
  runExtensions.push(associations.runExtension());
  const segments = new SegmentService(
    db.knex,
    new SegmentRepository(db.knex, eventRepository),
    customerRepository,
    eventWriter,
    clock,
  );
  runExtensions.push(segmentRunExtension(segments));
  const analyticsRepository = new AnalyticsRepository(db.knex);
  const analyticsRuns = new AnalyticsRunService(
    db.knex,
    db.bulk,
    analyticsRepository,
    {
      customers: customerRepository,
      events: eventWriter,
      lifecycle: new RunLifecycleChanges(db.knex, db.bulk, eventRepository, lifecycleRepository),
    },
    clock,
    app.log,
    db.lease,
    {
      parallelIndexBuilds: db.kind === 'postgres',
      lifecycleRules: lifecycleRulesOf(config),
      pAliveDropThreshold: config.P_ALIVE_DROP_THRESHOLD,
      extensions: runExtensions,
    },
  );
  app.addHook('onClose', async () => analyticsRuns.close());
  // The charts read the latest run and the churn report; the report page inlines them too.
  const forecasts = new ForecastService(
    analyticsRuns,
    new ForecastRepository(db.knex),
    config.REPORTING_CURRENCY,
    config.FORECAST_NEW_PER_MONTH,
  );
  const charts = new ChartRenderer({
    forecasts,
    runs: analyticsRuns,
    churn,
    repository: new ChartRepository(db.knex),
    sales: new SalesReportService(new SalesReportRepository(db.knex), config.REPORTING_CURRENCY, clock),
    currency: config.REPORTING_CURRENCY,
  });
  const imports = new ImportService(
    db.knex,
    new ImportJobRepository(db.knex),
    importTargets({ customers, orders, payments }),
    clock,
    app.log,
    db.lease,
  );
  const webhooks = composeWebhooks(db.knex, config, clock, app.log);
  const exportService = new ExportService(
    new ExportRepository(db.knex),
    orderRepository,
    payments,
    config.REPORTING_CURRENCY,
    app.log,
  );
  // A launch freezes the segment's members as the segments service answers them (docs/campaigns.md).
  const campaigns = new CampaignService(
    db.knex,
    new CampaignRepository(db.knex),
    segments,
    eventWriter,
    clock,
    config.FUTURE_DATE_TOLERANCE_DAYS,
  );
  app.decorate('services', { apiKeys, customers, analyticsRuns, imports, events } satisfies AppServices);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(errorHandler);
  await app.register(jsonBody);
  await app.register(helmet, {
    // Swagger UI at /docs loads inline scripts and styles of its own.
    contentSecurityPolicy: false,
  });
  await app.register(cors, {
    origin: corsOrigins(config.CORS_ORIGINS),
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: [
      'authorization',
      'content-type',
      'idempotency-key',
      'if-match',
      'if-none-match',
      'x-request-id',
    ],
    exposedHeaders: [
      'etag',
      'location',
      'retry-after',
      'x-request-id',
      'idempotent-replayed',
      'x-ratelimit-limit',
      'x-ratelimit-remaining',
      'x-ratelimit-reset',
    ],
    maxAge: 600,
  });
  // With REDIS_URL the limits are counted across instances (docs/SCALING.md).
  const redis = config.REDIS_URL ? await connectRedis(config.REDIS_URL, app.log) : undefined;
  if (redis) app.addHook('onClose', async () => closeRedis(redis));
  const reportLinks = new ReportLinks(config.REPORT_LINK_SECRET, clock);
  const kpis = new KpisService(
    new KpisRepository(db.knex),
    new ChurnRepository(db.knex),
    new FollowUpRepository(db.knex),
    clock,
    { graceMinutes: config.FOLLOW_UP_GRACE_MINUTES, reportingCurrency: config.REPORTING_CURRENCY },
  );
  await app.register(auth, {
    apiKeys,
    signedLinks: reportLinks,
    maxFailures: config.AUTH_FAILURE_MAX,
    failureWindowMs: config.RATE_LIMIT_WINDOW_MS,
    sharedFailures: redis && new RedisWindowCounter(redis, config.REDIS_KEY_PREFIX),
  });
  await app.register(rateLimit, {
    max: config.RATE_LIMIT_MAX,
    timeWindowMs: config.RATE_LIMIT_WINDOW_MS,
    redis,
    keyPrefix: config.REDIS_KEY_PREFIX,
  });
  if (config.WEBHOOK_WORKER) await app.register(webhookWorker, { worker: webhooks.worker });
  await app.register(idempotency, {
    knex: db.knex,
    clock,
    ttlHours: config.IDEMPOTENCY_TTL_HOURS,
    lease: db.lease,
    abandonAfterMs: config.REQUEST_TIMEOUT_MS * 2,
  });
  await app.register(openApi, {
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    rateLimitMax: config.RATE_LIMIT_MAX,
    rateLimitWindowMs: config.RATE_LIMIT_WINDOW_MS,
    authFailureMax: config.AUTH_FAILURE_MAX,
    webhooks: openApiWebhooks(),
  });

  await app.register(healthRoutes, { health: new HealthService(db.knex) });
  await app.register(
    async (v1) => {
      await v1.register(apiKeyRoutes, { apiKeys });
      await v1.register(customerRoutes, { customers });
      await v1.register(lifecycleRoutes, { lifecycle });
      await v1.register(contactRoutes, { contacts });
      await v1.register(relationshipRoutes, { relationships });
      await v1.register(channelRegionRoutes, { regions: channelRegions });
      await v1.register(historyRoutes, { events, customers, orders, products, payments });
      await v1.register(eventRoutes, { events });
      await v1.register(productRoutes, { products });
      await v1.register(serviceLevelRoutes, { levels: serviceLevels });
      await v1.register(serviceRecordRoutes, { records: serviceRecords });
      await v1.register(complaintRoutes, { complaints, categories: complaintCategories });
      await v1.register(serviceFeedbackRoutes, {
        feedback: new ServiceFeedbackService(new ServiceFeedbackRepository(db.knex)),
      });
      await v1.register(orderRoutes, { orders });
      await v1.register(paymentRoutes, { payments });
      await v1.register(creditRoutes, { credit });
      await v1.register(churnRoutes, { churn });
      await v1.register(chartRoutes, { charts });
      await v1.register(salesReportRoutes, {
        sales: new SalesReportService(new SalesReportRepository(db.knex), config.REPORTING_CURRENCY, clock),
      });
      await v1.register(forecastRoutes, { forecasts });
      await v1.register(analyticsRoutes, {
        runs: analyticsRuns,
        values: new ValueService(analyticsRuns, analyticsRepository, customers, credit),
        clock,
      });
      await v1.register(importRoutes, { imports });
      await v1.register(exportRoutes, { exports: exportService });
      await v1.register(campaignRoutes, { campaigns });
      await v1.register(webhookRoutes, { webhooks: webhooks.service });
      await v1.register(surveyRoutes, { surveys });
      await v1.register(careRoutes, { care });
      await v1.register(opportunityRoutes, { opportunities });
      await v1.register(segmentRoutes, { segments });
      await v1.register(interactionRoutes, { interactions });
      await v1.register(followUpRoutes, { followUps });
      await v1.register(timelineRoutes, { timeline });
      await v1.register(rebateRoutes, { rebates });
      await v1.register(kpisRoutes, { kpis });
      await v1.register(associationRoutes, { associations });
      await v1.register(reportRoutes, {
        pages: new ReportPageService(kpis, reportLinks, clock, config.REPORTING_CURRENCY, pageCharts(charts)),
      });
    },
    { prefix: '/v1' },
  );
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: AppServices;
  }
}

/**
 * TRUST_PROXY as Fastify's `trustProxy`: empty trusts no proxy (the client address is the
 * socket's), `true` any, anything else a comma-separated list of proxy addresses or CIDR
 * ranges. Behind a proxy the per-address limits need it.
 */
export function trustProxySetting(value: string): boolean | string {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed === 'false') return false;
  return trimmed === 'true' ? true : trimmed;
}
