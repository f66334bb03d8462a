// ESLint flat config: typescript-eslint's type-aware recommended rules over
// every TypeScript file the root tsconfig.json type-checks (sources, tests,
// e2e, bench, tools), plus ESLint's recommended rules for the few
// JavaScript files. Formatting is Prettier's job: eslint-config-prettier turns
// off the rules that would fight it. Every departure from the presets below
// says why.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'URL', 'Buffer', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate'].map((g) => [
    g,
    'readonly',
  ]),
);

export default tseslint.config(
  { ignores: ['**/node_modules/', '**/dist/', '**/coverage/', 'bench/results/', 'models/', '.cache/', 'tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // One program for the whole tree: the root tsconfig.json includes every TypeScript file.
      parserOptions: { project: ['./tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Dialog actions, ports and their test doubles are `async` without an
      // `await` on purpose: they implement Promise-returning interfaces, and
      // `async` turns a throw into the rejection their callers handle.
      '@typescript-eslint/require-await': 'off',
      // A leading underscore marks a parameter or binding kept for its
      // position (Express's four-argument error handler) or dropped from a
      // rest spread (`{ _internal, ...stored }`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    // Tests, e2e, benchmarks and the deploy validator walk JSON and YAML
    // documents (Graph API payloads, Kubernetes manifests, job data) whose
    // shape is the thing they assert; typing every walk would restate the
    // schemas they check. Shipping code (*/src) keeps these rules.
    files: ['*/test/**/*.ts', 'e2e/**/*.ts', 'bench/**/*.ts', 'tools/deploy-check/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // The NLU's normaliser strips control characters with a regular expression on purpose.
    files: ['workers/src/nlu/normalize.ts'],
    rules: {
      'no-control-regex': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { ...nodeGlobals, require: 'readonly', module: 'writable', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
