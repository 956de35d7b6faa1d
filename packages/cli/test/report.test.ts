/** The report: chart scales, the loss chart's SVG, epoch lines and progress bars, FLOP counts. */
import { PassThrough } from "node:stream";
import { EpochProgress, epochLine, formatFlops, lossChartSvg, type History } from "@tsflux/cli";
import { linearScale, logScale, niceStep } from "../src/report/scales";

describe("scales", () => {
  test("niceStep picks 1, 2 or 5 times a power of ten", () => {
    expect([niceStep(1, 5), niceStep(12, 5), niceStep(0.07, 4), niceStep(900, 3)]).toEqual([0.2, 5, 0.02, 500]);
  });

  test("a linear scale maps the ends of the domain to the ends of the range, with round ticks inside", () => {
    const s = linearScale(0.8, 1, 200, 100, 4);
    expect([s.map(0.8), s.map(1), s.map(0.9)]).toEqual([200, 100, 150]);
    expect(s.ticks).toEqual([0.8, 0.85, 0.9, 0.95, 1]);
    expect(s.ticks.map(s.format)).toEqual(["0.8", "0.85", "0.9", "0.95", "1"]);
  });

  test("a log scale puts each decade the same distance apart, with ticks at 1, 2, 5 or 1, 3 times powers of ten", () => {
    const s = logScale(0.01, 1, 300, 100);
    expect([s.map(1), s.map(0.1), s.map(0.01)].map((v) => Math.round(v * 1e9) / 1e9)).toEqual([100, 200, 300]);
    expect(s.ticks).toEqual([0.01, 0.03, 0.1, 0.3, 1]);
    expect(logScale(0.2, 3, 0, 1).ticks).toEqual([0.2, 0.5, 1, 2]);
  });
});

const history: History = {
  steps: [{ epoch: 0.5, loss: 2 }, { epoch: 1, loss: 1 }, { epoch: 1.5, loss: 0.5 }, { epoch: 2, loss: 0.25 }],
  epochs: [
    { epoch: 1, loss: 1.5, accuracy: 0.6, testLoss: 1.2, testAccuracy: 0.7, seconds: 0.1 },
    { epoch: 2, loss: 0.375, accuracy: 0.9, testLoss: 0.5, testAccuracy: 0.85, seconds: 0.1 },
  ],
};

describe("lossChartSvg", () => {
  const svg = lossChartSvg(history, { title: "a <test> & run" });
  const polylines = [...svg.matchAll(/<polyline [^>]*stroke="([^"]+)"[^>]*points="([^"]+)"/g)].map((m) => ({ color: m[1], points: m[2]!.split(" ").map((p) => p.split(",").map(Number)) }));

  test("is an SVG document with an escaped title and both panels", () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="760" height="564"')).toBe(true);
    expect(svg).toContain(">a &lt;test&gt; &amp; run</text>");
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    for (const label of ["loss per step", "training loss (epoch mean)", "test loss", "training accuracy", "test accuracy", ">loss<", ">accuracy<", ">epoch<"]) {
      expect(svg).toContain(label);
    }
  });

  test("draws one line per series with one point per record, in order along the x axis", () => {
    expect(polylines.map((p) => p.points.length)).toEqual([4, 2, 2, 2, 2]);
    for (const { points } of polylines) for (let i = 1; i < points.length; i++) expect(points[i]![0]).toBeGreaterThan(points[i - 1]![0]!);
  });

  test("the loss axis is logarithmic: each halving of the loss is the same step down the page", () => {
    const ys = polylines[0]!.points.map(([, y]) => y!);
    const steps = ys.slice(1).map((y, i) => y - ys[i]!);
    for (const s of steps) expect(s).toBeCloseTo(steps[0]!, 0);
    expect(steps[0]).toBeGreaterThan(0); // falling loss goes down the page (larger y)
  });

  test("the final test accuracy is written next to its point", () => {
    expect(svg).toContain(">0.850</text>");
  });

  test("without accuracy (regression) there is only the loss panel", () => {
    const regression = lossChartSvg({ steps: history.steps, epochs: history.epochs.map(({ epoch, loss, seconds }) => ({ epoch, loss, seconds })) });
    expect(regression).toContain('height="330"'); // 64 above, 210 for the panel, 56 below
    expect(regression).not.toContain("accuracy");
  });
});

describe("progress", () => {
  test("the line for a finished epoch", () => {
    expect(epochLine(history.epochs[1]!, 12)).toBe("epoch  2/12  loss 0.3750  accuracy 0.900  test loss 0.5000  test accuracy 0.850  (0.1 s)");
    expect(epochLine({ epoch: 3, loss: 0.25, seconds: 2 }, 3)).toBe("epoch 3/3  loss 0.2500  (2.0 s)");
  });

  test("without a terminal: one line per epoch and no bar", () => {
    let text = "";
    const progress = new EpochProgress({ write: (s: string) => (text += s) }, 2, false);
    progress.start(1, 10);
    progress.step({ step: 1, loss: 2.3, accuracy: 0.1 });
    progress.end(history.epochs[0]!);
    expect(text).toBe(epochLine(history.epochs[0]!, 2) + "\n");
  });

  test("on a terminal: a cli-progress bar with the running loss and accuracy, then the test accuracy", () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true, columns: 200, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
    let text = "";
    tty.on("data", (chunk: Buffer) => (text += chunk.toString()));
    const progress = new EpochProgress(tty, 2, true);
    progress.start(1, 4);
    for (let step = 1; step <= 4; step++) progress.step({ step, loss: 1 / step, accuracy: step / 5 });
    progress.end(history.epochs[0]!);
    expect(text).toContain("epoch 1/2 ██████████████████████████████ 4/4 | loss 0.2500 | accuracy 0.800 | test accuracy 0.700");
  });
});

test("formatFlops", () => {
  expect([formatFlops(52), formatFlops(1640000), formatFlops(154_330_000), formatFlops(2.5e12)]).toEqual(["52 FLOP", "1.64 MFLOP", "154.33 MFLOP", "2.50 TFLOP"]);
});
