/**
 * Where the rest of the package finds op blocks by name. `ops/registry.ts` assembles the blocks and
 * installs them here when the package loads; this file imports no block, so the builder (`api/`), the
 * IR printer and the executor can look ops up without importing the rules that call the builder.
 */
import { GraphError } from "../errors";
import type { OpDef } from "./types";
import type { AttrsOf, OpName } from "./attrs";

/** Every op's block, by name. */
export type OpTable = { readonly [K in OpName]: OpDef<AttrsOf[K]> };

let installed: OpTable | undefined;

/** Makes `ops` the table `opDef` reads (called once, by the registry). */
export function installOps(ops: OpTable): void {
  installed = ops;
}

/** The block of a registered op, typed by its attributes (visitors look it up from a node's `op`). */
export function opDef<K extends OpName>(name: K): OpDef<AttrsOf[K]> {
  if (installed === undefined) throw new GraphError("no op is registered: import @tsflux/graph (its index loads ops/registry.ts)");
  const def = installed[name];
  if (def === undefined) throw new GraphError(`no op named '${String(name)}' is registered`);
  return def;
}
