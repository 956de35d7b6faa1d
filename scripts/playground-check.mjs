// The playground in a real browser: serves examples/playground (as `npm run playground` does), opens it in
// headless Chromium (Debian's `chromium`, driven by playwright-core; no browser is downloaded), trains the
// MNIST MLP for a few chunks of steps and checks that the loss falls, that the gradient graph is drawn as
// SVG, and that a digit drawn on the canvas with the mouse gets a prediction; then trains LeNet-5 briefly.
// Prints the timings. `node scripts/playground-check.mjs` after `npm run build`; CHROMIUM overrides /usr/bin/chromium,
// PLAYGROUND_SCREENSHOT=file.png saves a picture of the page after the digit is drawn.
import assert from "node:assert/strict";
import { startPlayground } from "../examples/playground/serve.mjs";
import { launchChromium } from "./browser/chromium.mjs";

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const log = (line) => console.log(`playground-check: ${line}`);

const serveStart = performance.now();
const server = await startPlayground({ port: 0 });
log(`page bundled and digits packed in ${seconds(performance.now() - serveStart)}`);
const browser = await launchChromium("playground-check");
const page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));

/** Trains until `steps` steps are done, then pauses; returns the wall-clock ms and the longest gap between frames. */
async function trainFor(steps) {
  await page.evaluate(() => {
    const frames = (globalThis.frameGaps = { last: performance.now(), longest: 0, on: true });
    const tick = (now) => {
      frames.longest = Math.max(frames.longest, now - frames.last);
      frames.last = now;
      if (frames.on) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const start = performance.now();
  await page.click("#train");
  await page.waitForFunction((n) => globalThis.playground.steps >= n, steps, { timeout: 180_000 });
  await page.click("#train");
  const ms = performance.now() - start;
  const longestFrameGap = await page.evaluate(() => ((globalThis.frameGaps.on = false), globalThis.frameGaps.longest));
  return { ms, longestFrameGap };
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

let failed = false;
try {
  const loadStart = performance.now();
  await page.goto(server.url);
  await page.waitForFunction(() => globalThis.playground?.ready || globalThis.playground?.error, null, { timeout: 120_000 });
  const loadMs = performance.now() - loadStart;
  const first = await page.evaluate(() => ({ error: globalThis.playground.error, isolated: globalThis.crossOriginIsolated, graphNodes: globalThis.playground.graphNodes }));
  assert.equal(first.error, undefined, first.error);
  assert.equal(first.isolated, true, "the page is cross-origin isolated");
  log(`page ready (digits loaded, model built, gradient graph laid out) in ${seconds(loadMs)}`);

  // the gradient graph of one step, as SVG with one Graphviz node per graph node or more
  const svgNodes = await page.locator("#graph svg g.node").count();
  assert.ok(first.graphNodes > 10, `the gradient graph has ${first.graphNodes} nodes`);
  assert.ok(svgNodes >= first.graphNodes, `the SVG draws ${svgNodes} nodes for a graph of ${first.graphNodes}`);

  // the MLP: the loss falls, the chart follows
  const { ms: mlpMs, longestFrameGap: mlpGap } = await trainFor(150);
  const mlp = await page.evaluate(() => ({ ...globalThis.playground, losses: [...globalThis.playground.losses], accuracies: [...globalThis.playground.accuracies] }));
  const before = mean(mlp.losses.slice(0, 5)), after = mean(mlp.losses.slice(-5));
  assert.ok(before > 1.5, `the first losses are near log(10): ${before}`);
  assert.ok(after < 0.5 * before, `the loss fell from ${before.toFixed(3)} to ${after.toFixed(3)}`);
  const accuracy = mlp.accuracies.at(-1)[1];
  assert.ok(accuracy > 0.8, `held-out accuracy after ${mlp.steps} steps: ${accuracy}`);
  const points = (await page.getAttribute("#chart polyline.loss", "points")).trim().split(/\s+/).length;
  assert.equal(points, mlp.losses.length, "the chart has one point per step");
  log(`MLP: ${mlp.steps} steps in ${seconds(mlpMs)} (${mlp.msPerStep.toFixed(1)} ms/step training, batches of 64), ` +
    `loss ${before.toFixed(3)} -> ${after.toFixed(3)}, held-out accuracy ${(100 * accuracy).toFixed(1)} %, longest gap between frames ${mlpGap.toFixed(0)} ms`);

  // draw a 7 with the mouse: a stroke across the top and down to the bottom left
  const box = await page.locator("#pad").boundingBox();
  const to = (x, y) => page.mouse.move(box.x + x * box.width, box.y + y * box.height, { steps: 12 });
  await to(0.25, 0.2);
  await page.mouse.down();
  await to(0.75, 0.2);
  await to(0.4, 0.85);
  await page.mouse.up();
  await page.waitForFunction(() => document.getElementById("prediction").textContent !== "-", null, { timeout: 10_000 });
  const prediction = await page.textContent("#prediction");
  const bars = await page.locator("#probabilities .bar").count();
  const ink = await page.evaluate(() => Array.from(document.getElementById("preview").getContext("2d").getImageData(0, 0, 28, 28).data).filter((v, i) => i % 4 === 0 && v > 0).length);
  assert.match(prediction, /^[0-9]$/);
  assert.equal(bars, 10, "ten class probabilities");
  assert.ok(ink > 20 && ink < 400, `the 28x28 preview has ink on ${ink} pixels`);
  log(`drew a 7 on the canvas: the MLP predicts ${prediction}`);
  if (process.env.PLAYGROUND_SCREENSHOT) await page.screenshot({ path: process.env.PLAYGROUND_SCREENSHOT });

  // LeNet-5: a new model, a new gradient graph, a few steps
  const lenetStart = performance.now();
  await page.selectOption("#model", "lenet5");
  await page.waitForFunction(() => globalThis.playground.graphNodes > 0, null, { timeout: 120_000 });
  const lenetGraphMs = performance.now() - lenetStart;
  const { ms: lenetMs, longestFrameGap: lenetGap } = await trainFor(40);
  const lenet = await page.evaluate(() => ({ ...globalThis.playground, losses: [...globalThis.playground.losses] }));
  const lenetBefore = mean(lenet.losses.slice(0, 5)), lenetAfter = mean(lenet.losses.slice(-5));
  assert.ok(lenetAfter < 0.8 * lenetBefore, `LeNet-5: the loss fell from ${lenetBefore.toFixed(3)} to ${lenetAfter.toFixed(3)}`);
  log(`LeNet-5: gradient graph of ${lenet.graphNodes} nodes in ${seconds(lenetGraphMs)}; ${lenet.steps} steps in ${seconds(lenetMs)} ` +
    `(${lenet.msPerStep.toFixed(1)} ms/step), loss ${lenetBefore.toFixed(3)} -> ${lenetAfter.toFixed(3)}, longest gap between frames ${lenetGap.toFixed(0)} ms`);
  assert.deepEqual(errors, [], "no page errors");
} catch (e) {
  failed = true;
  console.error(`playground-check: ${e.message}`);
  if (errors.length) console.error(errors.join("\n"));
} finally {
  await browser.close();
  await server.close();
}
log(failed ? "FAILED" : "all passed");
process.exit(failed ? 1 : 0);
