/** Axis scales for the charts: linear and logarithmic maps from data to pixels, with round tick values. */

export interface Scale {
  /** The pixel coordinate of a data value. */
  map(value: number): number;
  /** Round values to label along the axis, inside the domain. */
  readonly ticks: readonly number[];
  /** A tick's label. */
  format(value: number): string;
}

/** A short label: no trailing zeros, at most 4 significant digits. */
export function formatTick(value: number): string {
  if (value === 0) return "0";
  return String(Number(value.toPrecision(4)));
}

/** The round step (1, 2 or 5 times a power of ten) that cuts `span` into about `count` pieces. */
export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const multiple = [1, 2, 5, 10].find((m) => m * power >= raw)!;
  return multiple * power;
}

/** Maps [lo, hi] linearly onto [from, to] (`to < from` for a y axis, which grows upwards). */
export function linearScale(lo: number, hi: number, from: number, to: number, tickCount = 5): Scale {
  const span = hi - lo || 1;
  const step = niceStep(span, tickCount);
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return { map: (v) => from + ((v - lo) / span) * (to - from), ticks, format: formatTick };
}

/** Maps [lo, hi] (both > 0) logarithmically onto [from, to]; ticks at 1, 2 and 5 times powers of ten when few decades show. */
export function logScale(lo: number, hi: number, from: number, to: number): Scale {
  const a = Math.log10(lo), b = Math.log10(hi) === a ? a + 1 : Math.log10(hi);
  const decades = b - a;
  const multiples = decades > 3 ? [1] : decades > 1.5 ? [1, 3] : [1, 2, 5];
  const ticks: number[] = [];
  for (let p = Math.floor(a); p <= Math.ceil(b); p++) {
    for (const m of multiples) {
      const t = Number((m * 10 ** p).toPrecision(12));
      if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) ticks.push(t);
    }
  }
  return { map: (v) => from + ((Math.log10(v) - a) / (b - a)) * (to - from), ticks, format: formatTick };
}
