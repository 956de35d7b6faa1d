/** Export rules of the elementwise ops: unary math, binary arithmetic, comparisons and `where`. */
import type { Node } from "@tsflux/graph";
import type { ExportContext, ExportRule } from "./context";

/** An op that is one ONNX op of the same inputs. */
function direct(opType: string): ExportRule {
  return { broadcasts: true, emit: (n, ctx) => ctx.emit(opType, n.inputs.map((v) => ctx.name(v))) };
}

/** An op written as ONNX ops over its inputs' names. */
function composed(f: (x: readonly string[], ctx: ExportContext, n: Node) => string): ExportRule {
  return { broadcasts: true, emit: (n, ctx) => f(n.inputs.map((v) => ctx.name(v)), ctx, n) };
}

const one = (ctx: ExportContext, n: Node) => ctx.scalar(1, n.output.dtype);

export const elementwiseRules: Record<string, ExportRule> = {
  neg: direct("Neg"), abs: direct("Abs"), sign: direct("Sign"), sqrt: direct("Sqrt"), exp: direct("Exp"), log: direct("Log"),
  tanh: direct("Tanh"), sigmoid: direct("Sigmoid"), relu: direct("Relu"), softplus: direct("Softplus"),
  hardswish: direct("HardSwish"),
  abs2: composed(([x], ctx) => ctx.emit("Mul", [x!, x!])),
  expm1: composed(([x], ctx, n) => ctx.emit("Sub", [ctx.emit("Exp", [x!]), one(ctx, n)])),
  log1p: composed(([x], ctx, n) => ctx.emit("Log", [ctx.emit("Add", [x!, one(ctx, n)])])),
  add: direct("Add"), sub: direct("Sub"), mul: direct("Mul"), div: direct("Div"), pow: direct("Pow"), max: direct("Max"), min: direct("Min"),
  less: direct("Less"), lessEqual: direct("LessOrEqual"), greater: direct("Greater"), greaterEqual: direct("GreaterOrEqual"),
  equal: direct("Equal"),
  notEqual: composed((x, ctx) => ctx.emit("Not", [ctx.emit("Equal", x)])),
  where: direct("Where"),
};
