/** Files in a browser: there is no file system, so writing one is a clear error. */
import { FileWriteError } from "../errors";

const NO_FILES = "a browser has no file system; use the bytes (encodeSafetensors) instead";

/** Refuses: a browser has no file system. */
export function writeFileAtomic(file: string): never {
  throw new FileWriteError(file, NO_FILES);
}

/** Refuses: a browser has no file system. */
export function checkWritable(files: readonly string[]): never {
  throw new FileWriteError(files[0] ?? "", NO_FILES);
}
