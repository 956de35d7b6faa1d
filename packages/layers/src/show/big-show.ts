/**
 * The multi-line form Flux prints at the REPL (`_big_show` in Flux's `src/layers/show.jl`): containers
 * open on their own line with children indented by 2, each layer with parameters gets a comment at
 * column 40 (20 for a lone top-level layer), and the outermost container ends with a Total line when
 * the model has more than two trainable arrays.
 */
import { Tensor, childrenOf, formatBytes, isNdarray, numel, toFlatArray, type NdArray } from "@tsflux/graph";
import { hasShowChildren, showChildren, type ShowChild } from "./protocol";
import { compactString, typeName } from "./compact";
import { arraySummary, underscorise } from "./format";
import { allArrays, isPlainObject, isTreeNode, trainableChildren, trainables } from "../tree";
import { arrayBytes } from "../arrays";

/** Options of `bigShow`: a wrapper around the tree, the bytes to report, and how comments are written. */
export interface BigShowOptions {
  /** Print `x` as the only child of a wrapper that opens with `pre`, e.g. "Duplicated(" (Flux's `_show_pre_post`). */
  pre?: string;
  /** With `pre`: what closes the wrapper, padded to 2 characters, e.g. "  # norm(∇) ≈ 0.0\n) "; default ")". */
  post?: string;
  /** Bytes for the Total line, e.g. a model plus its shadow; default: every array of `x`, each once. */
  bytes?: number;
  /** Styles the comments (grey in a terminal); default: plain text. */
  comment?: (text: string) => string;
}

interface Expansion {
  readonly pre: string;
  readonly post: string;
  readonly children: readonly ShowChild[];
}

/** The children the multi-line form lists: a layer's own choice, else array elements or named fields. */
function showChildrenOf(x: unknown): readonly ShowChild[] | null {
  if (hasShowChildren(x)) return x[showChildren]();
  if (!isTreeNode(x)) return [];
  if (Array.isArray(x)) return x.map((value) => ({ value }));
  return trainableChildren(x).map(([name, value]) => ({ name: String(name), value }));
}

/** Values that never open their own block: non-nodes, arrays of numbers or arrays, objects without fields. */
function isLeaflike(x: unknown): boolean {
  if (!isTreeNode(x)) return true;
  if (Array.isArray(x)) return x.every((e) => typeof e === "number" || isNdarray(e) || e instanceof Tensor);
  return childrenOf(x).length === 0;
}

function preAndPost(x: object): [string, string] {
  if (Array.isArray(x)) return ["[", "]"];
  if (isPlainObject(x)) return ["(;", ")"];
  return [`${typeName(x)}(`, ")"];
}

/** How `x` opens into a block, or undefined when it prints on one line. */
function expansion(x: unknown): Expansion | undefined {
  const children = showChildrenOf(x);
  if (children === null || children.every((c) => isLeaflike(c.value))) return undefined;
  const [pre, post] = preAndPost(x as object);
  return { pre, post, children };
}

const total = (arrays: readonly NdArray[]): number => arrays.reduce((n, a) => n + numel(a.shape), 0);

/** Flux's `_nan_show`: a note when every parameter is zero, or some is NaN or infinite. */
function valueNote(params: readonly NdArray[]): string {
  const values = params.flatMap((a) => toFlatArray(a));
  if (values.length > 0 && values.every((v) => v === 0)) return "  (all zero)";
  if (values.some(Number.isNaN)) return "  (some NaN)";
  if (values.some((v) => !Number.isFinite(v))) return "  (some Inf)";
  return "";
}

class Printer {
  text = "";

  constructor(private readonly comment: (text: string) => string) {}

  /** `x` at `indent` inside a block (children end with a comma). */
  nested(x: unknown, indent: number, name: string | undefined): void {
    const block = expansion(x);
    if (!block) return this.layerLine(x, indent, name);
    this.text += `${" ".repeat(indent)}${name === undefined ? "" : `${name} = `}${block.pre}\n`;
    for (const child of block.children) this.nested(child.value, indent + 2, child.name);
    this.text += `${" ".repeat(indent)}${block.post},\n`;
  }

  /** Flux's `_layer_show`: one line, with a parameter comment when the value holds trainable arrays. */
  layerLine(x: unknown, indent: number, name: string | undefined): void {
    const body = isNdarray(x) || x instanceof Tensor ? arraySummary(x) : compactString(x);
    const str = `${name === undefined ? "" : `${name} = `}${body}`;
    this.text += `${" ".repeat(indent)}${str}${indent === 0 ? "" : ","}`;
    const params = trainables(x);
    if (params.length > 0) {
      const pad = Math.max(2, (indent === 0 ? 20 : 39) - indent - [...str].length);
      const trainable = new Set(params);
      const others = total(allArrays(x).filter((a) => !trainable.has(a)));
      const plus = others > 0 ? `, plus ${underscorise(others)}${indent === 0 ? " non-trainable" : ""}` : "";
      this.text += " ".repeat(pad) + this.comment(`# ${underscorise(total(params))} parameters${plus}${valueNote(params)}`);
    }
    if (indent !== 0) this.text += "\n";
  }

  /** Flux's `_big_finale`: the Total line(s), only for more than two trainable arrays. */
  finale(x: unknown, bytesOverride: number | undefined): void {
    const params = trainables(x);
    if (params.length <= 2) return;
    const arrays = allArrays(x);
    const trainable = new Set(params);
    const others = arrays.filter((a) => !trainable.has(a));
    const bytes = formatBytes(bytesOverride ?? arrays.reduce((n, a) => n + arrayBytes(a), 0));
    const count = underscorise(total(params));
    if (others.length === 0) {
      this.text += " ".repeat(18) + this.comment(`# Total: ${params.length} arrays, `) + `${count} parameters, ${bytes}.`;
      return;
    }
    this.text += " ".repeat(8) + this.comment(`# Total: ${params.length} trainable arrays, `) + `${count} parameters,\n`;
    this.text += " ".repeat(10) + this.comment(`# plus ${others.length} non-trainable, ${underscorise(total(others))} parameters, summarysize `) + `${bytes}.`;
  }
}

/**
 * The multi-line form of a model, exactly as Flux prints it at the REPL. With `pre`/`post` the model is
 * shown inside a wrapper (enzyme-compat's Duplicated); `bytes` overrides what the Total line reports.
 *
 * @example
 * bigShow(model, { pre: "Duplicated(", post: "  # norm(∇) ≈ 0.0\n) ", bytes: modelBytes + shadowBytes });
 * // Duplicated(
 * //   Chain(
 * //     Dense(784 => 32, σ),                # 25_120 parameters
 * //     Dense(32 => 10),                    # 330 parameters
 * //     softmax,
 * //   ),
 * //   # norm(∇) ≈ 0.0
 * // )                   # Total: 4 arrays, 25_450 parameters, 198.828 KiB.
 */
export function bigShow(x: unknown, opts: BigShowOptions = {}): string {
  const printer = new Printer(opts.comment ?? ((text) => text));
  const block = opts.pre !== undefined ? { pre: opts.pre, post: opts.post ?? ")", children: [{ value: x }] } : expansion(x);
  if (!block) {
    printer.layerLine(x, 0, undefined);
    return printer.text;
  }
  printer.text += `${block.pre}\n`;
  for (const child of block.children) printer.nested(child.value, 2, child.name);
  printer.text += block.post.padEnd(2);
  printer.finale(x, opts.bytes);
  return printer.text;
}
