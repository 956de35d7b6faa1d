// Every graph built in the tests is checked by the IR verifier (SSA, versions, shapes, dtypes).
import { setGraphChecks } from "@tsflux/graph";

setGraphChecks(true);
