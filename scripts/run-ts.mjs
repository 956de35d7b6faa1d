// Runs a TypeScript entry point against the package sources: `node scripts/run-ts.mjs file.ts [args...]`.
import { build } from "esbuild";
import { mkdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const root = new URL("..", import.meta.url).pathname;
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error("usage: node scripts/run-ts.mjs <file.ts> [args...]");
  process.exit(2);
}
const outdir = join(root, "node_modules", ".cache", "run-ts");
mkdirSync(outdir, { recursive: true });
const outfile = join(outdir, basename(entry).replace(/\.ts$/, ".cjs"));
const sourcesPlugin = {
  name: "tsflux-sources",
  setup(b) {
    b.onResolve({ filter: /^@tsflux\/[a-z-]+(\/.*)?$/ }, ({ path }) => {
      const [, pkg, sub] = path.match(/^@tsflux\/([a-z-]+)(?:\/(.*))?$/);
      return { path: join(root, "packages", pkg, "src", sub ? `${sub}/index.ts` : "index.ts") };
    });
  },
};
await build({
  entryPoints: [resolve(entry)],
  outfile,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  packages: "external",
  plugins: [sourcesPlugin],
  sourcemap: "inline",
  logLevel: "warning",
});
process.argv = [process.argv[0], resolve(entry), ...args];
await import(pathToFileURL(outfile).href);
