import { Type, type Static } from 'typebox';

export const EXPORT_RESOURCES = ['customers', 'orders', 'payments'] as const;
export type ExportResource = (typeof EXPORT_RESOURCES)[number];
export const EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const NDJSON_CONTENT_TYPE = 'application/x-ndjson; charset=utf-8';

export const ExportParams = Type.Object({
  resource: Type.Enum(EXPORT_RESOURCES, { description: 'What to export; the key needs `<resource>:read`.' }),
});

export const ExportQuery = Type.Object(
  {
    format: Type.Optional(
      Type.Enum(EXPORT_FORMATS, {
        description: 'Default from Accept: `text/csv` gives CSV, anything else NDJSON.',
      }),
    ),
    includeDeleted: Type.Optional(
      Type.Boolean({ default: false, description: 'Customers only: include soft-deleted customers.' }),
    ),
  },
  { additionalProperties: false },
);
export type ExportQuery = Static<typeof ExportQuery>;
