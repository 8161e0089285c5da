// ESLint (flat config): typescript-eslint's recommended, type-aware rules for src/, the plain
// recommended set for tests, benchmarks and scripts; formatting is Prettier's job (eslint-config-prettier
// turns off the rules that would fight it). The layering rules live in test/unit/architecture.test.ts.
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {ignores: ['dist/', 'node_modules/', 'lab/work/', 'bench/out/', 'test/corpus/lab/', 'test/fixtures/']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {parserOptions: {projectService: true, tsconfigRootDir: import.meta.dirname}},
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', {fixStyle: 'inline-type-imports'}],
      '@typescript-eslint/no-floating-promises': 'error',
      // async functions that only satisfy an interface (oclif's catch, lazy factories) need no await
      '@typescript-eslint/require-await': 'off',
      'no-console': 'error',
      // terminal and log cleaning matches control characters on purpose
      'no-control-regex': 'off',
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'},
      ],
      eqeqeq: ['error', 'smart'],
      'prefer-const': 'error',
      'no-control-regex': 'off',
    },
  },
  {
    files: ['bin/**/*.js', 'lab/**/*.js', 'test/helpers/*.mjs'],
    languageOptions: {globals: {process: 'readonly', console: 'readonly', URL: 'readonly'}},
  },
  prettier,
)
