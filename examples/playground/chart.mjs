// A live line chart in SVG: training loss per step (left axis) and held-out accuracy (right axis, 0-1).
const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 560, HEIGHT = 240, PAD = { left: 44, right: 44, top: 14, bottom: 28 };

function element(name, attributes, parent) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, String(v));
  if (parent) parent.appendChild(e);
  return e;
}

function text(parent, x, y, content, anchor = "middle", cls = "") {
  const t = element("text", { x, y, "text-anchor": anchor, class: cls }, parent);
  t.textContent = content;
  return t;
}

export class LossChart {
  constructor(container) {
    this.svg = element("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, id: "chart-svg", role: "img", "aria-label": "loss and accuracy" }, container);
    this.axes = element("g", { class: "axes" }, this.svg);
    this.lossLine = element("polyline", { class: "loss", fill: "none" }, this.svg);
    this.accuracyLine = element("polyline", { class: "accuracy", fill: "none" }, this.svg);
    this.clear();
  }

  clear() {
    this.losses = [];
    this.accuracies = []; // [step, accuracy]
    this.draw();
  }

  addLoss(loss) {
    this.losses.push(loss);
  }

  addAccuracy(step, accuracy) {
    this.accuracies.push([step, accuracy]);
  }

  /** Redraws both lines and the axes for the steps so far. */
  draw() {
    const steps = Math.max(10, this.losses.length);
    const maxLoss = Math.max(0.5, ...this.losses.filter(Number.isFinite));
    const x = (step) => PAD.left + ((WIDTH - PAD.left - PAD.right) * step) / steps;
    const y = (fraction) => HEIGHT - PAD.bottom - (HEIGHT - PAD.top - PAD.bottom) * fraction;
    this.lossLine.setAttribute("points", this.losses.map((l, i) => `${x(i + 1).toFixed(1)},${y(l / maxLoss).toFixed(1)}`).join(" "));
    this.accuracyLine.setAttribute("points", this.accuracies.map(([s, a]) => `${x(s).toFixed(1)},${y(a).toFixed(1)}`).join(" "));

    this.axes.replaceChildren();
    element("rect", { x: PAD.left, y: PAD.top, width: WIDTH - PAD.left - PAD.right, height: HEIGHT - PAD.top - PAD.bottom, class: "frame" }, this.axes);
    for (const f of [0, 0.5, 1]) {
      text(this.axes, PAD.left - 6, y(f) + 4, (maxLoss * f).toFixed(2), "end", "loss");
      text(this.axes, WIDTH - PAD.right + 6, y(f) + 4, f.toFixed(1), "start", "accuracy");
    }
    text(this.axes, x(0), HEIGHT - 8, "0");
    text(this.axes, x(steps), HEIGHT - 8, String(steps));
    text(this.axes, WIDTH / 2, HEIGHT - 8, "step");
  }
}
