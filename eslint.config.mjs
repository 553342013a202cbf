// One lint configuration for the whole repository (issue 15): typescript-eslint's recommended rules for every
// TypeScript file and the rules of hooks for the mini-app's React code. `npm run lint` runs it; `npm test` too.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'miniapp/config/**', 'coverage/**', 'bench/**', 'e2e/screenshots/**', '**/*.js', '**/*.cjs', '**/*.mjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Unused arguments keep a signature readable (route handlers, callbacks); a leading _ marks them.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // Hostile-input checks match NUL and other control characters on purpose (lib/validation.ts, lib/files.ts, imports).
      'no-control-regex': 'off',
    },
  },
  {
    // Tests read JSON bodies loosely; production code types its rows.
    files: ['**/*.test.ts', '**/*.test.tsx', 'e2e/**/*.ts', 'server/test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['miniapp/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
);
