import { isDatabaseUnavailable, translateDatabaseError } from '../../src/http/translate-database-error';

/** The shapes in which pg, knex, Node and PGlite report a database that cannot be reached. */
describe('translateDatabaseError: the database unreachable', () => {
  const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });
  const knexTimeout = Object.assign(
    new Error('Knex: Timeout acquiring a connection. The pool is probably full.'),
    {
      name: 'KnexTimeoutError',
    },
  );

  it.each([
    ['connection refused', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['connection reset', withCode('ECONNRESET')],
    ['a dual-stack connect refused twice', Object.assign(new AggregateError([withCode('ECONNREFUSED')]), {})],
    ['the socket closed mid-query', new Error('select 1 - Connection terminated unexpectedly')],
    ['no answer within the connect timeout', new Error('timeout expired')],
    ['the server shutting down', withCode('57P01', 'terminating connection due to administrator command')],
    ['the server starting up', withCode('57P03', 'the database system is starting up')],
    ['too many connections', withCode('53300', 'sorry, too many clients already')],
    ['a connection exception', withCode('08006', 'connection failure')],
    ['the pool acquire timeout', knexTimeout],
    ['the pool destroyed', new Error('Unable to acquire a connection')],
    ['the embedded database closed', new Error('PGlite is closed')],
    ['a wrapped cause', new Error('outer', { cause: withCode('ECONNREFUSED') })],
  ])('%s is 503 database_unavailable with Retry-After', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    const problem = translateDatabaseError(error);
    expect(problem?.status).toBe(503);
    expect(problem?.code).toBe('database_unavailable');
    expect(problem?.headers?.['Retry-After']).toMatch(/^\d+$/);
  });

  it.each([
    ['a unique violation', withCode('23505')],
    ['a statement timeout', withCode('57014')],
    ['a programming error', new TypeError('x is not a function')],
    ['a message that merely mentions a timeout', new Error('the import timeout expired for row 3')],
  ])('%s is not', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
    expect(translateDatabaseError(error)?.code).not.toBe('database_unavailable');
  });
});
