/**
 * The `@tsflux/*` modules a loaded script shares with the command (see load-script.ts). This file
 * imports the package's own index, a cycle that is safe because the map is only read when a script
 * is loaded, long after every module has finished loading.
 */
import * as graph from "@tsflux/graph";
import * as layers from "@tsflux/layers";
import * as optim from "@tsflux/optim";
import * as enzymeCompat from "@tsflux/enzyme-compat";
import * as onnx from "@tsflux/onnx";
import * as cli from "./index";

/** Module objects by the specifier a script imports them with. */
export function sharedModules(): Readonly<Record<string, unknown>> {
  return { "@tsflux/graph": graph, "@tsflux/layers": layers, "@tsflux/optim": optim, "@tsflux/enzyme-compat": enzymeCompat, "@tsflux/onnx": onnx, "@tsflux/cli": cli };
}
