// Runs a TypeScript entry point against the package sources: `node scripts/run-ts.mjs file.ts [args...]`.
import { build } from "esbuild";
import { createHash } from "node:crypto";
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
// one bundle per entry path, so runs of two entries with the same file name do not collide
const outfile = join(outdir, `${basename(entry).replace(/\.ts$/, "")}-${createHash("sha1").update(resolve(entry)).digest("hex").slice(0, 8)}.cjs`);
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
