/**
 * `@tsflux/cli`: the `tsflux` command (train scripted experiments, inspect graphs) and what it is made
 * of, for scripts: experiments and `runExperiment`, the MNIST digits, the loss chart, graph rendering.
 *
 * @module @tsflux/cli
 */
export { main, createProgram, type Io } from "./program";
export { VERSION } from "./version";
export type { Experiment, ExperimentData, Split, LossFunction } from "./experiment/types";
export { runExperiment, type RunOptions, type RunResult } from "./experiment/run";
export { resolveExperiment, DEFAULT_BATCHSIZE, type ResolvedExperiment, type ExperimentOverrides } from "./experiment/resolve";
export { fit, type History, type EpochRecord, type StepRecord, type StepReport, type FitOptions } from "./experiment/fit";
export { evaluate, countCorrect, isClassification } from "./experiment/metrics";
export { fromJson } from "./experiment/from-json";
export { mnist, mnistSize, MNIST_PIXELS, type MnistOptions } from "./data/mnist";
export { type GraphScript, graphScriptOf, experimentGraphScript, scriptGraph } from "./graph-script";
export { loadScript } from "./load-script";
export { lossChartSvg, type ChartOptions } from "./report/loss-chart";
export { renderGraph, graphSvg, graphJson, titledDot, statsText, statsLine, formatFlops, GRAPH_FORMATS, type GraphFormat } from "./report/graph-output";
export { EpochProgress, epochLine, type Output } from "./report/progress";
export { ScriptError, ExperimentError } from "./errors";
