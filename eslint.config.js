// The linter for the hand-written code (codegen/, runtime/, tools/, test/, bench/, scripts/):
// typescript-eslint's type-aware recommended rules. Generated code (generated/, the grammars'
// parsers) and outputs are not linted: the generator's tests hold them.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'generated/**',
      'node_modules/**',
      'test-artifacts/**',
      '.cache/**',
      'spec/**',
      'test/fixtures/**',
      '**/*.parser.js',
      '**/*.parser.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  { languageOptions: { globals: globals.node } },
  // An AbortSignal's reason is `any` by its type, and is what a cancelled call must reject with.
  {
    rules: {
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      '@typescript-eslint/only-throw-error': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      // Leaving a member out of a copy by destructuring it away names it.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  // vitest's asymmetric matchers (expect.any, expect.objectContaining, …) are typed `any`.
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-unsafe-assignment': 'off' } },
  // Type tests are compile-time assertions: values kept only for their types, @ts-expect-error
  // lines that use what does not exist on purpose.
  {
    files: ['test/types/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-redundant-type-constituents': 'off',
    },
  },
  // Plain JavaScript (bin/, scripts/, the bench runner) is outside the TypeScript project.
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
);
