import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['node_modules/', '.next/', 'dist/', 'data/', 'test-results/', 'playwright-report/', 'next-env.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mts}'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='only'][callee.object.name=/^(test|it|describe)$/]",
          message: 'A focused test hides the rest of the suite.',
        },
      ],
    },
  },
  {
    files: ['**/*.{js,cjs}'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The embed's host-page script: a classic browser script, run on other sites.
    files: ['server/embed/embed.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { window: 'readonly', document: 'readonly', getComputedStyle: 'readonly', URL: 'readonly', URLSearchParams: 'readonly', MutationObserver: 'readonly' },
    },
  },
  {
    // The counts' host-page script (docs/embed.md, "Comment counts"): a classic browser script too.
    files: ['server/counts/count.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { window: 'readonly', document: 'readonly', URL: 'readonly', URLSearchParams: 'readonly', fetch: 'readonly', EventSource: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', console: 'readonly', MutationObserver: 'readonly' },
    },
  },
  {
    // Playwright reads a fixture's dependencies from its first parameter's destructuring, even when empty.
    files: ['e2e/**/*.ts'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    // lib/ is the domain: it must not depend on the web framework or the socket server.
    files: ['lib/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['next', 'next/*', 'react', 'react-dom', 'socket.io', 'socket.io-client'], message: 'lib/ holds the domain: no Next.js, React or Socket.IO here.' },
            { group: ['../../server/*', '../server/*', '../../app/*', '../app/*'], message: 'lib/ must not import from server/ or app/.' },
          ],
        },
      ],
    },
  },
);
