// The packages as a user gets them: packs every workspace, installs the tarballs in a fresh project
// (dependencies from the npm cache that `npm ci` filled), then runs an ES module script, a CommonJS
// script, a mixed one, a TypeScript consumer under `nodenext` (ESM and CJS files) and `bundler`
// (declaration: true, skipLibCheck: false), and attw and publint on every package.
// `node scripts/consumer-check.mjs [--keep]` (the build must be current: `npm run build`).
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const fixtures = join(root, "scripts", "consumer");
const bin = (name) => join(root, "node_modules", ".bin", name);
const work = mkdtempSync(join(tmpdir(), "tsflux-consumer-"));
const tarballs = join(work, "tarballs"), project = join(work, "project");
const timings = [];

function run(label, cmd, args, cwd = project) {
  const start = performance.now();
  process.stdout.write(`consumer-check: ${label}\n`);
  try {
    const out = execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } });
    if (out.trim()) process.stdout.write(`${out.trim().split("\n").map((l) => `  ${l}`).join("\n")}\n`);
  } catch (e) {
    process.stdout.write(`${e.stdout ?? ""}${e.stderr ?? ""}\n`);
    throw new Error(`consumer-check: ${label} failed`, { cause: e });
  }
  timings.push(`${label} ${((performance.now() - start) / 1000).toFixed(1)} s`);
}

let failed = false;
mkdirSync(tarballs);
mkdirSync(project);
try {
  run("pack the workspaces", "npm", ["pack", "--workspaces", "--pack-destination", tarballs, "--silent"], root);
  const packed = readdirSync(tarballs).filter((f) => f.endsWith(".tgz")).map((f) => join(tarballs, f));
  const workspaces = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).workspaces;
  if (packed.length !== workspaces.length) throw new Error(`expected ${workspaces.length} tarballs (one per workspace), got ${packed.length}`);

  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "tsflux-consumer", version: "1.0.0", private: true }, null, 2));
  run("install the tarballs", "npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", ...packed]);
  for (const f of readdirSync(fixtures)) copyFileSync(join(fixtures, f), join(project, f));
  copyFileSync(join(fixtures, "typed.mts"), join(project, "typed-cjs.cts"));
  copyFileSync(join(fixtures, "typed.mts"), join(project, "typed-bundler.ts"));
  copyFileSync(join(fixtures, "default-esm.mts"), join(project, "default-bundler.ts"));

  run("an ES module script", process.execPath, ["esm.mjs"]);
  run("a CommonJS script", process.execPath, ["cjs.cjs"]);
  run("ES modules and CommonJS in one process", process.execPath, ["mixed.mjs"]);
  run("TypeScript, nodenext (ESM and CJS files)", bin("tsc"), ["-p", "tsconfig.nodenext.json"]);
  for (const out of ["typed.mjs", "typed-cjs.cjs", "default-cjs.cjs"]) run(`the compiled ${out}`, process.execPath, [join("out", "nodenext", out)]);
  run("TypeScript, bundler", bin("tsc"), ["-p", "tsconfig.bundler.json"]);
  for (const tgz of packed) run(`attw ${tgz.split("/").pop()}`, bin("attw"), [tgz, "--format", "table-flipped"]);
  for (const pkg of ["graph", "layers", "optim", "enzyme-compat", "cli"]) {
    run(`publint @tsflux/${pkg}`, bin("publint"), [join(project, "node_modules", "@tsflux", pkg), "--pack", "false", "--strict"]);
  }
} catch (e) {
  failed = true;
  console.error(e.message);
} finally {
  console.log(`consumer-check timings: ${timings.join(", ")}`);
  if (process.argv.includes("--keep")) console.log(`consumer-check: kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
console.log(failed ? "consumer-check: FAILED" : "consumer-check: all passed");
process.exit(failed ? 1 : 0);
