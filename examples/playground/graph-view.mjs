// The gradient graph of one training step, laid out by Graphviz (compiled to WebAssembly by @viz-js/viz)
// and shown as SVG.
import { instance } from "@viz-js/viz";
import { toDot } from "@tsflux/graph";

let viz;

/** Renders `graph` (a tsflux Graph) into `container` as SVG; returns the number of nodes. */
export async function showGraph(graph, container) {
  viz ??= await instance();
  const svg = viz.renderSVGElement(toDot(graph), { engine: "dot" });
  svg.id = "graph-svg";
  container.replaceChildren(svg);
  return graph.nodes.length;
}
