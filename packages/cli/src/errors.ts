/** Errors of the command line: what the user asked for cannot be done (a bad path, a bad experiment). */
import { TsfluxError } from "@tsflux/graph";

/** A file that cannot be found or loaded, or that exports the wrong thing. */
export class ScriptError extends TsfluxError {}

/** An experiment (a module or a JSON file) that names an unknown layer, rule, loss or dataset, or a bad setting. */
export class ExperimentError extends TsfluxError {}
