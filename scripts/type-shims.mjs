// Writes dist/types/<entry>.d.mts for every package entry: the declarations for `import` (ES modules),
// re-exporting the .d.ts files `tsc -b` writes. They must exist before `tsc -b`, since the packages
// resolve each other through their exports maps. `node scripts/type-shims.mjs` (the build runs it).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const packages = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).workspaces;

for (const pkg of packages) {
  const types = join(root, pkg, "dist", "types");
  for (const [source, shimDir] of [["src/index.ts", types], ["src/testing/index.ts", join(types, "testing")]]) {
    if (!existsSync(join(root, pkg, source))) continue;
    mkdirSync(shimDir, { recursive: true });
    writeFileSync(join(shimDir, "index.d.mts"), `export * from "./index.js";\n`);
  }
}
