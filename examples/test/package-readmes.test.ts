/** Every package's README shows a runnable example: each TypeScript block is extracted, run, and must not throw. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";

const root = join(__dirname, "..", "..");
const packages = ["graph", "layers", "optim", "enzyme-compat", "cli"];
const blocksOf = (pkg: string) => [...readFileSync(join(root, "packages", pkg, "README.md"), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

test.each(packages)("@tsflux/%s has a README with an install line, an example and the license", (pkg) => {
  const readme = readFileSync(join(root, "packages", pkg, "README.md"), "utf8");
  expect(readme.startsWith(`# @tsflux/${pkg}\n`)).toBe(true);
  expect(readme).toContain(`npm install @tsflux/${pkg}`);
  expect(blocksOf(pkg).length).toBeGreaterThanOrEqual(1);
  expect(readFileSync(join(root, "packages", pkg, "LICENSE"), "utf8")).toBe(readFileSync(join(root, "LICENSE"), "utf8"));
});

const snippets = packages.flatMap((pkg) => blocksOf(pkg).map((code, i) => [pkg, i + 1, code] as const));
test.each(snippets)("@tsflux/%s README snippet %i runs", (_pkg, _i, code) => {
  const dir = mkdtempSync(join(tmpdir(), "tsflux-pkg-readme-"));
  const file = join(dir, "snippet.ts");
  writeFileSync(file, code);
  execFileSync(process.execPath, [join(root, "scripts/run-ts.mjs"), file], { encoding: "utf8", cwd: root, stdio: "pipe" });
});
