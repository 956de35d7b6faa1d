// ESLint for tsflux: typescript-eslint's recommended rules on the sources, tests, scripts and examples.
// Run from the repository root: `npm run lint` (after `npm run lint:install`).
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/generated/**", "packages/graph/wasm/build/**", "out/**", "docs/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,mts,cts,mjs,cjs,js}"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // `_name` marks a parameter or binding that is there for its position only
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" }],
      // dependencies loaded on first use (the CLI's 41 MB digits, esbuild, Graphviz) and kernels loaded after generation
      "@typescript-eslint/no-require-imports": ["error", { allow: ["^mnist$", "^esbuild$", "^@viz-js/viz$", "/kernels/wasm/index$"] }],
      // kernel dispatch calls `fn.apply(null, args)` with a preallocated argument array on hot paths
      "prefer-spread": "off",
    },
  },
  // CommonJS files require
  { files: ["**/*.cjs"], rules: { "@typescript-eslint/no-require-imports": "off" } },
  // type-level tests bind values only to look at their types
  { files: ["**/*.typecheck.ts"], rules: { "@typescript-eslint/no-unused-vars": "off" } },
  // tests match ANSI colour codes
  { files: ["**/test/**"], rules: { "no-control-regex": "off" } },
);
