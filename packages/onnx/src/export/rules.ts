/**
 * The export table: tsflux op name -> ExportRule, one family per file. A new op (conv, pooling, batchnorm,
 * gather, recurrent cells) exports once its family file is written and spread in here.
 */
import type { ExportRule } from "./context";
import { elementwiseRules } from "./ops-elementwise";
import { linalgRules } from "./ops-linalg";
import { reduceRules } from "./ops-reduce";
import { movementRules } from "./ops-movement";
import { creationRules } from "./ops-creation";
import { convRules } from "./ops-conv";
import { gatherRules } from "./ops-gather";

/** How each tsflux op is written in ONNX, by op name; an op missing here cannot be exported. */
export const EXPORT_RULES: Readonly<Record<string, ExportRule>> = {
  ...elementwiseRules,
  ...linalgRules,
  ...reduceRules,
  ...movementRules,
  ...creationRules,
  ...convRules,
  ...gatherRules,
};
