/**
 * The update plan of a state tree, built once and cached: the distinct Leaves in order (each with its
 * parameter's layout and room for its gradients), the key list of every state node, and the scratch
 * buffers. `collect` then walks state, model and gradient together on every update, checking everything
 * and recording each Leaf's parameter and gradients, without allocating.
 */
import { DTypeError, isFloatArray, isNdarray, juliaName, numel, ShapeError, type FloatArray, type NdArray } from "@tsflux/graph";
import { OptimiserError, TreeMismatchError } from "../errors";
import { floatKind, kernelStrides, scratchBuffer } from "../layout";
import { Step } from "../step";
import { Leaf, leafMeta, type LeafMeta } from "./leaf";
import { describe, formatPath } from "./path";

/** One distinct Leaf of the tree, and what the current update found for it. */
export class Entry {
  /** Where the Leaf was first found, for messages. */
  readonly path: string;
  meta: LeafMeta | undefined;
  /** The parameter found this update (all occurrences of a Leaf must be the same array). */
  x: NdArray | null = null;
  /** The non-null gradients found this update, one slot per occurrence of the Leaf. */
  readonly grads: (NdArray | null)[];
  count = 0;

  constructor(readonly leaf: Leaf, path: string, occurrences: number) {
    this.path = path;
    this.meta = leafMeta(leaf);
    this.grads = new Array<NdArray | null>(occurrences).fill(null);
  }

  get n(): number {
    return this.meta === undefined ? 0 : numel(this.meta.shape);
  }
}

/** Per state node: whether any Leaf lies below it, and its keys (null for arrays). */
interface NodeInfo {
  readonly live: boolean;
  readonly keys: readonly string[] | null;
}

const EMPTY = new Float64Array(0);


export class Plan {
  readonly entries: Entry[] = [];
  readonly byLeaf = new Map<Leaf, Entry>();
  readonly info = new Map<object, NodeInfo>();
  /** The keys from the root to the node being visited (for messages). */
  readonly keys: (string | number)[] = [];
  /** Set when the walk meets a node or Leaf the plan does not know: the tree was edited, rebuild. */
  stale = false;
  /**
   * Count a gradient array met again at another use of the same Leaf once, not twice: set for a
   * Duplicated's shadow, whose tied arrays hold the whole gradient (Optimisers.jl prunes repeats there).
   */
  pruneRepeats = false;
  maxN = 0;
  /**
   * Scratch buffers, [Float64, Float32] each: `g` for gathered or summed gradients, `x` for gathered
   * parameters, `s` for the rules themselves.
   */
  readonly buffers: Record<"g" | "x" | "s", [FloatArray, FloatArray]> = { g: [EMPTY, EMPTY], x: [EMPTY, EMPTY], s: [EMPTY, EMPTY] };

  /** Where the current Leaf's gradient and parameter are read, in kernel order (set by update). */
  gArr: FloatArray = EMPTY;
  gOff = 0;
  xArr: FloatArray = EMPTY;
  xOff = 0;
  /** The arrays handed to the rule of the Leaf being stepped (refilled for each Leaf). */
  readonly step = new Step();

  path(depth: number): string {
    return formatPath(this.keys, depth);
  }

  /**
   * A scratch buffer of at least n elements in the parameter's element type (sized for the largest Leaf,
   * allocated on first use).
   */
  buffer(which: "g" | "x" | "s", n: number, f32: boolean): FloatArray {
    const pair = this.buffers[which], i = f32 ? 1 : 0;
    if (pair[i].length < n) pair[i] = scratchBuffer(Math.max(n, this.maxN), f32);
    return pair[i];
  }
}

/** Builds the plan of a state tree (cold path: allocation is fine here). */
export function buildPlan(root: unknown): Plan {
  const p = new Plan();
  const counts = new Map<Leaf, number>();
  const firstPath = new Map<Leaf, string>();
  const seen = new Set<object>();
  const visit = (s: unknown, keys: (string | number)[]): boolean => {
    if (s instanceof Leaf) {
      counts.set(s, (counts.get(s) ?? 0) + 1);
      if (!firstPath.has(s)) firstPath.set(s, formatPath(keys));
      return true;
    }
    if (typeof s !== "object" || s === null || isNdarray(s) || ArrayBuffer.isView(s)) {
      throw new OptimiserError(`update: the first argument must be the state tree from setup, but it holds ${describe(s)} at ${formatPath(keys)}`);
    }
    if (seen.has(s)) throw new OptimiserError(`update: the state tree contains a cycle at ${formatPath(keys)}`);
    seen.add(s);
    let live = false;
    if (Array.isArray(s)) {
      s.forEach((c, i) => { live = visit(c, [...keys, i]) || live; });
      p.info.set(s, { live, keys: null });
    } else {
      const ks = Object.keys(s);
      for (const k of ks) live = visit((s as Record<string, unknown>)[k], [...keys, k]) || live;
      p.info.set(s, { live, keys: ks });
    }
    seen.delete(s);
    return live;
  };
  visit(root, []);
  for (const [leaf, occurrences] of counts) {
    const e = new Entry(leaf, firstPath.get(leaf)!, occurrences);
    p.entries.push(e);
    p.byLeaf.set(leaf, e);
    p.maxN = Math.max(p.maxN, e.n);
  }
  return p;
}

function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

function isObjectNode(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x) && !isNdarray(x) && !ArrayBuffer.isView(x);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The model's own enumerable keys match the state node's exactly. */
function sameKeys(m: Record<string, unknown>, keys: readonly string[]): boolean {
  let count = 0;
  for (const k in m) if (hasOwn(m, k)) count++;
  if (count !== keys.length) return false;
  for (let i = 0; i < keys.length; i++) if (!hasOwn(m, keys[i]!)) return false;
  return true;
}

/** A key of the gradient object that the state node does not have, or null. */
function extraKey(g: Record<string, unknown>, s: object): string | null {
  for (const k in g) if (hasOwn(g, k) && !hasOwn(s, k)) return k;
  return null;
}

function modelMismatch(p: Plan, depth: number, expected: string, got: string): TreeMismatchError {
  return new TreeMismatchError(
    `update: the state tree does not match the model at ${p.path(depth)}: expected ${expected}, ` +
    `the model has ${got} (was the state set up for another model?)`);
}

function gradMismatch(p: Plan, depth: number, expected: string, g: unknown): TreeMismatchError {
  const hint = depth === 0 && Array.isArray(g) ? " (pass gradient(...)[0], the gradient of the model, not the whole result)" : "";
  return new TreeMismatchError(`update: the gradient tree does not match the model at ${p.path(depth)}: expected ${expected}, got ${describe(g)}${hint}`);
}

/** Visits a Leaf: checks the parameter against what the Leaf was set up for, and records its gradient. */
function collectLeaf(p: Plan, leaf: Leaf, m: unknown, g: unknown, depth: number): void {
  const e = p.byLeaf.get(leaf);
  if (e === undefined) {
    p.stale = true;
    return;
  }
  if (!isFloatArray(m)) throw modelMismatch(p, depth, "a Float32 or Float64 parameter array", describe(m));
  if (e.meta === undefined) {
    e.meta = { shape: [...m.shape], dtype: floatKind(m), order: kernelStrides(m) };
    p.maxN = Math.max(p.maxN, e.n);
  }
  const meta = e.meta;
  if (!sameShape(m.shape, meta.shape) || floatKind(m) !== meta.dtype) {
    throw modelMismatch(p, depth, `a ${juliaName(meta.dtype)} array [${meta.shape.join(", ")}] as at setup`, describe(m));
  }
  if (e.x === null) e.x = m;
  else if (e.x !== m) {
    throw new TreeMismatchError(`update: ${p.path(depth)} shares its Leaf with ${e.path}, but the model has different arrays there (the state was set up with them tied)`);
  }
  if (g === undefined) throw gradMismatch(p, depth, "a gradient array or null", g);
  if (g === null) return;
  if (!isNdarray(g)) throw gradMismatch(p, depth, `a gradient array [${meta.shape.join(", ")}] or null`, g);
  if (!isFloatArray(g)) throw new DTypeError(`update: the gradient at ${p.path(depth)} is ${describe(g)}; gradients must be Float32 or Float64 arrays`);
  if (!sameShape(g.shape, meta.shape)) {
    throw new ShapeError(`update: the gradient at ${p.path(depth)} has shape [${g.shape.join(", ")}], but the parameter has shape [${meta.shape.join(", ")}]`);
  }
  if (p.pruneRepeats) for (let j = 0; j < e.count; j++) if (e.grads[j] === g) return;
  if (e.count === e.grads.length) {
    p.stale = true;
    return;
  }
  e.grads[e.count++] = g;
}

/**
 * Walks the state tree `s`, the model `m` and the gradient tree `g` together. Throws, naming the path, at
 * the first mismatch; `null` in `g` means "no gradient" below that point. Allocates nothing.
 */
export function collect(p: Plan, s: unknown, m: unknown, g: unknown, depth: number): void {
  if (s instanceof Leaf) {
    collectLeaf(p, s, m, g, depth);
    return;
  }
  const info = typeof s === "object" && s !== null ? p.info.get(s) : undefined;
  if (info === undefined) {
    p.stale = true;
    return;
  }
  if (!info.live) return;
  if (g === undefined) throw gradMismatch(p, depth, "a gradient (or null) for this branch", g);
  const keys = info.keys;
  if (keys === null) {
    const sa = s as readonly unknown[];
    if (!Array.isArray(m) || m.length !== sa.length) throw modelMismatch(p, depth, `an array of length ${sa.length}`, describe(m));
    if (g !== null && (!Array.isArray(g) || g.length !== sa.length)) {
      throw gradMismatch(p, depth, `an array of length ${sa.length} or null`, g);
    }
    for (let i = 0; i < sa.length; i++) {
      p.keys[depth] = i;
      collect(p, sa[i], m[i], g === null ? null : (g as readonly unknown[])[i], depth + 1);
    }
    return;
  }
  const so = s as Record<string, unknown>;
  if (!isObjectNode(m)) throw modelMismatch(p, depth, `an object with keys [${keys.join(", ")}]`, describe(m));
  if (!sameKeys(m, keys)) {
    throw modelMismatch(p, depth, `an object with keys [${keys.join(", ")}]`, `${describe(m)} with keys [${Object.keys(m).join(", ")}]`);
  }
  let go: Record<string, unknown> | null = null;
  if (g !== null) {
    if (!isObjectNode(g)) throw gradMismatch(p, depth, `an object with keys [${keys.join(", ")}] or null`, g);
    const extra = extraKey(g, so);
    if (extra !== null) {
      throw new TreeMismatchError(`update: the gradient tree has a key "${extra}" at ${p.path(depth)} that the model does not have`);
    }
    go = g;
  }
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    p.keys[depth] = k;
    collect(p, so[k], m[k], go === null ? null : hasOwn(go, k) ? go[k] : undefined, depth + 1);
  }
}
