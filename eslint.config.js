// ESLint (flat config) with typescript-eslint. The plugins come from tools/lint, the lint
// toolchain's own package (see tools/lint/README.md); `npm run lint` runs this and the
// import-boundary rules (.dependency-cruiser.cjs).
import { globals, js, reactHooks, tseslint } from './tools/lint/index.js';

/** Browser globals core/ must not touch: it runs in Node for every transport. */
const DOM_GLOBALS = ['window', 'document', 'navigator', 'location', 'localStorage', 'sessionStorage', 'HTMLElement', 'Element', 'XMLHttpRequest', 'EventSource'];

export default tseslint.config(
  { ignores: ['dist/**', '.tsbuild/**', 'node_modules/**', 'tools/lint/node_modules/**', 'test/e2e/screenshots/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_name` marks a value kept on purpose (a destructured field left out, a parameter of a fixed signature).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', ...DOM_GLOBALS.map((name) => ({ name, message: 'core/ runs in Node for every transport: no DOM' }))],
    },
  },
);
