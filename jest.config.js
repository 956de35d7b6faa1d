/** Tests run against the TypeScript sources; `@tsflux/<pkg>` resolves to `packages/<pkg>/src`. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/packages", "<rootDir>/examples", "<rootDir>/scripts"],
  testMatch: ["**/test/**/*.test.ts"],
  transform: { "^.+\\.tsx?$": "<rootDir>/scripts/jest-esbuild-transform.cjs" },
  moduleFileExtensions: ["ts", "tsx", "js", "cjs", "json"],
  moduleNameMapper: {
    "^@tsflux/([a-z-]+)$": "<rootDir>/packages/$1/src/index.ts",
    "^@tsflux/([a-z-]+)/(.+)$": "<rootDir>/packages/$1/src/$2/index.ts",
  },
  setupFiles: ["<rootDir>/scripts/jest-setup.ts"],
  testTimeout: 60000,
};
