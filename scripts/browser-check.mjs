// tsflux in a browser: bundles every browser-ready entry with esbuild (browser conditions, no Node
// built-ins allowed), then trains a small model in headless Chromium (Debian's `chromium`, driven by
// playwright-core; no browser is downloaded), once on a cross-origin isolated page (WebAssembly kernels,
// a Web Worker for the second thread) and once on a plain page (one thread in JavaScript, one notice).
// `node scripts/browser-check.mjs` after `npm run build`; CHROMIUM overrides /usr/bin/chromium.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { build } from "esbuild";
import { chromium } from "playwright-core";

const root = new URL("..", import.meta.url).pathname;
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
if (!existsSync(executablePath)) {
  console.error(`browser-check: no Chromium at ${executablePath} (apt-get install chromium)`);
  process.exit(1);
}
const browserBuild = { bundle: true, write: false, platform: "browser", format: "esm", target: "es2022", logLevel: "silent", absWorkingDir: root };

// every entry a browser user can import bundles on its own
const entries = ["@tsflux/graph", "@tsflux/graph/testing", "@tsflux/layers", "@tsflux/optim", "@tsflux/enzyme-compat"];
for (const entry of entries) {
  const out = await build({ ...browserBuild, stdin: { contents: `export * from "${entry}";`, resolveDir: root } });
  const text = out.outputFiles[0].text;
  assert.ok(!/\bnode:[a-z_]+/.test(text), `${entry}: the browser bundle names a Node built-in`);
  console.log(`browser-check: ${entry} bundles for the browser (${(text.length / 1024).toFixed(0)} KiB)`);
}
const app = (await build({ ...browserBuild, entryPoints: [join(root, "scripts/browser/app.mjs")] })).outputFiles[0].text;

const page = `<!doctype html><meta charset="utf-8"><title>tsflux</title><script type="module" src="app.js"></script>`;
// /isolated/ is served with the headers that make a page cross-origin isolated, /plain/ without
const isolation = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };
const server = createServer((req, res) => {
  const headers = req.url?.startsWith("/isolated/") ? isolation : {};
  if (req.url?.endsWith("/app.js")) res.writeHead(200, { "Content-Type": "text/javascript", ...headers }).end(app);
  else res.writeHead(200, { "Content-Type": "text/html", ...headers }).end(page);
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const launchStart = performance.now();
const browser = await chromium.launch({
  executablePath,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
console.log(`browser-check: Chromium ${browser.version()} up in ${((performance.now() - launchStart) / 1000).toFixed(1)} s`);

async function trainIn(url) {
  const tab = await browser.newPage();
  const notices = [], errors = [];
  tab.on("console", (m) => m.text().startsWith("tsflux:") && notices.push(m.text()));
  tab.on("pageerror", (e) => errors.push(String(e)));
  const start = performance.now();
  await tab.goto(url);
  await tab.waitForFunction(() => globalThis.__tsflux !== undefined, null, { timeout: 120_000 });
  const report = await tab.evaluate(() => globalThis.__tsflux);
  await tab.close();
  assert.deepEqual(errors, [], "no page errors");
  assert.ok(report.ok, report.error);
  return { ...report.result, notices, pageMs: performance.now() - start };
}

let failed = false;
try {
  for (const isolated of [true, false]) {
    const r = await trainIn(`${base}/${isolated ? "isolated" : "plain"}/`);
    const what = isolated ? "cross-origin isolated page" : "plain page";
    assert.equal(r.crossOriginIsolated, isolated, `${what}: crossOriginIsolated`);
    assert.equal(r.isTensor, true);
    assert.deepEqual(r.gradShape, [16, 4], `${what}: the gradient tree mirrors the model`);
    assert.ok(r.after < 0.5 * r.before, `${what}: the loss fell from ${r.before} to ${r.after}`);
    assert.ok(r.accuracy >= 0.9, `${what}: accuracy ${r.accuracy}`);
    assert.match(r.fileError, /no file system in a browser/, `${what}: savestate says why it cannot write a file`);
    if (isolated) {
      assert.equal(r.wasm, true, `${what}: the WebAssembly kernels run (${r.wasmReason})`);
      assert.deepEqual(r.notices, [], `${what}: no notice`);
      assert.ok(r.threads.splitCalls > 0, `${what}: a large product ran on two threads (${JSON.stringify(r.threads)})`);
    } else {
      assert.equal(r.wasm, false, `${what}: no shared WebAssembly heap without isolation`);
      assert.equal(r.notices.length, 1, `${what}: exactly one notice, got ${JSON.stringify(r.notices)}`);
      assert.match(r.notices[0], /Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp/);
    }
    console.log(
      `browser-check: ${what}: wasm ${r.wasm ? "on" : "off"}, two-thread products ${r.threads.splitCalls}, loss ${r.before.toFixed(3)} -> ${r.after.toFixed(3)} ` +
        `in ${r.steps} steps (${r.trainMs.toFixed(0)} ms, ${(r.trainMs / r.steps).toFixed(1)} ms/step), accuracy ${r.accuracy.toFixed(2)}, page ${r.pageMs.toFixed(0)} ms`,
    );
  }
} catch (e) {
  failed = true;
  console.error(`browser-check: ${e.message}`);
} finally {
  await browser.close();
  server.close();
}
console.log(failed ? "browser-check: FAILED" : "browser-check: all passed");
process.exit(failed ? 1 : 0);
