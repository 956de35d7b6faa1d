/**
 * Random numbers inside the graph: each execution draws fresh values from tsflux's global generator,
 * so a compiled plan (a training step with Dropout, say) gets a new draw every run.
 */
import { numel } from "../shape";
import type { OpDef } from "./types";
import { globalRng } from "../random";
import type { RandomAttrs } from "./attrs";
export type { RandomAttrs } from "./attrs";

export const randomUniformOp: OpDef<RandomAttrs> = {
  name: "randomUniform", arity: 0,
  infer: (_ins, { shape, dtype }) => ({ shape, dtype }),
  kernel: ({ output }) => {
    const n = numel(output.shape);
    return (out) => {
      const d = out.data, o = out.offset;
      for (let i = 0; i < n; i++) d[o + i] = globalRng.next();
    };
  },
  flops: ({ output }) => numel(output.shape),
  printAttrs: () => "",
  // random draws do not depend on anything differentiable
  jvp: () => null,
  transpose: () => [],
};
