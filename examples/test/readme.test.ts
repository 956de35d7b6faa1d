/** The README's snippets are real code: each TypeScript block is extracted, run, and must not throw. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";

const root = join(__dirname, "..", "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

test("the README has TypeScript snippets", () => {
  expect(blocks.length).toBeGreaterThanOrEqual(2);
});

test.each(blocks.map((b, i) => [i + 1, b] as const))("README snippet %i runs", (_i, code) => {
  const dir = mkdtempSync(join(tmpdir(), "tsflux-readme-"));
  const file = join(dir, "snippet.ts");
  writeFileSync(file, code);
  execFileSync(process.execPath, [join(root, "scripts/run-ts.mjs"), file], { encoding: "utf8", cwd: root, stdio: "pipe" });
});
