// An ES module has no default import of a package: a type error, as it would fail at run time.
// @ts-expect-error: no default export
import graph from "@tsflux/graph";
export { graph };
