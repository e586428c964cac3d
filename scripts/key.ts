import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/prepare-database';
import { ApiKeyRepository } from '../src/modules/api-keys/repository';
import { ApiKeyService, type ApiKeyView } from '../src/modules/api-keys/service';
import { SCOPES } from '../src/plugins/scopes';

const HELP = `npm run key -- <command>: API keys, straight in the configured database
(DATABASE_URL, else the embedded one in DATA_DIR), for when no admin key is at hand.

  create --admin [--name NAME]          a new admin key, printed once
  create --scopes a,b [--name NAME]     a key with only these scopes
  list                                  every key: id, name, prefix, scopes, revoked
  revoke <id>                           revoke a key (other servers stop taking it within
                                        AUTH_CACHE_TTL_MS)

Scopes: ${SCOPES.join(', ')}.
The embedded database can be open in one process only: stop the server first (npm start),
or, while it runs, create keys through POST /v1/api-keys with an admin key.
`;

class UsageError extends Error {}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        admin: { type: 'boolean', default: false },
        scopes: { type: 'string' },
        name: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
})();

function scopesAsked(): string[] {
  if (values.admin && values.scopes) throw new UsageError('Give --admin or --scopes, not both.');
  if (values.admin) return ['admin'];
  if (!values.scopes) throw new UsageError('create needs --admin or --scopes a,b.');
  const scopes = values.scopes
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0 || scopes.length === 0)
    throw new UsageError(
      `Unknown scope ${unknown.join(', ') || '(none given)'}; scopes: ${SCOPES.join(', ')}.`,
    );
  return scopes;
}

function line(key: ApiKeyView): string {
  const state = key.revokedAt ? `revoked ${key.revokedAt}` : 'active';
  return `${key.id}  ${key.prefix}  ${state.padEnd(32)}  ${key.scopes.join(',')}  ${key.name}`;
}

async function run(apiKeys: ApiKeyService, command: string | undefined): Promise<void> {
  switch (command) {
    case 'create': {
      const scopes = scopesAsked();
      const name = values.name ?? (values.admin ? 'admin (npm run key)' : 'npm run key');
      const { view, key } = await apiKeys.create(name, scopes, null);
      process.stdout.write(
        `Created key ${view.id} "${view.name}" with ${view.scopes.join(', ')}. Its secret is shown only now:\n\n  ${key}\n\n`,
      );
      return;
    }
    case 'list': {
      let after: string | undefined;
      for (;;) {
        const page = await apiKeys.list(500, after);
        for (const key of page) process.stdout.write(`${line(key)}\n`);
        if (page.length < 500) return;
        after = page[page.length - 1]!.id;
      }
    }
    case 'revoke': {
      const id = positionals[1];
      if (!id) throw new UsageError('revoke needs the key id (npm run key -- list shows them).');
      process.stdout.write(`${line(await apiKeys.revoke(id))}\n`);
      return;
    }
    default:
      throw new UsageError(command ? `Unknown command "${command}".` : 'No command given.');
  }
}

async function main(): Promise<void> {
  const command = positionals[0];
  if (values.help || command === 'help') {
    process.stdout.write(HELP);
    return;
  }
  if (!['create', 'list', 'revoke'].includes(command ?? '')) {
    throw new UsageError(command ? `Unknown command "${command}".` : 'No command given.');
  }
  // Check the arguments before the database is opened (and migrated).
  if (command === 'create') scopesAsked();
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const db = await openDatabase(config);
  try {
    await run(new ApiKeyService(new ApiKeyRepository(db.knex), () => new Date(), 0), command);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n\n${HELP}`);
    process.exit(2);
  }
  // A locked data directory (DataDirLockedError) or an unknown id says what to do: no stack.
  process.stderr.write(`npm run key: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
