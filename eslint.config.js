// The rules `npm test` holds src/ to: small functions and readable lines. Formatting itself is
// prettier's (.prettierrc.json); the layers are dependency-cruiser's (.dependency-cruiser.cjs).
import tseslint from 'typescript-eslint';

export default tseslint.config({
  files: ['src/**/*.ts'],
  languageOptions: { parser: tseslint.parser },
  rules: {
    'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
    // Every line, strings included: a long message is a concatenation of pieces (search for a piece of it).
    'max-len': ['error', { code: 120, ignoreUrls: true }],
  },
});
