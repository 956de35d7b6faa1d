/** `tsflux` as a process (what `npm run tsflux -- ...` runs): real exit codes, stdout and stderr. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const root = join(__dirname, "..", "..", "..");
const tsflux = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, "scripts/run-ts.mjs"), join(root, "packages/cli/src/cli.ts"), ...args], { cwd: root, encoding: "utf8" });

test("success: exit 0, the graph on stdout, nothing on stderr", () => {
  const r = tsflux("graph", "examples/graph-script.ts", "--grad");
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^# gradient graph of graph-script\.ts: \d+ nodes, /);
});

test("a bad path: exit 1 and the message on stderr", () => {
  const r = tsflux("train", "examples/no-such-experiment.ts");
  expect(r.status).toBe(1);
  expect(r.stdout).toBe("");
  expect(r.stderr).toBe('error: cannot find "examples/no-such-experiment.ts"\n');
});

test("a bad flag: exit 1, commander's message and a pointer to --help", () => {
  const r = tsflux("graph", "examples/graph-script.ts", "--format", "png");
  expect(r.status).toBe(1);
  expect(r.stderr).toBe("error: option '-f, --format <format>' argument 'png' is invalid. Allowed choices are text, dot, svg, json.\n(run with --help for usage)\n");
});
