/** The error raised for a model or file that cannot cross the ONNX boundary. */
import { TsfluxError } from "@tsflux/graph";

/** A model that cannot be exported, or an ONNX file that cannot be imported; the message names the op. */
export class OnnxError extends TsfluxError {}
