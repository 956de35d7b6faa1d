/** The conv ops on already-normalised attributes (what the derivative rules call). */
import type { Tensor } from "../tensor";
import { applyOp, type OpInput } from "../ops/apply";
import type { ConvAttrs, ConvDataAttrs, ConvFilterAttrs } from "../ops/conv-geometry";

/** Only the conv attributes (drops `spatial` / `kernel` of the adjoints' attributes). */
export function convAttrsOf(a: ConvAttrs): ConvAttrs {
  return { stride: a.stride, pad: a.pad, dilation: a.dilation, groups: a.groups, flip: a.flip };
}

/** y = conv(x, w). */
export function convOp(x: OpInput, w: OpInput, a: ConvAttrs): Tensor {
  return applyOp("conv", [x, w], convAttrsOf(a));
}

/** ∇conv_data: the adjoint of conv(·, w) applied to dy, for data of spatial size `a.spatial`. */
export function convDataOp(dy: OpInput, w: OpInput, a: ConvAttrs & { spatial: readonly number[] }): Tensor {
  const attrs: ConvDataAttrs = { ...convAttrsOf(a), spatial: [...a.spatial] };
  return applyOp("convData", [dy, w], attrs);
}

/** ∇conv_filter: the adjoint of conv(x, ·) applied to dy, for a filter of spatial size `a.kernel`. */
export function convFilterOp(x: OpInput, dy: OpInput, a: ConvAttrs & { kernel: readonly number[] }): Tensor {
  const attrs: ConvFilterAttrs = { ...convAttrsOf(a), kernel: [...a.kernel] };
  return applyOp("convFilter", [x, dy], attrs);
}
