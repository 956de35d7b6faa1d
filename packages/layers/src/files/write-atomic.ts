/**
 * Writing a file whole or not at all: the bytes go to a temporary file in the same folder, are flushed
 * to the disk, and the temporary file is renamed over the target. A crash or an error mid-write leaves
 * the old file (or no file) in place, never a truncated one. Every file tsflux writes goes through here.
 */
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeFileSync, type Stats } from "node:fs";
import { basename, dirname, join } from "node:path";
import { FileWriteError } from "../errors";
import { FolderError, makeFolders, reasonOf, removeFolders } from "./make-folders";

let written = 0;

/** A fresh name next to `file` for its temporary copy: `.model.safetensors.<pid>.<n>.tmp` (the name cut to fit). */
export function temporaryPathFor(file: string): string {
  return join(dirname(file), `.${basename(file).slice(0, 128)}.${process.pid}.${++written}.tmp`);
}

/** Stats of `file`, or undefined when it does not exist. */
function existing(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

/** Makes the folder of `file` (see makeFolders) and returns the folders made; failures name `file`. */
function makeFolderOf(file: string): string[] {
  try {
    return makeFolders(dirname(file));
  } catch (e) {
    throw new FileWriteError(file, e instanceof FolderError ? e.reason : reasonOf(e));
  }
}

/** Creates a new temporary file next to `file` and returns its path and descriptor; failures name `file`. */
function createTemporary(file: string): { path: string; fd: number } {
  const path = temporaryPathFor(file);
  try {
    return { path, fd: openSync(path, "wx") };
  } catch (e) {
    throw new FileWriteError(file, `cannot create a file in "${dirname(file)}": ${reasonOf(e, "files")}`);
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

/**
 * Writes `data` to `file` atomically (see the file comment), making its folder if missing. An existing
 * file is replaced whole and keeps its permissions. Any failure is a FileWriteError naming the file,
 * and leaves the old file unchanged and no temporary file behind.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  makeFolderOf(file);
  const old = existing(file);
  if (old?.isDirectory()) throw new FileWriteError(file, "it is a folder");
  const { path: temporary, fd } = createTemporary(file);
  try {
    try {
      if (old !== undefined) fchmodSync(fd, old.mode & 0o7777);
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (e) {
    removeQuietly(temporary);
    throw new FileWriteError(file, reasonOf(e));
  }
}

/**
 * Checks, before any work is done, that each of `files` could be written by `writeFileAtomic`: its folder
 * can be made, a file can be created there, and the file itself is not a folder. Leaves nothing behind
 * (folders it made for the check are removed again). Throws a FileWriteError for the first file that
 * cannot be written.
 */
export function checkWritable(files: readonly string[]): void {
  for (const file of files) {
    const made = makeFolderOf(file);
    try {
      if (existing(file)?.isDirectory()) throw new FileWriteError(file, "it is a folder");
      const probe = createTemporary(file);
      closeSync(probe.fd);
      removeQuietly(probe.path);
    } finally {
      removeFolders(made);
    }
  }
}
