// The playground page: pick a model, train it on MNIST digits while the chart updates, look at the
// gradient graph of one step, and draw a digit for the model to classify. Training runs in short chunks
// between frames (setTimeout), so the page stays responsive.
import { wasmAvailable } from "@tsflux/graph";
import { MODELS } from "./models.mjs";
import { loadDigits } from "./digits.mjs";
import { Trainer } from "./trainer.mjs";
import { LossChart } from "./chart.mjs";
import { Sketchpad } from "./sketchpad.mjs";
import { showGraph } from "./graph-view.mjs";

const CHUNK_MS = 30; // training time per chunk before the page gets a frame
const EVALUATE_EVERY = 25; // steps between accuracy measurements

const $ = (id) => document.getElementById(id);
const chart = new LossChart($("chart"));
let digits, trainer, running = false, lastPixels = null;
let trainingMs = 0; // time spent in training steps (not scoring or drawing)
let scoring = null; // an accuracy measurement in progress (trainer.accuracySlices), finished before the next step

/** What the page shows and a test reads: the losses, the accuracies, timings. */
const playground = (globalThis.playground = { ready: false, losses: chart.losses, accuracies: chart.accuracies, graphNodes: 0, steps: 0, msPerStep: 0 });

function status() {
  const loss = chart.losses.at(-1), accuracy = chart.accuracies.at(-1)?.[1];
  $("status").textContent = [
    `step ${trainer.steps}`,
    loss !== undefined ? `loss ${loss.toFixed(3)}` : "",
    accuracy !== undefined ? `test accuracy ${(100 * accuracy).toFixed(1)} %` : "",
    trainer.steps ? `${playground.msPerStep.toFixed(1)} ms/step` : "",
    wasmAvailable() ? "WebAssembly kernels" : "JavaScript kernels (page not cross-origin isolated)",
  ].filter(Boolean).join(" · ");
}

function chunk() {
  if (!running) return;
  const start = performance.now();
  while (performance.now() - start < CHUNK_MS) {
    if (scoring) {
      const next = scoring.next();
      if (next.done) {
        chart.addAccuracy(trainer.steps, next.value);
        scoring = null;
      }
      continue;
    }
    const stepStart = performance.now();
    chart.addLoss(trainer.step());
    trainingMs += performance.now() - stepStart;
    if (trainer.steps % EVALUATE_EVERY === 0) scoring = trainer.accuracySlices();
  }
  Object.assign(playground, { steps: trainer.steps, msPerStep: trainingMs / trainer.steps });
  chart.draw();
  status();
  if (lastPixels) predict(lastPixels);
  setTimeout(chunk, 0);
}

function setRunning(on) {
  running = on;
  $("train").textContent = on ? "Pause" : "Train";
  if (on) setTimeout(chunk, 0);
}

function predict(pixels) {
  lastPixels = pixels;
  const preview = $("preview").getContext("2d"), image = preview.createImageData(28, 28);
  pixels.forEach((v, i) => image.data.set([255 * v, 255 * v, 255 * v, 255], 4 * i));
  preview.putImageData(image, 0, 0);
  const probabilities = trainer.predict(pixels);
  const best = probabilities.indexOf(Math.max(...probabilities));
  $("prediction").textContent = String(best);
  $("probabilities").replaceChildren(...probabilities.map((p, d) => {
    const row = document.createElement("div");
    row.className = d === best ? "bar best" : "bar";
    row.innerHTML = `<span>${d}</span><i style="width:${(100 * p).toFixed(1)}%"></i><span>${(100 * p).toFixed(0)} %</span>`;
    return row;
  }));
}

async function newModel() {
  setRunning(false);
  const spec = MODELS[$("model").value];
  trainer = new Trainer(spec, digits);
  trainingMs = 0;
  chart.clear();
  scoring = null;
  Object.assign(playground, { losses: chart.losses, accuracies: chart.accuracies, steps: 0, msPerStep: 0, graphNodes: 0 });
  $("model-title").textContent = spec.title;
  chart.addAccuracy(0, trainer.accuracy());
  chart.draw();
  status();
  if (lastPixels) predict(lastPixels);
  $("graph").textContent = "laying out the gradient graph...";
  await new Promise((resolve) => setTimeout(resolve, 0)); // paint first
  playground.graphNodes = await showGraph(trainer.gradientGraph(), $("graph"));
  $("graph-title").textContent = `Gradient graph of one step (${playground.graphNodes} nodes, batch of 4)`;
}

async function start() {
  for (const [key, spec] of Object.entries(MODELS)) $("model").add(new Option(spec.title.split(":")[0], key));
  digits = await loadDigits();
  $("data").textContent = `${digits.train.count} training digits, ${digits.test.count} held out`;
  $("model").addEventListener("change", newModel);
  $("train").addEventListener("click", () => setRunning(!running));
  $("reset").addEventListener("click", newModel);
  const pad = new Sketchpad($("pad"), (pixels) => pixels && predict(pixels));
  $("clear").addEventListener("click", () => {
    pad.clear();
    lastPixels = null;
    $("prediction").textContent = "-";
    $("probabilities").replaceChildren();
  });
  await newModel();
  playground.ready = true;
}

start().catch((error) => {
  playground.error = String(error?.stack ?? error);
  $("status").textContent = `error: ${error.message}`;
  throw error;
});
