/**
 * Jest runs the project as CommonJS through ts-jest. `typebox`, `openapi-fetch` and `content-disposition` (under @fastify/static) ship ES
 * modules only, so ts-jest transforms them too (allowJs); PGlite's dynamic import() needs
 * --experimental-vm-modules, which the npm test script sets.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  transform: {
    '^.+\\.(ts|mjs|js)$': [
      'ts-jest',
      { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false, ignoreCodes: [151002] } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(typebox|openapi-fetch|content-disposition)/)'],
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  // Generous: on 2 busy cores a fresh PGlite plus migrations can take tens of seconds.
  testTimeout: 120000,
  maxWorkers: 2,
};
