import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The layers of docs/design.md, enforced: each entry names what a folder may not import.
const layer = (files, patterns) => ({
  files,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
});

const APP_FOLDERS = [
  '**/app',
  '**/server',
  '**/config',
  '**/modules/**',
  '**/plugins/**',
  '**/http/**',
  '**/db/**',
  '**/cli/**',
];
const IO_PACKAGES = [
  'fastify',
  'fastify-*',
  '@fastify/*',
  'knex',
  'knex-*',
  'pg',
  'pg-*',
  'pino',
  '@electric-sql/*',
];

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'data', 'coverage', 'test/client/openapi-types.ts', 'jest.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  layer(
    ['src/domain/**/*.ts'],
    [
      {
        group: [...APP_FOLDERS, ...IO_PACKAGES],
        message: 'src/domain is pure: plain data in, values out (docs/design.md).',
      },
    ],
  ),
  layer(
    ['src/db/**/*.ts'],
    [
      {
        group: ['**/app', '**/modules/**', '**/plugins/**', '**/http/**'],
        message: 'src/db is the bottom layer: it knows no module, plugin or HTTP helper (docs/design.md).',
      },
    ],
  ),
  layer(
    ['src/modules/**/routes.ts', 'src/modules/**/*-routes.ts'],
    [
      {
        group: ['**/repository', '**/*-repository', '**/db/**', 'knex'],
        message: 'A route calls its service, never a repository or the database (docs/design.md).',
      },
    ],
  ),
  layer(
    ['src/plugins/**/*.ts', 'src/http/**/*.ts'],
    [
      {
        group: ['**/modules/**', '**/app'],
        message: 'Plugins and HTTP helpers are cross-cutting: they know no resource module (docs/design.md).',
      },
    ],
  ),
);
