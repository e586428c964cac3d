import type { FastifyReply, FastifyRequest } from 'fastify';
import { stringify } from 'csv-stringify/sync';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

/**
 * True when the caller prefers text/csv over JSON (RFC 9110 12.5.1: highest q wins; on a tie
 * the JSON default stays). `Accept: text/csv` alone is enough.
 */
export function wantsCsv(request: FastifyRequest): boolean {
  const header = request.headers.accept;
  if (!header) return false;
  let csv = -1;
  let json = -1;
  for (const part of header.split(',')) {
    const [type = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q)) continue;
    const media = type.trim();
    if (media === 'text/csv') csv = Math.max(csv, q);
    if (media === 'application/json' || media === '*/*' || media === 'application/*')
      json = Math.max(json, q);
  }
  return csv > 0 && csv > json;
}

const cell = (value: unknown): string | number | boolean => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  // true/false as the exports write them (csv-stringify would write 1 and an empty cell).
  if (typeof value === 'boolean') return String(value);
  return value as string | number | boolean;
};

/**
 * One page as CSV: a header row, then one row per record. Nested values are JSON in their
 * cell. The next page's cursor travels in a `Link: <...>; rel="next"` header.
 */
export function sendCsvPage<T extends object>(
  request: FastifyRequest,
  reply: FastifyReply,
  page: { data: T[]; nextCursor: string | null },
  columns: ReadonlyArray<keyof T & string>,
): FastifyReply {
  const rows = page.data.map((record) => columns.map((c) => cell(record[c])));
  const body = stringify([[...columns] as string[], ...rows], { record_delimiter: 'windows' });
  if (page.nextCursor) {
    const url = new URL(request.url, 'http://localhost');
    url.searchParams.set('cursor', page.nextCursor);
    reply.header('link', `<${url.pathname}${url.search}>; rel="next"`);
  }
  return reply.type(CSV_CONTENT_TYPE).send(body);
}
