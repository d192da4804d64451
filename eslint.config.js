// Lint: the recommended rules of ESLint and typescript-eslint, the type-aware rules that matter
// for this code (no floating promises, consistent type imports), React's hooks rules for the
// console, and the direction of imports between layers (ARCHITECTURE.md). Formatting is
// prettier's job (npm run format:check).
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

// Our top-level folders under src/, and the service layer among them (ARCHITECTURE.md).
const SERVICES = [
  'provisioning',
  'directory',
  'sessions',
  'credentials',
  'sso',
  'events',
  'webhooks',
  'identity-provider',
]
const TOP = ['domain', 'scim', 'store', ...SERVICES, 'http', 'cli', 'console']

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'dist/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: {
        console: 'readonly',
        process: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        structuredClone: 'readonly',
        fetch: 'readonly',
        crypto: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        Response: 'readonly',
        Request: 'readonly',
        Headers: 'readonly',
        NodeJS: 'readonly',
        performance: 'readonly',
        queueMicrotask: 'readonly',
      },
    },
    rules: {
      // `_name` marks a parameter kept for its position (Fastify handlers, callbacks).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: [
                'describe',
                'it',
                'test',
                'suite',
                'before',
                'after',
                'beforeEach',
                'afterEach',
              ],
            },
          ],
        },
      ],
      // Fastify and node:test accept async callbacks where their types say void.
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, properties: false } },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-import-type-side-effects': 'error',
    },
  },
  {
    files: ['src/console/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
  {
    // The console runs in the browser and talks to Rollcall over HTTP only: of src/ it may import
    // types of the domain and of the admin API's schemas, nothing else (STYLE.md).
    files: ['src/console/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(domain|http/routes/api)/',
              allowTypeImports: true,
              message: 'The console may only `import type` from src/domain and the admin API.',
            },
            {
              regex: `^(\\.\\./)+(${[
                'scim',
                'store',
                'provisioning',
                'directory',
                'sessions',
                'credentials',
                'sso',
                'http/(?!routes/api/)',
                'cli',
                'errors\\.ts',
                'config\\.ts',
                'server\\.ts',
                'runtime\\.ts',
              ].join('|')})`,
              message: 'The console talks to Rollcall over the admin API only (STYLE.md).',
            },
          ],
        },
      ],
    },
  },
  ...layers([
    // Imports point inward: http, sso, cli -> services -> store -> scim -> domain.
    { folder: 'src/domain', may: [] },
    { folder: 'src/scim', may: ['domain'] },
    { folder: 'src/store', may: ['domain', 'scim'] },
    {
      folder: `{${SERVICES.map((name) => `src/${name}`).join(',')}}`,
      may: ['domain', 'scim', 'store', ...SERVICES],
    },
  ]),
)

/**
 * One no-restricted-imports block per layer: a file in `folder` may import, of our own top-level
 * folders, only those in `may` (and its own). Files at the top of src/ (config, errors) are open to all.
 */
function layers(rules) {
  return rules.map(({ folder, may }) => {
    const own = (name) => folder.includes(`src/${name}`)
    const banned = TOP.filter((name) => !may.includes(name) && !own(name))
    return {
      files: [`${folder}/**/*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              {
                regex: `^(\\.\\.?/)+(${banned.join('|')})/`,
                message:
                  'This import points outward; see ARCHITECTURE.md for the direction of imports.',
              },
              {
                regex: `^(\\.\\.?/)+(server|runtime)\\.ts$`,
                message: 'Only the entry points wire the runtime.',
              },
              ...(folder === 'src/domain' || folder === 'src/scim'
                ? [
                    {
                      regex: '^(kysely|fastify|pg|better-sqlite3)$',
                      message: 'Pure code: no SQL or HTTP here.',
                    },
                  ]
                : []),
            ],
          },
        ],
      },
    }
  })
}
