/**
 * Export rules of the data-movement ops. A column-major array of shape [a, b, c] is, byte for byte, a
 * row-major array of shape [c, b, a]; so reshapes keep their (reversed) shapes and axes are mirrored.
 */
import { OnnxError } from "../errors";
import { isBatchDim, type Dim } from "./dims";
import type { ExportRule } from "./context";

/** End index meaning "to the end of the dim" (ONNX clamps ends to the dim). */
const TO_END = Number.MAX_SAFE_INTEGER;

const dimKey = (d: Dim): string => (isBatchDim(d) ? `${d.perBatch}N` : `${d}`);

export const movementRules: Record<string, ExportRule> = {
  reshape: {
    emit: (n, ctx) => {
      const from = ctx.dims(n.inputs[0]!), to = ctx.dims(n.output);
      // [N, C, H, W] -> [N, C*H*W] (Flux's flatten) is ONNX's Flatten, as PyTorch writes it
      if (from.length > 2 && to.length === 2 && dimKey(from[0]!) === dimKey(to[0]!)) return ctx.emit("Flatten", [ctx.name(n.inputs[0]!)], { axis: 1 });
      return ctx.emit("Reshape", [ctx.name(n.inputs[0]!), ctx.shapeTensor(to)]);
    },
  },

  permutedims: {
    emit: (n, ctx) => {
      const perm = (n.attrs as { perm: readonly number[] }).perm;
      const r = perm.length;
      // output dim i (tsflux) is input dim perm[i]; mirrored: ONNX output dim j reads ONNX input dim r-1-perm[r-1-j]
      const onnxPerm = perm.map((_, j) => r - 1 - perm[r - 1 - j]!);
      return ctx.emit("Transpose", [ctx.name(n.inputs[0]!)], { perm: onnxPerm });
    },
  },

  broadcastTo: {
    emit: (n, ctx) => {
      const x = ctx.name(n.inputs[0]!);
      // tsflux pads missing dims at the end, numpy at the front: the same rule on the reversed shapes
      return ctx.broadcastsImplicitly(n.output) ? x : ctx.emit("Expand", [x, ctx.shapeTensor(ctx.dims(n.output))]);
    },
  },

  slice: {
    emit: (n, ctx) => {
      const { start, stop, step } = n.attrs as { start: readonly number[]; stop: readonly number[]; step: readonly number[] };
      const x = n.inputs[0]!, dims = [...ctx.dims(x)].reverse(), r = dims.length;
      const starts: number[] = [], ends: number[] = [], axes: number[] = [], steps: number[] = [];
      dims.forEach((d, i) => {
        const whole = start[i] === 0 && step[i] === 1 && stop[i] === x.shape[i];
        if (whole) return;
        if (isBatchDim(d)) throw new OnnxError(`toOnnx: slice of the batch dim (dim ${i + 1} of ${x.shape.length}) cannot be exported with a symbolic batch; export with { batch: "static" }`);
        starts.push(start[i]!); ends.push(stop[i]! === x.shape[i] ? TO_END : stop[i]!); axes.push(ctx.axis(r, i)); steps.push(step[i]!);
      });
      const xs = ctx.name(x);
      if (axes.length === 0) return ctx.emit("Identity", [xs]);
      return ctx.emit("Slice", [xs, ctx.int64(starts), ctx.int64(ends), ctx.int64(axes), ctx.int64(steps)]);
    },
  },

  unslice: {
    emit: (n, ctx) => {
      const { start, step } = n.attrs as { start: readonly number[]; step: readonly number[] };
      const y = n.inputs[0]!, yDims = [...ctx.dims(y)].reverse(), outDims = [...ctx.dims(n.output)].reverse();
      if (step.some((s) => s !== 1)) throw new OnnxError(`toOnnx: op 'unslice' with a step other than 1 has no ONNX counterpart`);
      const before: number[] = [], after: number[] = [];
      outDims.forEach((d, i) => {
        const batch = isBatchDim(d) || isBatchDim(yDims[i]!);
        if (batch && (start[i] !== 0 || dimKey(d) !== dimKey(yDims[i]!))) {
          throw new OnnxError(`toOnnx: op 'unslice' pads the batch dim (dim ${i + 1}); export with { batch: "static" }`);
        }
        before.push(start[i]!);
        after.push(typeof d === "number" ? d - start[i]! - (y.shape[i] ?? 1) : 0);
      });
      const pads = [...before.reverse(), ...after.reverse()];
      return ctx.emit("Pad", [ctx.name(y), ctx.int64(pads)], { mode: "constant" });
    },
  },

  concat: {
    emit: (n, ctx) => {
      const r = n.output.shape.length, axis = (n.attrs as { axis: number }).axis;
      const parts = n.inputs.map((v) => {
        const name = ctx.name(v);
        if (v.shape.length === r) return name;
        // a lower-rank input counts as padded with trailing 1s (tsflux), leading 1s in ONNX
        const padded = [...Array<number>(r - v.shape.length).fill(1), ...ctx.dims(v)];
        return ctx.emit("Reshape", [name, ctx.shapeTensor(padded)]);
      });
      return ctx.emit("Concat", parts, { axis: ctx.axis(r, axis) });
    },
  },
};
