/** saveOnnx in a browser: there is no file system; use the bytes toOnnx returns. */
import { OnnxError } from "../errors";

/** Refuses: a browser has no file system (toOnnx gives the bytes). */
export function saveOnnx(path: string): never {
  throw new OnnxError(`saveOnnx("${path}"): a browser has no file system; use the bytes toOnnx returns`);
}
