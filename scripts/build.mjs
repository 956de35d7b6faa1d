// Bundles each package to ESM (.mjs) and CommonJS (.cjs) with esbuild; `tsc -b` writes the .d.ts files.
import { build } from "esbuild";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
/** The workspaces, in the root package.json's order (dependencies first). */
const packages = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).workspaces.map((w) => w.replace(/^packages\//, ""));

for (const name of packages) {
  const dir = join(root, "packages", name);
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  if (!existsSync(join(dir, "src/index.ts"))) {
    console.log(`skipped @tsflux/${name}: no src/index.ts yet`);
    continue;
  }
  const entries = { index: join(dir, "src/index.ts") };
  if (existsSync(join(dir, "src/testing/index.ts"))) entries.testing = join(dir, "src/testing/index.ts");
  const external = [...Object.keys(pkg.dependencies ?? {}), "@tsflux/*", "node:*"];
  for (const [format, ext] of [["esm", "mjs"], ["cjs", "cjs"]]) {
    await build({
      entryPoints: entries,
      outdir: join(dir, "dist", format),
      outExtension: { ".js": `.${ext}` },
      bundle: true,
      platform: "node",
      target: "node20",
      format,
      external,
      // a node-only package (one with a bin) may `require` lazily-loaded dependencies from its ESM build too
      banner: format === "esm" && pkg.bin ? { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' } : undefined,
      sourcemap: true,
      logLevel: "warning",
    });
  }
}
console.log(`built ${packages.length} packages (esm + cjs)`);
