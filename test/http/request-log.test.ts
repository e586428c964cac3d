import { Writable } from 'node:stream';
import Fastify from 'fastify';
import supertest from 'supertest';
import { RequestLogController } from '../../src/http/request-log';

/** A Fastify instance logging through RequestLogController into an array of parsed lines. */
function appLoggingTo(lines: Array<Record<string, unknown>>) {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  const app = Fastify({ logger: { level: 'info', stream }, logController: new RequestLogController() });
  app.get('/things/:id', async (request) => ({ id: (request.params as { id: string }).id }));
  app.get('/broken', async () => {
    throw new Error('boom');
  });
  return app;
}

describe('request logging', () => {
  it('writes one line per request, when it completes, with what an access log needs', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const app = appLoggingTo(lines);
    await app.ready();
    await supertest(app.server).get('/things/7?x=1').expect(200);
    await app.close();
    const requestLines = lines.filter((l) => l.reqId);
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toMatchObject({
      level: 30,
      msg: 'request completed',
      method: 'GET',
      url: '/things/7?x=1',
      statusCode: 200,
    });
    expect(typeof requestLines[0]!.responseTime).toBe('number');
    expect(requestLines[0]!.ip).toBeDefined();
  });

  it('still logs a failed request, with its status', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const app = appLoggingTo(lines);
    await app.ready();
    await supertest(app.server).get('/broken').expect(500);
    await app.close();
    const completed = lines.filter((l) => l.msg === 'request completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({ url: '/broken', statusCode: 500 });
    // Fastify's default error handler logs the error itself, with its stack.
    expect(lines.some((l) => l.level === 50 && (l.err as { message?: string })?.message === 'boom')).toBe(
      true,
    );
  });
});
