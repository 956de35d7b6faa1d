/** savestate/loadstate in a browser: there is no file system; the bytes go through encode/decodeSafetensors instead. */
import { SafetensorsError } from "../errors";

const NO_FILES = "has no file system in a browser: use encodeSafetensors(flattenState(state(model)).tensors) and decodeSafetensors(bytes)";

export function writeBytes(file: string): never {
  throw new SafetensorsError(`savestate("${file}") ${NO_FILES}`);
}

export function readBytes(file: string): never {
  throw new SafetensorsError(`loadstate("${file}") ${NO_FILES}`);
}
