/**
 * Trace and compile are linear in the graph: the work (counted, not timed: work-counter.ts) of tracing a
 * gradient, emitting its adjoints, compiling its plan and the whole first `gradient` call grows 4x when
 * the model grows 4x, for a chain of Dense layers, an unrolled LSTM and a chain of in-place updates
 * (whose derivatives read kept copies of overwritten values). Counted in a child process,
 * since counting replaces Array, Map and Set builtins.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const root = join(__dirname, "..", "..", "..");

test("the work of trace, adjoints and compile grows linearly with the model (4x the layers or steps: at most 4.4x the work)", () => {
  const r = spawnSync(process.execPath, [join(root, "scripts/run-ts.mjs"), join(__dirname, "compile-work-child.ts"), "16"], { cwd: root, encoding: "utf8" });
  expect(r.stderr).toBe("");
  const report = JSON.parse(r.stdout) as Record<string, Record<string, [number, number]>>;
  const { "control: indexOf per element": control, ...scenarios } = report;
  // the counter sees a quadratic pass: 4x the elements, 16x the work
  const [c1, c4] = control!.quadratic!;
  expect(c4 / c1).toBeGreaterThan(15);
  expect(Object.keys(scenarios)).toEqual(["Dense(16, 16, tanh) chain", "LSTM(16, 16) unrolled", "in-place updates (kept copies)"]);
  const superlinear: string[] = [];
  for (const [scenario, phases] of Object.entries(scenarios)) {
    expect(Object.keys(phases)).toEqual(["trace + adjoints", "compile", "first gradient call"]);
    for (const [phase, [small, large]] of Object.entries(phases)) {
      expect(small).toBeGreaterThan(1000);
      if (large / small > 4.4) superlinear.push(`${scenario}, ${phase}: ${small} -> ${large} (${(large / small).toFixed(2)}x)`);
    }
  }
  expect(superlinear).toEqual([]);
});
