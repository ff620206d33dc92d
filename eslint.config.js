import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // Its classes must be made optimizable before anything uses them (packages/edxml/src/libxml2.ts).
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'libxml2-wasm', message: 'Import libxml2-wasm from @vanban/edxml/libxml2 (inside packages/edxml: ./libxml2.js).' },
          ],
          patterns: [{ group: ['libxml2-wasm/*'], message: 'Import libxml2-wasm from @vanban/edxml/libxml2.' }],
        },
      ],
    },
  },
  { files: ['packages/edxml/src/libxml2.ts'], rules: { 'no-restricted-imports': 'off' } },
);
