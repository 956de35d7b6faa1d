/**
 * A graph in the four forms `tsflux graph` writes: the IR as text with its statistics, Graphviz DOT,
 * SVG laid out by Graphviz itself (compiled to WebAssembly by @viz-js/viz, so it works offline), and
 * JSON for other tools.
 */
import { printNode, toDot, type Graph, type GraphStats, type Value } from "@tsflux/graph";
import { formatBytes } from "@tsflux/layers";

/** The formats `tsflux graph --format` writes. */
export const GRAPH_FORMATS = ["text", "dot", "svg", "json"] as const;
/** One of the formats `tsflux graph --format` writes. */
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

/** FLOPs with an SI prefix: `1.23 GFLOP`. */
export function formatFlops(flops: number): string {
  const prefixes = ["", "k", "M", "G", "T"];
  let k = 0;
  while (k < prefixes.length - 1 && Math.abs(flops) >= 1000 ** (k + 1)) k++;
  return `${k === 0 ? flops : (flops / 1000 ** k).toFixed(2)} ${prefixes[k]}FLOP`;
}

/** The statistics as lines of text: nodes by op (most frequent first), FLOPs, arena bytes. */
export function statsText(stats: GraphStats): string {
  const byOp = Object.entries(stats.nodes).sort(([a, m], [b, n]) => n - m || a.localeCompare(b)).map(([op, n]) => `${op} ${n}`);
  return [
    `nodes: ${stats.totalNodes} (${byOp.join(", ")})`,
    `FLOPs: ${formatFlops(stats.flops)} per run`,
    `arena: ${formatBytes(stats.arenaBytes)}`,
  ].join("\n");
}

/** One line: `93 nodes, 2.41 GFLOP per run, arena 1.530 MiB`. */
export function statsLine(stats: GraphStats): string {
  return `${stats.totalNodes} nodes, ${formatFlops(stats.flops)} per run, arena ${formatBytes(stats.arenaBytes)}`;
}

/** DOT with a title over the graph. */
export function titledDot(graph: Graph, title: string): string {
  const label = title.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
  return toDot(graph).replace(/^digraph tsflux \{\n/, `digraph tsflux {\n  label="${label}";\n  labelloc=t;\n  fontname="Helvetica";\n`);
}

/** The graph laid out by Graphviz, as SVG text. */
export async function graphSvg(graph: Graph, title: string): Promise<string> {
  const { instance } = require("@viz-js/viz") as typeof import("@viz-js/viz"); // Graphviz's Wasm loads on the first SVG
  const viz = await instance();
  return viz.renderString(titledDot(graph, title), { format: "svg", engine: "dot" });
}

function valueJson(v: Value) {
  return { id: v.id, name: v.buffer.name, version: v.version, dtype: v.dtype, shape: [...v.shape] };
}

/** The graph as plain data: inputs, nodes in order (with their printed form) and outputs, by value id. */
export function graphJson(graph: Graph, title: string): object {
  return {
    title,
    stats: graph.stats(),
    inputs: graph.inputs.map(valueJson),
    nodes: graph.nodes.map((n) => ({
      index: n.index,
      op: n.op,
      text: printNode(n),
      inputs: n.inputs.map((v) => v.id),
      output: valueJson(n.output),
    })),
    outputs: graph.outputs.map((v) => v.id),
  };
}

/** The text `tsflux graph --format <format>` writes for `graph`. */
export async function renderGraph(graph: Graph, format: GraphFormat, title: string): Promise<string> {
  switch (format) {
    case "text":
      return `# ${title}\n${String(graph)}\n\n${statsText(graph.stats())}\n`;
    case "dot":
      return titledDot(graph, title) + "\n";
    case "svg":
      return graphSvg(graph, title);
    case "json":
      return JSON.stringify(graphJson(graph, title), null, 2) + "\n";
  }
}
