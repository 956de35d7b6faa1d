/** The runnable examples stay runnable: each is run as a user runs it, and its output checked. */
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const root = join(__dirname, "..", "..");
const run = (file: string): string => execFileSync(process.execPath, [join(root, "scripts/run-ts.mjs"), join(root, file)], { encoding: "utf8", cwd: root });

test("examples/enzyme-walkthrough.ts prints Flux's Duplicated show and agreeing gradients", () => {
  const out = run("examples/enzyme-walkthrough.ts");
  expect(out).toContain(
    [
      "Duplicated(",
      "  Chain(",
      "    Dense(784 => 32, σ),                # 25_120 parameters",
      "    Dense(32 => 10),                    # 330 parameters",
      "    softmax,",
      "  ),",
      "  # norm(∇) ≈ 0.0",
      ")                   # Total: 4 arrays, 25_450 parameters, 198.828 KiB.",
    ].join("\n"),
  );
  expect(out).toContain("gradsF[0].layers[0].weight is a view of the shadow: true");
  expect(out).toContain("Flux-style and Enzyme-style gradients agree: true");
  expect(out).toMatch(/train: 1 step, loss \d\.\d{4}/);
});
