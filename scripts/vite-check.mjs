// The packages built with Vite for the browser: builds scripts/vite-app (the browser check's training app,
// importing @tsflux/graph and its testing entry, layers, optim and enzyme-compat) with Vite from
// tools/vite, fails on any warning (Vite warns when it stubs a Node built-in "for browser compatibility")
// or a Node built-in named in the output, then runs the built page in headless Chromium, cross-origin isolated.
// `node scripts/vite-check.mjs` after `npm run build` and `npm ci --prefix tools/vite`.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { ISOLATION_HEADERS, launchChromium } from "./browser/chromium.mjs";

const root = new URL("..", import.meta.url).pathname;
const viteEntry = join(root, "tools/vite/node_modules/vite/dist/node/index.js");
if (!existsSync(viteEntry)) {
  console.error("vite-check: Vite is not installed (npm ci --prefix tools/vite)");
  process.exit(1);
}
const { build, createLogger, version } = await import(viteEntry);
const log = (line) => console.log(`vite-check: ${line}`);

const warnings = [];
const logger = createLogger("warn");
const customLogger = { ...logger, warn: (message) => warnings.push(message), warnOnce: (message) => warnings.push(message) };
const outDir = mkdtempSync(join(tmpdir(), "tsflux-vite-"));
let failed = false, server, browser;
try {
  const start = performance.now();
  const result = await build({
    root: join(root, "scripts/vite-app"), configFile: false, logLevel: "warn", customLogger,
    build: { outDir, emptyOutDir: true, target: "es2022", reportCompressedSize: false },
  });
  const chunks = result.output.filter((o) => o.type === "chunk");
  const bytes = chunks.reduce((n, c) => n + c.code.length, 0);
  log(`Vite ${version} built the app in ${((performance.now() - start) / 1000).toFixed(1)} s: ${chunks.length} chunk(s), ${(bytes / 1024).toFixed(0)} KiB`);
  assert.deepEqual(warnings, [], "Vite warned");
  for (const chunk of chunks) {
    // a module specifier of a built-in: "node:fs", or a bare "fs", "worker_threads", ... in an import or require
    const builtin = /["'`]node:[a-z_/]+["'`]|\b(?:from|import|require)\s*\(?\s*["'`](?:fs|path|util|os|module|url|worker_threads|child_process)["'`]/.exec(chunk.code);
    assert.ok(builtin === null, `${chunk.fileName} names a Node built-in: ${builtin?.[0]}`);
  }

  const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };
  server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const file = join(outDir, path === "/" ? "index.html" : path);
    if (!file.startsWith(outDir) || !existsSync(file)) return res.writeHead(404, ISOLATION_HEADERS).end();
    res.writeHead(200, { "Content-Type": types[extname(file)] ?? "application/octet-stream", ...ISOLATION_HEADERS }).end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  browser = await launchChromium("vite-check");
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const pageStart = performance.now();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => globalThis.__tsflux !== undefined, null, { timeout: 120_000 });
  const report = await page.evaluate(() => globalThis.__tsflux);
  assert.deepEqual(errors, [], "no page errors");
  assert.ok(report.ok, report.error);
  const r = report.result;
  assert.equal(r.crossOriginIsolated, true);
  assert.equal(r.wasm, true, `the WebAssembly kernels run (${r.wasmReason})`);
  assert.ok(r.after < 0.5 * r.before, `the loss fell from ${r.before} to ${r.after}`);
  assert.ok(r.accuracy >= 0.9, `accuracy ${r.accuracy}`);
  log(`the Vite build trains in headless Chromium: loss ${r.before.toFixed(3)} -> ${r.after.toFixed(3)} in ${r.steps} steps, ` +
    `two-thread products ${r.threads.splitCalls}, page ${(performance.now() - pageStart).toFixed(0)} ms`);
} catch (e) {
  failed = true;
  console.error(`vite-check: ${e.message}`);
  if (warnings.length) console.error(warnings.join("\n"));
} finally {
  await browser?.close();
  server?.close();
  rmSync(outDir, { recursive: true, force: true });
}
log(failed ? "FAILED" : "all passed");
process.exit(failed ? 1 : 0);
