// Prettier settings chosen to match how the code is already written, so the
// one-time reformat stays small: single quotes, semicolons, trailing commas,
// parentheses around every arrow parameter, two-space indentation. Lines run
// long here (tables of cases, log calls); 140 columns is the 99th percentile
// of the current lines. `npm run format` covers TypeScript and JavaScript only:
// Markdown tables and the deployment YAML are laid out by hand.
/** @type {import('prettier').Config} */
export default {
  singleQuote: true,
  semi: true,
  trailingComma: 'all',
  arrowParens: 'always',
  printWidth: 140,
};
