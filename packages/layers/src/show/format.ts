/** Small formatting rules of Julia and Flux: digit grouping, byte sizes, array summaries, number spelling. */
import { Tensor, type NdArray } from "@tsflux/graph";
import { dtypeName } from "../arrays";

/** Groups digits in threes with `_`, as Flux's `underscorise`: 25450 -> "25_450". */
export function underscorise(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "_");
}

const UNITS = ["byte", "KiB", "MiB", "GiB", "TiB", "PiB"];

/**
 * Julia's `Base.format_bytes`: "240 bytes", "99.414 KiB". The unit is ceil(log(n) / log(1024)); larger
 * units print exactly three decimals, rounded half to even on the exact value (as Julia's Ryu does).
 */
export function formatBytes(bytes: number): string {
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new RangeError(`formatBytes: expected a byte count, got ${bytes}`);
  const unit = bytes <= 1 ? 1 : Math.min(UNITS.length, Math.ceil(Math.log(bytes) / Math.log(1024)));
  if (unit === 1) return `${bytes} ${UNITS[0]}${bytes === 1 ? "" : "s"}`;
  const divisor = 1024n ** BigInt(unit - 1);
  const scaled = BigInt(bytes) * 1000n;
  let thousandths = scaled / divisor;
  const twiceRemainder = 2n * (scaled % divisor);
  if (twiceRemainder > divisor || (twiceRemainder === divisor && thousandths % 2n === 1n)) thousandths += 1n;
  const whole = thousandths / 1000n, fraction = String(thousandths % 1000n).padStart(3, "0");
  return `${whole}.${fraction} ${UNITS[unit - 1]}`;
}

/** How Julia prints a number in a layer's one-line form: `0.5`, `1`, `Inf`, `NaN`. */
export function juliaNumber(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Inf";
  if (x === -Infinity) return "-Inf";
  return String(x);
}

/** Julia's `dims2string`: "0-dimensional", "3-element", "4×3". */
function dimsString(shape: readonly number[]): string {
  if (shape.length === 0) return "0-dimensional";
  if (shape.length === 1) return `${shape[0]}-element`;
  return shape.join("×");
}

/** An array named as Flux's big show names a bare array child: "3-element Vector{Float32}", "2×3×4 Array{Float32,...}". */
export function arraySummary(x: NdArray | Tensor): string {
  const shape = x.shape, element = dtypeName(x instanceof Tensor ? x.dtype : x);
  const type = shape.length === 1 ? `Vector{${element}}` : shape.length === 2 ? `Matrix{${element}}` : `Array{${element},...}`;
  const symbolic = x instanceof Tensor && x.isSymbolic ? " (symbolic)" : "";
  return `${dimsString(shape)} ${type}${symbolic}`;
}
