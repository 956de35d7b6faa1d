// With esModuleInterop, CommonJS code may default-import a package: the whole module, at run time too.
import graph from "@tsflux/graph";
import testing from "@tsflux/graph/testing";
import layers from "@tsflux/layers";
if (typeof graph.Tensor !== "function" || typeof testing.gradcheck !== "function" || typeof layers.Chain !== "function") throw new Error("default-cjs: a default import is not the module");
console.log("default-cjs: ok");
