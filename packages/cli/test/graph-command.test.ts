/** `tsflux graph`: forward and gradient graphs of a graph script or an experiment, in each format, and its errors. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { trace, type Tensor } from "@tsflux/graph";
import { Chain, Dense, randn32, relu } from "@tsflux/layers";
import { main } from "@tsflux/cli";
import { SMALL_EXPERIMENT, collectingIo, tempDir, tempFile } from "./helpers";

const run = (...args: string[]) => {
  const io = collectingIo();
  return main(["node", "tsflux", ...args], io).then((code) => ({ code, out: io.stdout.text, err: io.stderr.text }));
};

/** A graph script: Dense(3 => 2, relu) on 4 inputs, a sum-of-squares loss. */
const SCRIPT = `
import { sum, abs2, type Tensor } from "@tsflux/graph";
import { Chain, Dense, relu, randn32 } from "@tsflux/layers";
export const model = Chain(Dense(3, 2, relu));
export const inputs = [randn32(3, 4)];
export const loss = (m: Chain, x: Tensor) => sum(abs2(m.forward(x)));
`;
const script = tempFile("script.ts", SCRIPT);

test("text: the forward graph as IR with its stats; the nodes are exactly those trace() records", async () => {
  const { code, out, err } = await run("graph", script);
  expect(err).toBe("");
  expect(code).toBe(0);
  const same = trace((m: Chain, x: Tensor) => m.forward(x), Chain(Dense(3, 2, relu)), randn32(3, 4));
  expect(out).toContain(`\n${String(same)}\n`);
  // FLOPs by hand: matmul [2,3]×[3,4] is 2·2·3·4 = 48, the bias add 8, relu 8
  const arena = same.stats().arenaBytes;
  expect(out.split("\n")[0]).toBe(`# forward graph of script.ts: 4 nodes, 64 FLOP per run, arena ${arena} bytes`);
  expect(out).toContain("= matmul x0.layers[0].weight@0 x1@0");
  expect(out).toContain(`\nnodes: 4 (add 1, broadcastTo 1, matmul 1, relu 1)\nFLOPs: 64 FLOP per run\narena: ${arena} bytes\n`);
});

test("--grad: the gradient graph has the forward nodes and the adjoint ones", async () => {
  const forward = await run("graph", script);
  const gradient = await run("graph", script, "--grad");
  expect(gradient.code).toBe(0);
  const count = (text: string) => Number(/^nodes: (\d+)/m.exec(text)![1]);
  expect(count(gradient.out)).toBeGreaterThan(count(forward.out));
  expect(gradient.out).toContain("# gradient graph of script.ts:");
  expect(gradient.out).toContain("matmul[transB]"); // the weight's adjoint: dy xᵀ
  expect(gradient.out).toContain("d0.layers[0].weight@0"); // the shadow the gradient goes to
  expect(forward.out).not.toContain("d0.");
});

test("dot and json", async () => {
  const dot = await run("graph", script, "--grad", "--format", "dot");
  expect(dot.out.startsWith('digraph tsflux {\n  label="gradient graph of script.ts: ')).toBe(true);
  expect(dot.out.trimEnd().endsWith("}")).toBe(true);
  const json = JSON.parse((await run("graph", script, "-f", "json")).out) as { stats: { totalNodes: number; nodes: Record<string, number> }; nodes: { op: string; text: string }[] };
  expect(json.nodes.map((n) => n.op)).toEqual(["matmul", "broadcastTo", "add", "relu"]);
  expect(json.stats.totalNodes).toBe(4);
  expect(json.nodes[3]!.text).toMatch(/^%\d+:f32\[2,4\] = relu %\d+$/);
});

test("--out writes the file in the format its extension names, and says what it wrote", async () => {
  const dir = tempDir();
  const file = join(dir, "deeper", "grad.svg");
  const { code, out } = await run("graph", script, "--grad", "--out", file);
  expect(code).toBe(0);
  expect(out).toMatch(new RegExp(`^wrote ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(svg\\): the gradient graph of script\\.ts: \\d+ nodes, `));
  const svg = readFileSync(file, "utf8");
  expect(svg).toContain("<svg");
  expect(svg).toContain("matmul[transB]");
  await run("graph", script, "--out", join(dir, "g.json"));
  expect(JSON.parse(readFileSync(join(dir, "g.json"), "utf8")).stats.totalNodes).toBe(4);
});

test("an experiment is a graph script too: its model on one batch (here JSON, batch 32)", async () => {
  const { code, out } = await run("graph", tempFile("tiny.json", JSON.stringify(SMALL_EXPERIMENT)), "--grad");
  expect(code).toBe(0);
  expect(out).toContain("x1@0:f32[784,32] x2@0:f32[10,32]");
  expect(out).toContain("logsoftmax");
});

describe("tsflux graph: bad paths, scripts and flags give a message and exit 1", () => {
  test.each([
    ["a missing file", ["graph", "nope.ts"], 'error: cannot find "nope.ts"\n'],
    ["an unknown format", ["graph", "x.ts", "--format", "png"], "error: option '-f, --format <format>' argument 'png' is invalid. Allowed choices are text, dot, svg, json.\n"],
    ["no script argument", ["graph"], "error: missing required argument 'script'\n"],
    ["an unknown flag", ["graph", "x.ts", "--gradient"], "error: unknown option '--gradient'\n"],
  ])("%s", async (_what, args, message) => {
    const { code, err } = await run(...args);
    expect(code).toBe(1);
    expect(err.startsWith(message)).toBe(true);
  });

  test("--grad on a script without a loss", async () => {
    const file = tempFile("noloss.ts", SCRIPT.replace(/export const loss[^\n]*\n/, ""));
    const { code, err } = await run("graph", file, "--grad");
    expect(code).toBe(1);
    expect(err).toBe(`error: ${file}: the gradient graph (--grad) needs a \`loss(model, ...inputs)\` export\n`);
  });

  test("inputs that are not arrays", async () => {
    const file = tempFile("badinputs.ts", SCRIPT.replace("export const inputs = [randn32(3, 4)];", "export const inputs = [[1, 2, 3]];"));
    const { code, err } = await run("graph", file);
    expect(code).toBe(1);
    expect(err).toBe(`error: ${file}: \`inputs\` must be an array of ndarrays (the arguments after the model)\n`);
  });

  test("an error thrown while tracing (inputs of the wrong size) is reported with the layer's message", async () => {
    const file = tempFile("badsize.ts", SCRIPT.replace("randn32(3, 4)", "randn32(5, 4)"));
    const { code, err } = await run("graph", file);
    expect(code).toBe(1);
    expect(err).toBe("error: Chain.layers[0] Dense(3 => 2, relu): expected size(x, 1) == 3, got x of size [5, 4]\n");
  });
});

test("no command: the usage on stderr and exit 1", async () => {
  const none = await run();
  expect(none.code).toBe(1);
  expect(none.err).toContain("Usage: tsflux [options] [command]");
});

test("help: the program, train and graph each explain themselves and exit 0", async () => {
  const top = await run("--help");
  expect(top.code).toBe(0);
  expect(top.out).toMatch(/Usage: tsflux \[options\] \[command\]/);
  expect(top.out).toMatch(/^ {2}train \[options\] <experiment> +train a scripted experiment/m);
  expect(top.out).toMatch(/^ {2}graph \[options\] <script> +print or render the forward graph/m);
  const train = await run("train", "--help");
  expect(train.code).toBe(0);
  for (const flag of ["--out-dir <dir>", "--epochs <n>", "--seed <n>", "--no-progress"]) expect(train.out).toContain(flag);
  const graph = await run("graph", "--help");
  expect(graph.code).toBe(0);
  for (const flag of ["--grad", "--format <format>", '(choices: "text", "dot", "svg", "json")', "--out <file>"]) expect(graph.out).toContain(flag);
});
