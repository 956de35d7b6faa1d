/** Export rules of constants, conversions and the identity-like ops (copy, stopGradient). */
import { onnxDataType, scalarData, tensorProto } from "../proto";
import type { ExportRule } from "./context";

/** An op that is its input at inference time. */
const alias: ExportRule = { emit: (n, ctx) => ctx.name(n.inputs[0]!) };

export const creationRules: Record<string, ExportRule> = {
  full: {
    emit: (n, ctx) => {
      const value = (n.attrs as { value: number }).value, dtype = n.output.dtype;
      if (n.output.shape.length === 0 || ctx.broadcastsImplicitly(n.output)) return ctx.scalar(value, dtype);
      const one = tensorProto("value", [1], dtype, scalarData(value, dtype));
      return ctx.emit("ConstantOfShape", [ctx.shapeTensor(ctx.dims(n.output))], { value: one });
    },
  },
  astype: { emit: (n, ctx) => ctx.emit("Cast", [ctx.name(n.inputs[0]!)], { to: onnxDataType(n.output.dtype) }) },
  copy: alias,
  stopGradient: alias,
};
