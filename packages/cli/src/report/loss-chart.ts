/**
 * The training curves as an SVG line chart: the loss of every step and of every epoch (training and
 * test) on a log axis, and below it the training and test accuracy per epoch, both against epochs.
 */
import type { History } from "../experiment/fit";
import { linearScale, logScale, niceStep, type Scale } from "./scales";

const WIDTH = 760, LEFT = 70, RIGHT = 30, TOP = 64, LOSS_HEIGHT = 210, GAP = 64, ACCURACY_HEIGHT = 170, BOTTOM = 56;
const COLORS = { step: "#9ecae1", train: "#1f77b4", test: "#e6550d", grid: "#e5e5e5", axis: "#333" };

interface Series {
  readonly label: string;
  readonly points: readonly (readonly [number, number])[];
  readonly color: string;
  readonly width: number;
  readonly dashed?: boolean;
  readonly markers?: boolean;
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const px = (v: number) => v.toFixed(1);

/** One panel: frame, grid, y ticks and label, x ticks, the series and a legend (in the corner the curves leave free). */
function panel(top: number, height: number, x: Scale, y: Scale, yLabel: string, series: readonly Series[], legendAt: "top" | "bottom"): string {
  const right = WIDTH - RIGHT, bottom = top + height;
  const parts: string[] = [];
  for (const t of y.ticks) {
    const ty = px(y.map(t));
    parts.push(`<line x1="${LEFT}" y1="${ty}" x2="${right}" y2="${ty}" stroke="${COLORS.grid}"/>`);
    parts.push(`<text x="${LEFT - 8}" y="${ty}" text-anchor="end" dominant-baseline="middle">${escape(y.format(t))}</text>`);
  }
  for (const t of x.ticks) {
    const tx = px(x.map(t));
    parts.push(`<line x1="${tx}" y1="${bottom}" x2="${tx}" y2="${bottom + 5}" stroke="${COLORS.axis}"/>`);
    parts.push(`<text x="${tx}" y="${bottom + 18}" text-anchor="middle">${escape(x.format(t))}</text>`);
  }
  parts.push(`<rect x="${LEFT}" y="${top}" width="${right - LEFT}" height="${height}" fill="none" stroke="${COLORS.axis}"/>`);
  parts.push(`<text transform="translate(${LEFT - 50} ${top + height / 2}) rotate(-90)" text-anchor="middle">${escape(yLabel)}</text>`);
  for (const s of series) {
    if (s.points.length === 0) continue;
    const points = s.points.map(([a, b]) => `${px(x.map(a))},${px(y.map(b))}`).join(" ");
    parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="${s.width}"${s.dashed ? ' stroke-dasharray="6 4"' : ""} points="${points}"/>`);
    if (s.markers) for (const [a, b] of s.points) parts.push(`<circle cx="${px(x.map(a))}" cy="${px(y.map(b))}" r="3" fill="${s.color}"/>`);
  }
  const shown = series.filter((s) => s.points.length > 0);
  const boxTop = legendAt === "top" ? top + 6 : bottom - 6 - (shown.length * 18 + 6);
  if (shown.length > 0) parts.push(`<rect x="${right - 226}" y="${boxTop}" width="220" height="${shown.length * 18 + 6}" fill="white" fill-opacity="0.85"/>`);
  shown.forEach((s, i) => {
    const ly = boxTop + 12 + i * 18, lx = right - 218;
    parts.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${s.color}" stroke-width="${Math.max(2, s.width)}"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>`);
    parts.push(`<text x="${lx + 32}" y="${ly}" dominant-baseline="middle">${escape(s.label)}</text>`);
  });
  return parts.join("\n");
}

/**
 * The loss axis: logarithmic (at most 4 decades) when every loss is positive, linear otherwise; and
 * the lowest loss it can show, where smaller ones are drawn.
 */
function lossScale(values: readonly number[], top: number): { scale: Scale; floor: number } {
  const hi = Math.max(...values), lo = Math.min(...values);
  if (lo > 0) {
    const floor = Math.max(lo, hi / 1e4);
    return { scale: logScale(floor, hi, top + LOSS_HEIGHT, top), floor };
  }
  return { scale: linearScale(Math.min(0, lo), hi, top + LOSS_HEIGHT, top), floor: -Infinity };
}

/** The accuracy axis: from a round value below the lowest accuracy up to 1. */
function accuracyScale(values: readonly number[], top: number): Scale {
  const lowest = Math.min(...values);
  const step = niceStep(Math.max(1 - lowest, 0.02), 4);
  return linearScale(Math.max(0, Math.floor(lowest / step) * step), 1, top + ACCURACY_HEIGHT, top, 4);
}

/** Options of the loss chart. */
export interface ChartOptions {
  /** Shown at the top, e.g. the experiment's name. */
  readonly title?: string;
}

/** The SVG text of the loss (and, for classification, accuracy) curves of a training run. */
export function lossChartSvg(history: History, opts: ChartOptions = {}): string {
  const epochs = history.epochs.length;
  const x = linearScale(0, Math.max(1, epochs), LEFT, WIDTH - RIGHT, Math.min(10, Math.max(1, epochs)));
  const perEpoch = (key: "loss" | "testLoss" | "accuracy" | "testAccuracy") =>
    history.epochs.flatMap((e) => (e[key] === undefined ? [] : [[e.epoch, e[key]] as const]));
  const loss: Series[] = [
    { label: "loss per step", points: history.steps.map((s) => [s.epoch, s.loss] as const), color: COLORS.step, width: 1 },
    { label: "training loss (epoch mean)", points: perEpoch("loss"), color: COLORS.train, width: 2, markers: true },
    { label: "test loss", points: perEpoch("testLoss"), color: COLORS.test, width: 2, dashed: true, markers: true },
  ];
  const accuracy: Series[] = [
    { label: "training accuracy", points: perEpoch("accuracy"), color: COLORS.train, width: 2, markers: true },
    { label: "test accuracy", points: perEpoch("testAccuracy"), color: COLORS.test, width: 2, dashed: true, markers: true },
  ];
  const hasAccuracy = accuracy.some((s) => s.points.length > 0);
  const height = TOP + LOSS_HEIGHT + (hasAccuracy ? GAP + ACCURACY_HEIGHT : 0) + BOTTOM;
  const { scale: yLoss, floor } = lossScale(loss.flatMap((s) => s.points.map(([, v]) => v)), TOP);
  const clamped = loss.map((s) => ({ ...s, points: s.points.map(([a, b]) => [a, Math.max(b, floor)] as const) }));
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="28" text-anchor="middle" font-size="16" font-weight="bold">${escape(opts.title ?? "training")}</text>`,
    panel(TOP, LOSS_HEIGHT, x, yLoss, "loss", clamped, "top"),
  ];
  if (hasAccuracy) {
    const top = TOP + LOSS_HEIGHT + GAP;
    const yAccuracy = accuracyScale(accuracy.flatMap((s) => s.points.map(([, v]) => v)), top);
    parts.push(panel(top, ACCURACY_HEIGHT, x, yAccuracy, "accuracy", accuracy, "bottom"));
    const last = accuracy[1]!.points.at(-1);
    if (last) parts.push(`<text x="${px(x.map(last[0]) - 6)}" y="${px(yAccuracy.map(last[1]) + 18)}" text-anchor="end" fill="${COLORS.test}" font-weight="bold">${escape(last[1].toFixed(3))}</text>`);
  }
  parts.push(`<text x="${(LEFT + WIDTH - RIGHT) / 2}" y="${height - 14}" text-anchor="middle">epoch</text>`, "</svg>");
  return parts.join("\n") + "\n";
}
