/**
 * Errors that name the layer they happened in, with its path from the outermost container:
 * `Chain.layers[1] Dense(32 => 10): expected size(x, 1) == 32, got x of size [31, 5]`.
 *
 * The innermost layer records its one-line description and the original message; each container
 * the error passes through prepends the child's key, then rewrites the message with its own name
 * in front, so the outermost container's rewrite is what the user reads.
 */
import { TsfluxError } from "@tsflux/graph";
import { compactString, typeName } from "./show/compact";

interface LayerContext {
  /** The failing layer, one line: `Dense(32 => 10)`. */
  readonly layer: string;
  /** The message as first thrown. */
  readonly detail: string;
  /** Keys from the outermost container seen so far down to the failing layer: `.layers[1]`. */
  readonly path: string[];
}

const contexts = new WeakMap<Error, LayerContext>();

function rewrite(error: Error, message: string): void {
  if (error.stack) error.stack = error.stack.replace(error.message, message);
  error.message = message;
}

function record(error: unknown, layer: unknown, path: string[]): void {
  if (!(error instanceof TsfluxError) || contexts.has(error)) return;
  const context = { layer: compactString(layer), detail: error.message, path };
  contexts.set(error, context);
  rewrite(error, `${context.layer}: ${context.detail}`);
}

/** Runs a layer's computation; a tsflux error raised inside is prefixed with the layer (and its path within it). */
export function withLayerContext<T>(layer: object, body: () => T): T {
  try {
    return body();
  } catch (error) {
    throw inLayer(error, layer);
  }
}

/** `error` (thrown by `layer`'s computation) prefixed with the layer and its path within it; returned to be rethrown. */
export function inLayer(error: unknown, layer: object): unknown {
  const context = error instanceof Error ? contexts.get(error) : undefined;
  if (!context) record(error, layer, []);
  else if (context.path.length > 0) rewrite(error as Error, `${typeName(layer)}${context.path.join("")} ${context.layer}: ${context.detail}`);
  return error;
}

/** Calls `body` for the child at `key` of a container; errors from it get the key added to their path. */
export function withChildPath<T>(key: string, child: unknown, body: () => T): T {
  try {
    return body();
  } catch (error) {
    throw inChild(error, key, child);
  }
}

/** `error` (thrown by the child at `key`) with the key added to its path; returned to be rethrown. */
export function inChild(error: unknown, key: string, child: unknown): unknown {
  const context = error instanceof Error ? contexts.get(error) : undefined;
  if (context) context.path.unshift(key);
  else record(error, child, [key]);
  return error;
}
