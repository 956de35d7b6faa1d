/** Errors of the layers package that the graph package has no class for. */
import { TsfluxError } from "@tsflux/graph";

/** An argument with a value the function cannot accept (Julia's ArgumentError): a batch size of 0, an unknown label. */
export class ArgumentError extends TsfluxError {}

/**
 * `loadmodel` found a state that does not fit the model: a different structure, an array of another
 * size, or another element type. Thrown before anything is copied, so the model is unchanged.
 */
export class StateMismatchError extends TsfluxError {
  constructor(
    /** Where in the model, e.g. `model.layers[0].weight`. */
    readonly path: string,
    readonly kind: "structure" | "shape" | "dtype",
    message: string,
  ) {
    super(`loadmodel: ${path}: ${message}`);
  }
}

/** A file or byte buffer that is not valid safetensors, or holds an element type tsflux does not read. */
export class SafetensorsError extends TsfluxError {}

/** A file that cannot be written (its folder cannot be made, is not writable, or the file is a folder); names the file and why. */
export class FileWriteError extends TsfluxError {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`cannot write "${file}": ${reason}`);
  }
}
