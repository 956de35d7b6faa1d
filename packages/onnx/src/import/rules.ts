/**
 * The import table: ONNX op type -> ImportRule, one family per file. LSTM/GRU import once their family
 * file is written and spread in here.
 */
import type { ImportRule } from "./context";
import { elementwiseImports } from "./ops-elementwise";
import { linalgImports } from "./ops-linalg";
import { reduceImports } from "./ops-reduce";
import { shapeImports } from "./ops-shape";
import { convImports } from "./ops-conv";
import { gatherImports } from "./ops-gather";

/** How each ONNX op is computed with tsflux ops, by op type; an op missing here cannot be imported. */
export const IMPORT_RULES: Readonly<Record<string, ImportRule>> = {
  ...elementwiseImports,
  ...linalgImports,
  ...reduceImports,
  ...shapeImports,
  ...convImports,
  ...gatherImports,
};
