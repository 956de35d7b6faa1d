// A tiny app built with Vite: the browser check's training app (it imports @tsflux/graph, its testing entry,
// layers, optim and enzyme-compat), bundled by Vite instead of esbuild.
import "../browser/app.mjs";
