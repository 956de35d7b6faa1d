/**
 * A model's state in a safetensors file. Each array is a tensor named by its path in the state
 * (`layers.0.weight`); `__metadata__` holds the rest of the state tree as JSON (numbers, flags, nulls,
 * with `{ "$tensor": name }` where an array stands) and the model as it prints, so a file can be read
 * back into exactly the tree `state(model)` gave. Files written by other tools (no tree in the
 * metadata) load as nested objects built from their tensor names.
 */
import { readBytes, writeBytes } from "./file-system";
import { isNdarray, type NdArray } from "@tsflux/graph";
import { isTreeNode } from "../tree";
import { LayerBase } from "../layers/layer-base";
import { SafetensorsError } from "../errors";
import { state, type StateTree } from "./state";
import { decodeSafetensors, encodeSafetensors } from "./safetensors";
import { isUnsafeKey } from "./safe-names";

/** Metadata keys tsflux writes. */
export const STATE_METADATA = "tsflux.state";
/** The metadata key under which tsflux writes a model's printed form. */
export const MODEL_METADATA = "tsflux.model";

/** A state tree as JSON, with `{ "$tensor": name }` in place of each array. */
type Skeleton = null | number | boolean | string | Skeleton[] | { [key: string]: Skeleton };

/** The arrays of a state tree by name (an array reached twice is stored once), and the rest of the tree. */
export function flattenState(tree: StateTree): { tensors: Map<string, NdArray>; skeleton: Skeleton } {
  const tensors = new Map<string, NdArray>();
  const names = new Map<NdArray, string>();
  const uniqueName = (path: string[]): string => {
    const base = path.length === 0 ? "value" : path.join(".");
    let name = base;
    for (let n = 2; tensors.has(name); n++) name = `${base}_${n}`;
    return name;
  };
  const walk = (x: StateTree, path: string[]): Skeleton => {
    if (isNdarray(x)) {
      let name = names.get(x);
      if (name === undefined) {
        name = uniqueName(path);
        names.set(x, name);
        tensors.set(name, x);
      }
      return { $tensor: name };
    }
    if (Array.isArray(x)) return x.map((c, i) => walk(c, [...path, String(i)]));
    if (isTreeNode(x)) return Object.fromEntries(Object.entries(x).map(([k, c]) => [k, walk(c, [...path, k])]));
    return x;
  };
  return { tensors, skeleton: walk(tree, []) };
}

function isTensorMarker(x: unknown): x is { $tensor: string } {
  return isTreeNode(x) && !Array.isArray(x) && Object.keys(x).length === 1 && typeof (x as { $tensor?: unknown }).$tensor === "string";
}

function safeKey(key: string): string {
  if (isUnsafeKey(key)) throw new SafetensorsError(`safetensors: the state in the metadata has the key "${key}", which would reach objects' prototypes; tsflux refuses it`);
  return key;
}

/** The state tree a skeleton and its tensors describe; a key such as `__proto__` is a SafetensorsError. */
export function unflattenState(skeleton: Skeleton, tensors: ReadonlyMap<string, NdArray>): StateTree {
  const walk = (x: Skeleton): StateTree => {
    if (isTensorMarker(x)) {
      const array = tensors.get(x.$tensor);
      if (array === undefined) throw new SafetensorsError(`safetensors: the state in the metadata names a tensor "${x.$tensor}" that the file does not hold`);
      return array;
    }
    if (Array.isArray(x)) return x.map(walk);
    if (isTreeNode(x)) return Object.fromEntries(Object.entries(x).map(([k, c]) => [safeKey(k), walk(c)]));
    return x;
  };
  return walk(skeleton);
}

/** Nested objects from dotted tensor names; an object whose keys are 0..n-1 becomes a list. */
function stateFromNames(tensors: ReadonlyMap<string, NdArray>): StateTree {
  const root: Record<string, unknown> = Object.create(null);
  for (const [name, array] of tensors) {
    const keys = name.split(".");
    let node = root;
    for (const key of keys.slice(0, -1)) {
      if (!isTreeNode(node[key]) || isNdarray(node[key])) node[key] = Object.create(null);
      node = node[key] as Record<string, unknown>;
    }
    node[keys[keys.length - 1]!] = array;
  }
  const listify = (x: unknown): StateTree => {
    if (isNdarray(x) || !isTreeNode(x)) return x as StateTree;
    const entries = Object.entries(x).map(([k, c]) => [k, listify(c)] as const);
    const isList = entries.length > 0 && entries.every(([k], i) => k === String(i));
    return isList ? entries.map(([, c]) => c) : Object.fromEntries(entries);
  };
  return listify(root);
}

/**
 * Writes `state(model)` to `file` as safetensors (creating its folder), with the model's printed form
 * in the metadata. Read it back with `loadmodel(model, loadstate(file))`. The file is replaced whole
 * (written to a temporary file, then renamed); a failure is a FileWriteError and leaves it unchanged.
 */
export function savestate(file: string, model: unknown): void {
  const { tensors, skeleton } = flattenState(state(model));
  const metadata: Record<string, string> = { format: "tsflux", [STATE_METADATA]: JSON.stringify(skeleton) };
  if (model instanceof LayerBase) metadata[MODEL_METADATA] = String(model);
  writeBytes(file, encodeSafetensors(tensors, metadata));
}

/** The state tree saved in a safetensors `file` (for `loadmodel`); a malformed file is a SafetensorsError. */
export function loadstate(file: string): StateTree {
  const { tensors, metadata } = decodeSafetensors(readBytes(file));
  const saved = metadata[STATE_METADATA];
  if (saved === undefined) return stateFromNames(tensors);
  let skeleton: Skeleton;
  try {
    skeleton = JSON.parse(saved) as Skeleton;
  } catch (e) {
    throw new SafetensorsError(`safetensors: ${file}: the metadata's "${STATE_METADATA}" is not valid JSON (${(e as Error).message})`);
  }
  return unflattenState(skeleton, tensors);
}
