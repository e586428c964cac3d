import type { Response } from 'supertest';

/**
 * Asserts an RFC 9457 problem document with the given status and code, and that it leaks no
 * stack trace or SQL. Answers the body for further checks.
 */
export function expectProblem(res: Response, status: number, code?: string) {
  if (res.status !== status)
    throw new Error(`expected ${status}, got ${res.status}: ${res.text.slice(0, 600)}`);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(res.text) as {
    type: string;
    title: string;
    status: number;
    detail: string;
    instance: string;
    code: string;
    errors?: Array<{ path: string; message: string; index?: number }>;
  };
  expect(body).toEqual(
    expect.objectContaining({
      type: expect.any(String),
      title: expect.any(String),
      status,
      detail: expect.any(String),
      instance: expect.any(String),
      code: expect.any(String),
    }),
  );
  if (code !== undefined) expect(body.code).toBe(code);
  expect(res.text).not.toMatch(/\bat .+\.(ts|js):\d+|select |insert into|update "|node_modules/i);
  return body;
}

/** Asserts a 400 validation problem whose `errors` include one at `path` (exact or prefix). */
export function expectValidation(res: Response, ...paths: string[]) {
  const body = expectProblem(res, 400);
  expect(Array.isArray(body.errors)).toBe(true);
  for (const e of body.errors ?? []) {
    expect(typeof e.path).toBe('string');
    expect(typeof e.message).toBe('string');
  }
  for (const path of paths) {
    expect(body.errors?.map((e) => e.path)).toEqual(expect.arrayContaining([expect.stringContaining(path)]));
  }
  return body;
}
