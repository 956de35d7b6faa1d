/** `tsflux graph <script>`: prints or renders the forward (or gradient) graph of a graph script or an experiment. */
import { basename, extname } from "node:path";
import { checkWritable, writeFileAtomic } from "@tsflux/layers";
import { loadScript } from "../load-script";
import { experimentGraphScript, graphScriptOf, scriptGraph } from "../graph-script";
import { resolveExperiment } from "../experiment/resolve";
import { renderGraph, statsLine, type GraphFormat } from "../report/graph-output";
import type { Output } from "../report/progress";
import { experimentOf, isGraphScript } from "./experiment-of";
import { onnxGraphScript } from "./onnx-graph";

export interface GraphCommandOptions {
  readonly grad: boolean;
  readonly format?: GraphFormat;
  readonly out?: string;
}

const BY_EXTENSION: Record<string, GraphFormat> = { ".svg": "svg", ".dot": "dot", ".gv": "dot", ".json": "json", ".txt": "text" };

/** The format asked for, else the one the output file's extension names, else text. */
export function graphFormat(opts: GraphCommandOptions): GraphFormat {
  return opts.format ?? (opts.out ? BY_EXTENSION[extname(opts.out).toLowerCase()] : undefined) ?? "text";
}

/** Loads `path`, builds its forward or gradient graph, and prints it or writes it to `opts.out` (checked first, written atomically). */
export async function graphCommand(path: string, opts: GraphCommandOptions, stdout: Output): Promise<void> {
  if (opts.out !== undefined) checkWritable([opts.out]);
  const imported = extname(path).toLowerCase() === ".onnx" ? onnxGraphScript(path) : undefined;
  const loaded = imported ? undefined : await loadScript(path);
  const graph = imported
    ? scriptGraph(imported, opts.grad, path)
    : isGraphScript(loaded!)
    ? scriptGraph(graphScriptOf(loaded!.value, path), opts.grad, path)
    : scriptGraph(experimentGraphScript(resolveExperiment(experimentOf(loaded!, path))), opts.grad, path);
  const what = imported ? `${basename(path)}, imported as ${imported.imported}` : basename(path);
  const title = `${opts.grad ? "gradient" : "forward"} graph of ${what}: ${statsLine(graph.stats())}`;
  const format = graphFormat(opts);
  const text = await renderGraph(graph, format, title);
  if (opts.out === undefined) {
    stdout.write(text);
    return;
  }
  writeFileAtomic(opts.out, text);
  stdout.write(`wrote ${opts.out} (${format}): the ${title}\n`);
}

