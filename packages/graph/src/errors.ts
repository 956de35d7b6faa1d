/** Errors raised by tsflux. Every message starts with the op or layer it concerns. */

/** Base class: lets callers catch every tsflux error at once. */
export class TsfluxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Shapes that do not fit an op: broadcasting, inner dimensions, reshape sizes, invalid or oversized shapes. */
export class ShapeError extends TsfluxError {}

/** Element types that do not fit an op: Float32 mixed with Float64, integers where floats are needed. */
export class DTypeError extends TsfluxError {}

/** Misuse of the graph itself: mixing graphs, reading a symbolic value eagerly, a malformed graph. */
export class GraphError extends TsfluxError {}

/** A plan whose buffers would exceed the memory budget; raised before anything is allocated. */
export class OutOfMemoryError extends TsfluxError {}

/** A derivative needs a version of a buffer that an in-place op overwrote, and no copy may be kept. */
export class VersionError extends TsfluxError {}

/** Activity annotations that cannot give correct derivatives (e.g. active values written into a Const array). */
export class ActivityError extends TsfluxError {}
