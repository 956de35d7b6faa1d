/** The graph `gradient` would compile for these arguments (forward and adjoint nodes), for inspection. */
import { reverseGraph, type Graph } from "@tsflux/graph";
import { shadowedArg } from "./arguments";
import { pickLoss } from "./loss";

/** Takes the same arguments as `gradient` (Duplicated/Const); print it with String(graph) or toDot(graph). */
export function gradientGraph(f: (...args: never[]) => unknown, ...args: unknown[]): Graph {
  return reverseGraph(f, args.map(shadowedArg), { activeReturn: true, loss: (r) => pickLoss("gradientGraph", r), accumulate: false });
}
