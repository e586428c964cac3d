import { Type, type Static } from 'typebox';
import { Nullable, PageCursor, PageLimit, Timestamp, Uuid, pageOf } from '../../schemas/common';

export const IMPORT_RESOURCES = ['customers', 'orders', 'payments'] as const;
export type ImportResource = (typeof IMPORT_RESOURCES)[number];
export const IMPORT_FORMATS = ['ndjson', 'csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const IMPORT_MODES = ['partial', 'atomic'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];
export const IMPORT_STATUSES = ['receiving', 'done', 'failed', 'interrupted'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** Rows written per transaction unless the caller asks for fewer. */
export const DEFAULT_BATCH_SIZE = 1000;
/** Rejections kept on a job; `rowsRejected` still counts them all. */
export const MAX_REJECTIONS = 1000;

export const NDJSON_MEDIA_TYPES = ['application/x-ndjson', 'application/ndjson'] as const;
export const CSV_MEDIA_TYPE = 'text/csv';

export const ImportQuery = Type.Object(
  {
    resource: Type.Enum(IMPORT_RESOURCES, {
      description: 'What the file holds; the key needs `<resource>:write`.',
    }),
    format: Type.Optional(
      Type.Enum(IMPORT_FORMATS, {
        description: 'Default from Content-Type: `application/x-ndjson` or `text/csv`.',
      }),
    ),
    mode: Type.Optional(
      Type.Enum(IMPORT_MODES, {
        default: 'partial',
        description:
          '`partial` (default): bad rows are reported and skipped, each batch commits on its own. `atomic`: one transaction for the whole file; any bad row and nothing is written.',
      }),
    ),
    batchSize: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1000,
        default: DEFAULT_BATCH_SIZE,
        description: 'Rows per transaction (default 1,000).',
      }),
    ),
    jobId: Type.Optional(
      Type.String({
        format: 'uuid',
        description:
          'Resume this job with the same file: lines up to its `lastCommittedLine` are skipped. Resource, format and mode must match.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ImportQuery = Static<typeof ImportQuery>;

export const Rejection = Type.Object({
  line: Type.Integer({ description: 'Line of the file (1-based; a CSV header is line 1).' }),
  externalId: Type.Optional(Type.String()),
  code: Type.String({ description: 'e.g. `invalid_json`, `validation_failed`, `customer_not_found`.' }),
  reason: Type.String(),
});
export type Rejection = Static<typeof Rejection>;

const jobFields = {
  id: Uuid,
  resource: Type.Enum(IMPORT_RESOURCES),
  format: Type.Enum(IMPORT_FORMATS),
  mode: Type.Enum(IMPORT_MODES),
  batchSize: Type.Integer(),
  status: Type.Enum(IMPORT_STATUSES, {
    description:
      '`receiving` while the upload streams in; `done`; `failed` (atomic with bad rows, or a fault); `interrupted` (the upload or the server stopped; resume with `jobId`).',
  }),
  linesRead: Type.Integer({
    description:
      'The number of the last line of the file read so far: lines are numbered from 1, a CSV header is line 1, and blank lines count. When the job is done it equals `lastCommittedLine`.',
  }),
  rowsWritten: Type.Integer({ description: 'Rows in committed batches: created + updated + unchanged.' }),
  rowsCreated: Type.Integer(),
  rowsUpdated: Type.Integer(),
  rowsUnchanged: Type.Integer(),
  rowsRejected: Type.Integer(),
  lastCommittedLine: Type.Integer({
    description:
      'Every line up to this one (numbered as `linesRead`: from 1, a CSV header is line 1) is written or rejected, and committed; a resume starts after it.',
  }),
  error: Nullable(Type.String({ description: 'Why the job failed or stopped.' })),
  createdBy: Nullable(Type.String({ description: 'The API key that started it.' })),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  finishedAt: Nullable(Timestamp),
};

export const ImportJob = Type.Object(
  {
    ...jobFields,
    rejections: Type.Array(Rejection, {
      description: `Rejected rows in line order, the first ${MAX_REJECTIONS}; \`rowsRejected\` counts all.`,
    }),
  },
  { $id: 'ImportJob', title: 'ImportJob' },
);
export type ImportJob = Static<typeof ImportJob>;

export const ImportJobSummary = Type.Object(jobFields, {
  $id: 'ImportJobSummary',
  title: 'ImportJobSummary',
  description: 'An import job without its rejections (read one job for them).',
});
export type ImportJobSummary = Static<typeof ImportJobSummary>;

export const ImportListQuery = Type.Object(
  {
    limit: Type.Optional(PageLimit),
    cursor: Type.Optional(PageCursor),
    resource: Type.Optional(Type.Enum(IMPORT_RESOURCES)),
    status: Type.Optional(Type.Enum(IMPORT_STATUSES)),
  },
  { additionalProperties: false },
);
export type ImportListQuery = Static<typeof ImportListQuery>;

export const ImportJobPage = pageOf(Type.Ref('ImportJobSummary'));
