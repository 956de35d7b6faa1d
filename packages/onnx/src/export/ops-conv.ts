/**
 * Export rules of convolution and pooling. Data `[spatial..., C, N]` column-major is ONNX `[N, C,
 * spatial reversed...]`, and a filter `[k..., Cin/groups, Cout]` is ONNX `[Cout, Cin/groups, k reversed...]`:
 * the same bytes, so shapes need no transpose; only the per-dim attributes are reversed. tsflux's `conv`
 * flips the kernel (true convolution, Flux's Conv) while ONNX Conv cross-correlates: a flipped kernel is
 * written as a reversed copy of a parameter, or a Gather of the reversed indices of a computed filter.
 */
import type { Node, Value } from "@tsflux/graph";
import { reverseSpatial } from "../reverse-spatial";
import type { Attrs, ExportContext, ExportRule } from "./context";
import { OnnxError } from "../errors";

interface Window { stride: readonly number[]; pad: readonly number[]; dilation?: readonly number[] }

/** Spatial attributes in ONNX order: tsflux lists dim 1 (W) first, ONNX lists H before W. */
function onnxWindow(a: Window): { strides: number[]; pads: number[]; dilations?: number[] } {
  const nsp = a.stride.length;
  const lo = Array.from({ length: nsp }, (_, i) => a.pad[2 * i]!).reverse();
  const hi = Array.from({ length: nsp }, (_, i) => a.pad[2 * i + 1]!).reverse();
  return { strides: [...a.stride].reverse(), pads: [...lo, ...hi], ...(a.dilation ? { dilations: [...a.dilation].reverse() } : {}) };
}

/** The ONNX name of filter `w` with its spatial dims reversed. */
function flippedFilter(w: Value, ctx: ExportContext): string {
  const nsp = w.shape.length - 2;
  const source = ctx.sourceOf(w);
  if (source) return ctx.initializer(ctx.fresh(`${source.name}.flipped`), reverseSpatial(source.array, nsp), w.dtype);
  // each spatial axis read backwards: Gather with indices k-1, ..., 0 (ONNX axis 2 + j is tsflux dim nsp - j)
  let name = ctx.name(w);
  for (let j = 0; j < nsp; j++) {
    const k = w.shape[nsp - 1 - j]!;
    name = ctx.emit("Gather", [name, ctx.int64(Array.from({ length: k }, (_, i) => k - 1 - i))], { axis: 2 + j });
  }
  return name;
}

const filterName = (w: Value, flip: boolean, ctx: ExportContext) => (flip ? flippedFilter(w, ctx) : ctx.name(w));

/**
 * The bias to take into a conv-like node as its ONNX input B: when the node's only use is `y + reshape(b)`
 * of a parameter b of one value per output channel (Flux's bias), as a PyTorch export writes Conv(x, W, B).
 */
function fusedBias(n: Node, ctx: ExportContext): { bias: Value; add: Node } | undefined {
  const users = ctx.usersOf(n.output), rank = n.output.shape.length, channels = n.output.shape[rank - 2]!;
  const add = users.length === 1 && users[0]!.op === "add" && !ctx.graph.outputs.includes(n.output) ? users[0] : undefined;
  if (!add || add.inputs.length !== 2 || add.inputs[0] === add.inputs[1] || add.output.shape.join() !== n.output.shape.join()) return undefined;
  let b = add.inputs[0] === n.output ? add.inputs[1]! : add.inputs[0]!;
  if (b.producer?.op === "broadcastTo") b = b.producer.inputs[0]!;
  const bias = b.producer?.op === "reshape" ? b.producer.inputs[0]! : undefined;
  const perChannel = b.shape.length === rank && b.shape.every((d, i) => d === (i === rank - 2 ? channels : 1));
  return bias && perChannel && bias.shape.length === 1 && ctx.sourceOf(bias) ? { bias, add } : undefined;
}

/** Emits a conv-like ONNX node; with a fused bias (see fusedBias) the add's output is the node's own. */
function emitConv(n: Node, ctx: ExportContext, opType: string, inputs: string[], attrs: Attrs): string {
  const fused = fusedBias(n, ctx);
  const y = ctx.emit(opType, fused ? [...inputs, ctx.name(fused.bias)] : inputs, attrs);
  if (fused) ctx.bind(fused.add.output, y);
  return y;
}


/** True when a pooling window covers the whole unpadded input once: a global pool. */
const isGlobal = (x: Value, a: { window: readonly number[]; pad: readonly number[] }) =>
  a.window.every((k, i) => k === x.shape[i]) && a.pad.every((p) => p === 0);

function pool(opType: "MaxPool" | "AveragePool", globalType: string, extra: Record<string, number>): ExportRule {
  return {
    emit: (n, ctx) => {
      const a = n.attrs as { window: readonly number[]; stride: readonly number[]; pad: readonly number[] };
      const x = n.inputs[0]!;
      if (isGlobal(x, a)) return ctx.emit(globalType, [ctx.name(x)]);
      return ctx.emit(opType, [ctx.name(x)], { kernel_shape: [...a.window].reverse(), ...onnxWindow(a), ...extra });
    },
  };
}

export const convRules: Record<string, ExportRule> = {
  conv: {
    emit: (n, ctx) => {
      if (n.op !== "conv") throw new OnnxError(`toOnnx: the conv rule got a ${n.op} node`);
      const a = n.attrs;
      const [x, w] = n.inputs as [Value, Value];
      return emitConv(n, ctx, "Conv", [ctx.name(x), filterName(w, a.flip, ctx)], { ...onnxWindow(a), group: a.groups, kernel_shape: w.shape.slice(0, -2).reverse() });
    },
  },

  // the data adjoint of conv is ONNX's ConvTranspose (the adjoint of its cross-correlation), as Flux's ConvTranspose computes
  convData: {
    emit: (n, ctx) => {
      if (n.op !== "convData") throw new OnnxError(`toOnnx: the convData rule got a ${n.op} node`);
      const a = n.attrs;
      const [dy, w] = n.inputs as [Value, Value];
      const nsp = w.shape.length - 2;
      // the spatial size the conv's floor lost: output = stride (in - 1) + dilated kernel - pads + output_padding
      const outputPadding = a.spatial.map((s, i) =>
        s - (a.stride[i]! * (dy.shape[i]! - 1) + a.dilation[i]! * (w.shape[i]! - 1) + 1 - a.pad[2 * i]! - a.pad[2 * i + 1]!));
      const attrs = { ...onnxWindow(a), group: a.groups, kernel_shape: w.shape.slice(0, nsp).reverse(), output_padding: outputPadding.reverse() };
      return emitConv(n, ctx, "ConvTranspose", [ctx.name(dy), filterName(w, a.flip, ctx)], attrs);
    },
  },

  maxpool: pool("MaxPool", "GlobalMaxPool", {}),
  // NNlib's meanpool divides by the whole window, padding included
  meanpool: pool("AveragePool", "GlobalAveragePool", { count_include_pad: 1 }),
};
