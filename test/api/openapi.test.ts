import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateOpenApiDocument } from '../../scripts/openapi-document';
import { generateClientTypes } from '../../scripts/write-openapi';

const root = path.resolve(__dirname, '../..');
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

type Operation = {
  operationId?: string;
  summary?: string;
  tags?: string[];
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  requestBody?: { content?: Record<string, { schema?: { example?: unknown } }> };
};

let document: Record<string, unknown>;
beforeAll(async () => {
  document = await generateOpenApiDocument();
});

test('openapi/openapi.json is what the app generates (run `npm run openapi` after changing routes)', () => {
  const committed = JSON.parse(fs.readFileSync(path.join(root, 'openapi/openapi.json'), 'utf8'));
  expect(committed).toEqual(document);
});

test('the client types in test/client are generated from the current document', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openapi-'));
  fs.writeFileSync(path.join(dir, 'openapi.json'), JSON.stringify(document));
  generateClientTypes(path.join(dir, 'openapi.json'), path.join(dir, 'types.ts'));
  const committed = fs.readFileSync(path.join(root, 'test/client/openapi-types.ts'), 'utf8');
  expect(committed).toBe(fs.readFileSync(path.join(dir, 'types.ts'), 'utf8'));
});

test('every operation has an id, a summary, a tag and its problem+json error responses', () => {
  const paths = document.paths as Record<string, Record<string, Operation>>;
  const operations = Object.entries(paths).flatMap(([p, item]) =>
    METHODS.filter((m) => item[m]).map((m) => ({ name: `${m.toUpperCase()} ${p}`, op: item[m]! })),
  );
  expect(operations.length).toBeGreaterThan(20);
  for (const { name, op } of operations) {
    expect({
      name,
      operationId: Boolean(op.operationId),
      summary: Boolean(op.summary),
      tags: Boolean(op.tags?.length),
    }).toEqual({
      name,
      operationId: true,
      summary: true,
      tags: true,
    });
    const errors = Object.entries(op.responses ?? {}).filter(([status]) => /^[45]/.test(status));
    expect({ name, hasErrors: errors.length > 0 }).toEqual({ name, hasErrors: true });
    for (const [, response] of errors)
      expect(Object.keys(response.content ?? {})).toEqual(['application/problem+json']);
    const body = op.requestBody?.content?.['application/json']?.schema;
    if (body) expect({ name, example: body.example !== undefined }).toEqual({ name, example: true });
  }
});
