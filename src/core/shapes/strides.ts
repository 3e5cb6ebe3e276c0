// Element strides of tensors whose memory layout is not the row-major one of their shape:
// the results of transpose / permute / expand (and the views taken of them). A view can be
// taken of such a tensor only when every group of new dims it makes spans old dims that are
// laid out one after the other; torch's rule for that (at::detail::computeStride) is
// followed here, so that `.view()` on a permuted tensor is known to work or to raise.

import type { Shape } from './dim';

/** The strides of a contiguous (row-major) tensor of `shape`. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const out = Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = s;
    s *= shape[i];
  }
  return out;
}

/** The shape as numbers, when every dim is one. */
export function numericShape(shape: Shape | null): number[] | undefined {
  return shape && shape.every((d): d is number => typeof d === 'number') ? (shape as number[]) : undefined;
}

/** Whether `strides` are those of a contiguous tensor of `shape` (dims of size 1 may have any stride). */
export function isContiguous(shape: readonly number[], strides: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] === 1) continue;
    if (strides[i] !== expected) return false;
    expected *= shape[i];
  }
  return true;
}

/**
 * The strides of `shape` viewed as `target` (same element count), or null when no view
 * exists: some new dim would span old dims that are not adjacent in memory. Empty tensors
 * can be viewed in any shape.
 */
export function viewStrides(shape: readonly number[], strides: readonly number[], target: readonly number[]): number[] | null {
  if (shape.some((d) => d === 0)) return contiguousStrides(target);
  const oldShape = shape.length ? shape : [1];
  const oldStrides = strides.length ? strides : [1];
  const out = Array<number>(target.length).fill(0);
  let viewD = target.length - 1;
  let chunkBase = oldStrides[oldStrides.length - 1];
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = oldShape.length - 1; d >= 0; d--) {
    tensorNumel *= oldShape[d];
    // A chunk ends where the next dim out is not laid out right after this one.
    if (d === 0 || (oldShape[d - 1] !== 1 && oldStrides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || target[viewD] === 1)) {
        out[viewD] = viewNumel * chunkBase;
        viewNumel *= target[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = oldStrides[d - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? out : null;
}

/** The layout to keep on a tensor: undefined when it is the contiguous one (the default). */
export function layoutOf(shape: readonly number[], strides: readonly number[]): readonly number[] | undefined {
  return isContiguous(shape, strides) ? undefined : strides;
}
