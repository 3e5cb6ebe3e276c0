// Shared size arithmetic of convolutions and pooling, used by PyTorch, Keras and
// tf.nn specs alike (a Keras Conv2D and a torch Conv2d call the same functions
// with a different layout).

import { type Dim, addDims, ceilDivDims, floorDivDims, mulDims, subDims } from './dim';

/** ⌊(in + 2p − d(k − 1) − 1)/s⌋ + 1 (PyTorch Conv / Pool with symmetric padding). */
export function convOutDim(input: Dim, kernel: Dim, stride: Dim = 1, padding: Dim = 0, dilation: Dim = 1): Dim {
  const eff = addDims(mulDims(dilation, subDims(kernel, 1)), 1);
  return addDims(floorDivDims(subDims(addDims(input, mulDims(2, padding)), eff), stride), 1);
}

/** Same as convOutDim with a total (possibly asymmetric) padding amount. */
export function convOutDimTotalPad(input: Dim, kernel: Dim, stride: Dim, totalPad: Dim, dilation: Dim = 1): Dim {
  const eff = addDims(mulDims(dilation, subDims(kernel, 1)), 1);
  return addDims(floorDivDims(subDims(addDims(input, totalPad), eff), stride), 1);
}

/** (in − 1)s − 2p + d(k − 1) + output_padding + 1 (ConvTranspose). */
export function convTransposeOutDim(input: Dim, kernel: Dim, stride: Dim = 1, padding: Dim = 0, outputPadding: Dim = 0, dilation: Dim = 1): Dim {
  return addDims(addDims(subDims(mulDims(subDims(input, 1), stride), mulDims(2, padding)), mulDims(dilation, subDims(kernel, 1))), addDims(outputPadding, 1));
}

/**
 * Pooling output size, PyTorch rules: with ceil_mode the last window may start in the
 * padding's right half but must start inside the input or left padding.
 */
export function poolOutDim(input: Dim, kernel: Dim, stride: Dim, padding: Dim = 0, dilation: Dim = 1, ceilMode = false): Dim {
  if (!ceilMode) return convOutDim(input, kernel, stride, padding, dilation);
  const eff = addDims(mulDims(dilation, subDims(kernel, 1)), 1);
  const span = subDims(addDims(input, mulDims(2, padding)), eff);
  let out = addDims(ceilDivDims(span, stride), 1);
  // Drop the last window when it would start in the right padding.
  if (typeof out === 'number' && typeof input === 'number' && typeof padding === 'number' && typeof stride === 'number') {
    if ((out - 1) * stride >= input + padding) out -= 1;
  }
  return out;
}

/** TensorFlow / Keras 'valid' and 'same' padding: ⌈(in − d(k−1))/s⌉ and ⌈in/s⌉. */
export function tfConvOutDim(input: Dim, kernel: Dim, stride: Dim, padding: 'valid' | 'same' | 'causal', dilation: Dim = 1): Dim {
  if (padding === 'same' || padding === 'causal') return ceilDivDims(input, stride);
  const eff = addDims(mulDims(dilation, subDims(kernel, 1)), 1);
  return ceilDivDims(addDims(subDims(input, eff), 1), stride);
}

/** TensorFlow / Keras transposed conv: 'valid' → (in−1)s + max(k', s) with k' = d(k−1)+1; 'same' → in·s. */
export function tfConvTransposeOutDim(input: Dim, kernel: Dim, stride: Dim, padding: 'valid' | 'same', outputPadding: Dim | null = null, dilation: Dim = 1): Dim {
  const eff = addDims(mulDims(dilation, subDims(kernel, 1)), 1);
  if (outputPadding !== null) {
    const pad = padding === 'same' ? floorDivDims(eff, 2) : 0;
    return addDims(subDims(addDims(mulDims(subDims(input, 1), stride), eff), mulDims(2, pad)), outputPadding);
  }
  if (padding === 'same') return mulDims(input, stride);
  if (typeof eff === 'number' && typeof stride === 'number') return addDims(mulDims(subDims(input, 1), stride), Math.max(eff, stride));
  return addDims(mulDims(subDims(input, 1), stride), eff);
}
