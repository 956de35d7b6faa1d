// Bundles each package with esbuild; `tsc -b` writes the .d.ts files. Per package and entry (index, and
// testing where there is one):
// - dist/cjs: the one runtime for Node. All entries live in one bundle (runtime.cjs) and each entry file
//   re-exports its part, so `@tsflux/graph` and `@tsflux/graph/testing` share one Tensor class and one
//   WebAssembly heap.
// - dist/esm: ES module wrappers re-exporting the CommonJS runtime by name, so `import` and `require` in
//   one process also share it (no dual-package hazard).
// - dist/browser: ES modules for browsers (code split, so entries share one runtime); a source file with a
//   sibling `<name>.browser.ts` is replaced by it, and Node built-ins are refused.
// (dist/types/**/index.d.mts, the declarations for `import`, are written by type-shims.mjs before `tsc -b`.)
import { build } from "esbuild";
import { readFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
/** The workspaces, in the root package.json's order (dependencies first). */
const packages = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).workspaces.map((w) => w.replace(/^packages\//, ""));

/** Resolves `./x` to `./x.browser.ts` when that file exists next to `x.ts`. */
const browserFiles = {
  name: "browser-files",
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, ({ path, resolveDir }) => {
      const candidate = join(resolveDir, `${path}.browser.ts`);
      return existsSync(candidate) ? { path: candidate } : undefined;
    });
  },
};

/** Fails the browser build on any Node built-in, naming the importer. */
const noNodeBuiltins = {
  name: "no-node-builtins",
  setup(b) {
    b.onResolve({ filter: /^node:/ }, ({ path, importer }) => ({
      errors: [{ text: `${path} is a Node built-in, imported on the browser path by ${relative(root, importer)}` }],
    }));
  },
};

const common = { bundle: true, sourcemap: true, logLevel: "warning", metafile: true };

/** Export names of each entry, from an ES module build's metafile. */
function exportsByEntry(metafile, outdir) {
  const names = {};
  for (const [file, out] of Object.entries(metafile.outputs)) {
    if (!out.entryPoint) continue;
    names[relative(outdir, join(root, file)).replace(/\.mjs$/, "")] = out.exports;
  }
  return names;
}

function write(file, text) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

for (const name of packages) {
  const dir = join(root, "packages", name);
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  if (!existsSync(join(dir, "src/index.ts"))) {
    console.log(`skipped @tsflux/${name}: no src/index.ts yet`);
    continue;
  }
  const entries = { index: join(dir, "src/index.ts") };
  if (existsSync(join(dir, "src/testing/index.ts"))) entries.testing = join(dir, "src/testing/index.ts");
  const external = [...Object.keys(pkg.dependencies ?? {}), "@tsflux/*"];
  const nodeOnly = pkg.bin !== undefined;

  // the browser build (or, for a node-only package, an ESM build kept in memory) gives each entry's export names
  const browserDir = join(dir, "dist", "browser");
  const esm = await build({
    ...common,
    entryPoints: entries,
    outdir: browserDir,
    outExtension: { ".js": ".mjs" },
    format: "esm",
    splitting: true,
    platform: nodeOnly ? "node" : "browser",
    target: nodeOnly ? "node20" : "es2022",
    external: nodeOnly ? [...external, "node:*"] : external,
    plugins: nodeOnly ? [] : [browserFiles, noNodeBuiltins],
    write: !nodeOnly,
  });
  const names = exportsByEntry(esm.metafile, browserDir);

  const cjsDir = join(dir, "dist", "cjs");
  const cjsOptions = { ...common, outdir: cjsDir, outExtension: { ".js": ".cjs" }, format: "cjs", platform: "node", target: "node20", external: [...external, "node:*"] };
  // every entry's exports are a plain object (no __esModule flag), so what TypeScript allows for CommonJS
  // (`import graph from "@tsflux/graph"` with esModuleInterop: the whole module) is also what runs
  const contents = Object.entries(entries).map(([entry, file]) => `export * as ${entry} from ${JSON.stringify(file)};`).join("\n");
  await build({ ...cjsOptions, stdin: { contents, resolveDir: dir, sourcefile: "runtime.ts", loader: "ts" }, outfile: join(cjsDir, "runtime.cjs"), outdir: undefined });
  for (const entry of Object.keys(entries)) {
    write(join(cjsDir, `${entry}.cjs`), `"use strict";\n// one runtime for every entry: see runtime.cjs\nmodule.exports = require("./runtime.cjs").${entry};\n`);
  }

  for (const [entry, exported] of Object.entries(names)) {
    const bindings = exported.length ? `export const {\n  ${exported.join(",\n  ")},\n} = runtime;\n` : "";
    write(join(dir, "dist", "esm", `${entry}.mjs`), `// ES module face of the CommonJS runtime (one Tensor class and heap for import and require)\nimport runtime from "../cjs/${entry}.cjs";\n${bindings}`);
  }
}
console.log(`built ${packages.length} packages (cjs runtime, esm wrappers, browser)`);
