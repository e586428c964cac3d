import Fastify from 'fastify';
import pg from 'pg';

/**
 * The baseline of bench/read: what reading one customer costs with nothing of ours around it.
 * Fastify without a logger, a pg pool of 10 (the app's pool size), the same single-row select
 * of the whole customers row, answered as JSON (Fastify's default serialiser). No auth, no
 * rate limit, no ETag, no value figures.
 */
const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL');
const pool = new pg.Pool({ connectionString: url, max: 10 });
const app = Fastify({ logger: false });

app.get('/healthz', async () => ({ status: 'ok' }));
app.get<{ Params: { id: string } }>('/customers/:id', async (request, reply) => {
  const { rows } = await pool.query('SELECT * FROM customers WHERE id = $1', [request.params.id]);
  if (rows.length === 0) return reply.code(404).send({ status: 404 });
  return rows[0] as Record<string, unknown>;
});

const close = async () => {
  await app.close();
  await pool.end();
  process.exit(0);
};
process.on('SIGTERM', () => void close());
process.on('SIGINT', () => void close());

app.listen({ port: Number(process.env.PORT ?? 3001), host: '127.0.0.1' }).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
