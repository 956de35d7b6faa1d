// PyTorch side by side (optional): runs peers/torch_bench.py with Debian's python3 when `import torch`
// works there, else returns null and the bench says so. PyTorch is never needed by `npm test`.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const here = new URL(".", import.meta.url).pathname;
const python = process.env.TORCH_PYTHON ?? "/usr/bin/python3";

/** Medians for the named workloads ({ W2: steps/s, W4: samples/s, W5: steps/s }), or null without PyTorch. */
export function torchRates(workloads) {
  const probe = spawnSync(python, ["-c", "import torch"], { encoding: "utf8" });
  if (probe.status !== 0) return null;
  const r = spawnSync(python, [join(here, "peers", "torch_bench.py"), ...workloads], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`PyTorch bench failed: ${r.stderr.slice(-500)}`);
  return JSON.parse(r.stdout.trim().split("\n").pop());
}
