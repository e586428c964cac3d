import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { generateOpenApiDocument } from './openapi-document';

const root = path.resolve(__dirname, '..');

/** Runs the openapi-typescript CLI, as a third-party frontend would, on a document file. */
export function generateClientTypes(documentPath: string, outputPath: string): void {
  execFileSync(path.join(root, 'node_modules/.bin/openapi-typescript'), [documentPath, '-o', outputPath], {
    stdio: 'pipe',
  });
}

/** `npm run openapi`: writes openapi/openapi.json and the client types the tests compile against. */
async function main(): Promise<void> {
  const documentPath = path.join(root, 'openapi/openapi.json');
  fs.writeFileSync(documentPath, `${JSON.stringify(await generateOpenApiDocument(), null, 2)}\n`);
  generateClientTypes(documentPath, path.join(root, 'test/client/openapi-types.ts'));
  process.stdout.write('wrote openapi/openapi.json and test/client/openapi-types.ts\n');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
