/**
 * `mkdir -p` that fails fast and says why. Node's recursive mkdir loops forever on paths such as
 * `/proc/x` (the kernel answers ENOENT for a parent that exists), so the folders are made one by one.
 */
import { mkdirSync, rmdirSync, statSync, type Stats } from "node:fs";
import { dirname } from "node:path";

const REASONS: Readonly<Record<string, string>> = {
  EACCES: "permission denied", EPERM: "operation not permitted", EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device", EDQUOT: "the disk quota is exhausted", ENAMETOOLONG: "the name is too long",
  ENOENT: "no such file or directory", EISDIR: "it is a folder", ENOTDIR: "a part of the path is not a folder", EIO: "input/output error",
};

/**
 * Why a file-system call failed, in words, with the error code: `permission denied (EACCES)`.
 * `creating` says what the failed call was creating, to explain ENOENT in a folder that exists (as in `/proc`).
 */
export function reasonOf(e: unknown, creating?: "folders" | "files"): string {
  const { code, message } = e as NodeJS.ErrnoException;
  if (code === "ENOENT" && creating !== undefined) return `the file system there does not allow new ${creating} (ENOENT)`;
  return code === undefined ? message : `${Object.hasOwn(REASONS, code) ? REASONS[code] : message} (${code})`;
}

/** A folder could not be made, or a file could not be written there; `reason` says why in words. */
export class FolderError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new FolderError(`cannot look at "${path}": ${reasonOf(e)}`);
  }
}

/** Removes folders made by `makeFolders` (the deepest first), as far as they are still empty. */
export function removeFolders(made: readonly string[]): void {
  for (const folder of [...made].reverse()) {
    try {
      rmdirSync(folder);
    } catch {
      return; // no longer empty, or gone: leave the rest
    }
  }
}

/**
 * Makes `folder` and its missing parents and returns the folders it made, outermost first. Throws a
 * FolderError naming the part of the path that is a file, or the folder that cannot be made (and then
 * removes the folders it made).
 */
export function makeFolders(folder: string): string[] {
  const missing: string[] = [];
  let path = folder;
  for (;;) {
    const stats = statOrUndefined(path);
    if (stats !== undefined) {
      if (!stats.isDirectory()) throw new FolderError(`"${path}" is ${stats.isFile() ? "a file" : "something else"}, not a folder`);
      break;
    }
    missing.unshift(path);
    if (dirname(path) === path) break;
    path = dirname(path);
  }
  const made: string[] = [];
  for (const m of missing) {
    try {
      mkdirSync(m);
      made.push(m);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST" && statOrUndefined(m)?.isDirectory()) continue; // made meanwhile
      removeFolders(made);
      throw new FolderError(`cannot create the folder "${m}": ${reasonOf(e, "folders")}`);
    }
  }
  return made;
}
