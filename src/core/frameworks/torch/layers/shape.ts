// torch.nn layers that only move or resize data: Flatten, Unflatten, Identity, Upsample
// (and its Nearest / Bilinear 2d forms), PixelShuffle / PixelUnshuffle, ChannelShuffle and
// the padding layers (padding tuples list the LAST dim first: (left, right, top, bottom, front, back)).

import {
  type Dim,
  type Shape,
  UNKNOWN_DIM,
  addDims,
  dimsConflict,
  floorDivDims,
  formatDim,
  formatShape,
  mulDims,
  prodDims,
} from '../../../shapes/dim';
import type { Value } from '../../../eval/values';
import { NONE, tensor } from '../../../eval/values';
import type { LayerArgs, LayerSpec, ParamDef } from '../../spec';
import { ShapeError, out } from '../../spec';
import { convOutDim } from '../../../shapes/ops';
import { type KnownTensor, defineLayer, markFlattened, inputAt, kerasEquivalent, noParams, normDim, numberOf, rankError, scaleDim } from './common';

export const Identity: LayerSpec = defineLayer({
  name: 'Identity',
  signature: [
    { name: 'args', star: '*' },
    { name: 'kwargs', star: '**' },
  ],
  doc: 'Returns its input unchanged (a placeholder; constructor arguments are ignored).',
  tensorInputs: [],
  params: noParams,
  forward: (_a, inputs) => inputs[0] ?? NONE,
  equivalents: kerasEquivalent('Identity()'),
});

/** torch.ao.quantization's QuantStub / DeQuantStub: identity modules until the model is converted (not torch.nn layers). */
const quantStub = (name: string): LayerSpec => defineLayer({
  name,
  signature: [{ name: 'qconfig', default: null }],
  doc: `${name}: passes its input through until the model is quantized (torch.ao.quantization).`,
  tensorInputs: [],
  params: noParams,
  forward: (_a, inputs) => inputs[0] ?? NONE,
});
export const QuantStub = quantStub('QuantStub');
export const DeQuantStub = quantStub('DeQuantStub');

export const Flatten: LayerSpec = defineLayer({
  name: 'Flatten',
  signature: [
    { name: 'start_dim', default: 1 },
    { name: 'end_dim', default: -1 },
  ],
  doc: 'Merges dims start_dim..end_dim into one (default: everything after the batch dim).',
  params: noParams,
  forward(a, inputs) {
    const t = inputAt(inputs);
    const r = t.shape.length;
    const s0 = a.int('start_dim');
    const e0 = a.int('end_dim');
    if (s0 === null || e0 === null) return tensor(null, t.dtype);
    if (r === 0) return out([1], t.dtype);
    const s = normDim('Flatten', s0, r);
    const e = normDim('Flatten', e0, r);
    if (s > e) throw new ShapeError(`Flatten: start_dim ${s0} comes after end_dim ${e0} for a ${r}-D input`, 'DL406');
    const o = out([...t.shape.slice(0, s), prodDims(t.shape.slice(s, e + 1)), ...t.shape.slice(e + 1)], t.dtype);
    return s >= 1 && e === r - 1 && e > s ? markFlattened(o, t.shape) : o;
  },
  equivalents: kerasEquivalent('Flatten()  # flattens everything after the batch dim'),
});

export const Unflatten: LayerSpec = defineLayer({
  name: 'Unflatten',
  signature: [{ name: 'dim' }, { name: 'unflattened_size' }],
  doc: 'Splits dim `dim` into unflattened_size (one entry may be -1).',
  params: noParams,
  forward(a, inputs) {
    const t = inputAt(inputs);
    const d0 = a.int('dim');
    const sizes = a.dimList('unflattened_size');
    if (d0 === null || !sizes) return tensor(null, t.dtype);
    const d = normDim('Unflatten', d0, t.shape.length);
    const size = t.shape[d];
    const holes = sizes.filter((x) => x === -1).length;
    if (holes > 1) throw new ShapeError('Unflatten: only one entry of unflattened_size can be -1', 'DL404');
    const known = prodDims(sizes.filter((x) => x !== -1));
    let filled: Dim[] = sizes;
    if (holes === 1) {
      if (typeof size === 'number' && typeof known === 'number' && known > 0 && size % known !== 0) {
        throw new ShapeError(`Unflatten: ${formatShape(sizes)} cannot split dim ${d0} of size ${size}`, 'DL404');
      }
      filled = sizes.map((x) => (x === -1 ? floorDivDims(size, known) : x));
    } else if (dimsConflict(known, size)) {
      throw new ShapeError(`Unflatten: unflattened_size ${formatShape(sizes)} multiplies to ${formatDim(known)}, but dim ${d0} of the input has size ${formatDim(size)}`, 'DL404');
    }
    return out([...t.shape.slice(0, d), ...filled, ...t.shape.slice(d + 1)], t.dtype);
  },
  equivalents: kerasEquivalent('Reshape(target_shape)  # excludes the batch dim'),
});

// ---------------------------------------------------------------------------------------
// Upsampling (F.interpolate): spatial dims are everything after (N, C).
// ---------------------------------------------------------------------------------------

const MODE_RANK: Record<string, number | undefined> = { linear: 3, bilinear: 4, bicubic: 4, trilinear: 5 };

function upsampled(owner: string, a: LayerArgs, t: KnownTensor, mode: string | null): Shape {
  const r = t.shape.length;
  if (r < 3 || r > 5) throw rankError(owner, '3-D, 4-D or 5-D (N, C, *spatial)', t);
  const need = mode ? MODE_RANK[mode] : undefined;
  if (need !== undefined && r !== need) throw new ShapeError(`${owner}: mode '${mode}' needs a ${need}-D input, but got a ${r}-D input ${formatShape(t.shape)}`, 'DL406');
  const n = r - 2;
  const hasSize = a.has('size');
  const hasScale = a.has('scale_factor');
  if (hasSize === hasScale) throw new ShapeError(`${owner}: exactly one of size or scale_factor must be given`, 'DL406');
  const spatial = t.shape.slice(2);
  let result: Dim[];
  if (hasSize) {
    const sv = a.raw('size');
    if ((sv.k === 'tuple' || sv.k === 'list') && sv.items.length !== n) {
      throw new ShapeError(`${owner}: size has ${sv.items.length} entries but the input has ${n} spatial dim${n > 1 ? 's' : ''}`, 'DL406');
    }
    result = a.dims('size', n);
  } else {
    const fv = a.raw('scale_factor');
    let factors: Array<number | null>;
    if (fv.k === 'tuple' || fv.k === 'list') {
      if (fv.items.length !== n) throw new ShapeError(`${owner}: scale_factor has ${fv.items.length} entries but the input has ${n} spatial dim${n > 1 ? 's' : ''}`, 'DL406');
      factors = fv.items.map(numberOf);
    } else factors = Array(n).fill(numberOf(fv));
    result = spatial.map((x, i) => (factors[i] === null ? UNKNOWN_DIM : scaleDim(x, factors[i] as number)));
  }
  return [t.shape[0], t.shape[1], ...result];
}

function makeUpsample(name: string, fixedMode: string | null, doc: string, keras: string): LayerSpec {
  const signature: ParamDef[] = [
    { name: 'size', default: null },
    { name: 'scale_factor', default: null },
  ];
  if (!fixedMode) signature.push({ name: 'mode', default: 'nearest' }, { name: 'align_corners', default: null }, { name: 'recompute_scale_factor', default: null });
  return defineLayer({
    name,
    signature,
    doc,
    params: noParams,
    forward(a, inputs) {
      const t = inputAt(inputs);
      return out(upsampled(name, a, t, fixedMode ?? a.str('mode')), t.dtype);
    },
    equivalents: kerasEquivalent(keras),
  });
}

export const Upsample = makeUpsample(
  'Upsample',
  null,
  "Resizes the spatial dims of (N, C, *) to `size` or ⌊in·scale_factor⌋ (mode 'nearest', 'linear', 'bilinear', 'bicubic', 'trilinear', 'area').",
  "UpSampling2D(size=scale_factor, interpolation='nearest')  # integer factors, channels-last",
);
export const UpsamplingNearest2d = makeUpsample('UpsamplingNearest2d', 'nearest', 'Nearest-neighbour upsampling to `size` or ⌊in·scale_factor⌋.', "UpSampling2D(size=scale_factor, interpolation='nearest')");
export const UpsamplingBilinear2d = makeUpsample(
  'UpsamplingBilinear2d',
  'bilinear',
  'Bilinear upsampling (align_corners=True) of (N, C, H, W) to `size` or ⌊in·scale_factor⌋.',
  "UpSampling2D(size=scale_factor, interpolation='bilinear')  # Keras does not align corners",
);

// ---------------------------------------------------------------------------------------
// Pixel / channel shuffles.
// ---------------------------------------------------------------------------------------

/** A size that must divide evenly: channel counts are DL402, spatial sizes DL406. */
function expectDivisible(owner: string, what: string, size: Dim, by: Dim, code = 'DL402'): void {
  if (typeof size === 'number' && typeof by === 'number' && by > 0 && size % by !== 0) {
    throw new ShapeError(`${owner}: ${what} ${size} is not divisible by ${by}`, code);
  }
}

export const PixelShuffle: LayerSpec = defineLayer({
  name: 'PixelShuffle',
  signature: [{ name: 'upscale_factor' }],
  doc: 'Rearranges (*, C·r², H, W) into (*, C, H·r, W·r) (sub-pixel convolution upsampling).',
  params: noParams,
  forward(a, inputs) {
    const t = inputAt(inputs);
    const r = t.shape.length;
    if (r < 3) throw rankError('PixelShuffle', 'at least 3-D (*, C, H, W)', t);
    const f = a.dim('upscale_factor');
    const [c, h, w] = t.shape.slice(r - 3);
    const f2 = mulDims(f, f);
    expectDivisible('PixelShuffle', `the channel dim (size ${formatDim(c)}) must be divisible by upscale_factor² =`, c, f2);
    return out([...t.shape.slice(0, r - 3), floorDivDims(c, f2), mulDims(h, f), mulDims(w, f)], t.dtype);
  },
  equivalents: [{ framework: 'tf', call: 'tf.nn.depth_to_space(x, block_size=upscale_factor)  # channels-last' }],
});

export const PixelUnshuffle: LayerSpec = defineLayer({
  name: 'PixelUnshuffle',
  signature: [{ name: 'downscale_factor' }],
  doc: 'Rearranges (*, C, H·r, W·r) into (*, C·r², H, W) (inverse of PixelShuffle).',
  params: noParams,
  forward(a, inputs) {
    const t = inputAt(inputs);
    const r = t.shape.length;
    if (r < 3) throw rankError('PixelUnshuffle', 'at least 3-D (*, C, H, W)', t);
    const f = a.dim('downscale_factor');
    const [c, h, w] = t.shape.slice(r - 3);
    expectDivisible('PixelUnshuffle', `the height (size ${formatDim(h)}) must be divisible by downscale_factor =`, h, f, 'DL406');
    expectDivisible('PixelUnshuffle', `the width (size ${formatDim(w)}) must be divisible by downscale_factor =`, w, f, 'DL406');
    return out([...t.shape.slice(0, r - 3), mulDims(c, mulDims(f, f)), floorDivDims(h, f), floorDivDims(w, f)], t.dtype);
  },
  equivalents: [{ framework: 'tf', call: 'tf.nn.space_to_depth(x, block_size=downscale_factor)  # channels-last' }],
});

export const ChannelShuffle: LayerSpec = defineLayer({
  name: 'ChannelShuffle',
  signature: [{ name: 'groups' }],
  doc: 'Interleaves the channels of (N, C, *) across `groups` groups (ShuffleNet); shape unchanged.',
  params: noParams,
  forward(a, inputs) {
    const t = inputAt(inputs);
    if (t.shape.length < 3) throw rankError('ChannelShuffle', 'at least 3-D (N, C, *)', t);
    expectDivisible('ChannelShuffle', `the channel dim (size ${formatDim(t.shape[1])}) must be divisible by groups =`, t.shape[1], a.dim('groups'));
    return out([...t.shape], t.dtype);
  },
});

// ---------------------------------------------------------------------------------------
// Padding layers.
// ---------------------------------------------------------------------------------------

type PadKind = 'Reflection' | 'Replication' | 'Constant' | 'Zero';

/** The 2n pad amounts, last dim first; an int pads every side. */
function padAmounts(a: LayerArgs, n: number): Dim[] {
  const v: Value = a.raw('padding');
  if (v.k === 'tuple' || v.k === 'list') return v.items.length === 2 * n ? a.dims('padding', 2 * n) : Array(2 * n).fill(UNKNOWN_DIM);
  return Array(2 * n).fill(a.dim('padding'));
}

function makePad(kind: PadKind, n: number): LayerSpec {
  const name = `${kind}Pad${n}d`;
  const constant = kind === 'Constant' || kind === 'Zero';
  const signature: ParamDef[] = kind === 'Constant' ? [{ name: 'padding' }, { name: 'value' }] : [{ name: 'padding' }];
  const fill = kind === 'Reflection' ? 'the reflection of the input' : kind === 'Replication' ? 'copies of the edge values' : kind === 'Zero' ? 'zeros' : '`value`';
  return defineLayer({
    name,
    signature,
    doc: `Pads the last ${n} dim${n > 1 ? 's' : ''} with ${fill}; a tuple padding lists the last dim first (left, right${n > 1 ? ', top, bottom' : ''}${n > 2 ? ', front, back' : ''}).`,
    params: noParams,
    forward(a, inputs) {
      const t = inputAt(inputs);
      const r = t.shape.length;
      if (constant ? r < n : r !== n + 1 && r !== n + 2) {
        throw rankError(name, constant ? `at least ${n}-D` : `${n + 1}-D or ${n + 2}-D`, t);
      }
      const pads = padAmounts(a, n);
      const shape = [...t.shape];
      for (let i = 0; i < n; i++) {
        const axis = r - 1 - i;
        const [lo, hi] = [pads[2 * i], pads[2 * i + 1]];
        const size = shape[axis];
        if (kind === 'Reflection' && typeof size === 'number') {
          for (const p of [lo, hi]) {
            if (typeof p === 'number' && p >= size) throw new ShapeError(`${name}: padding ${p} must be smaller than the padded dim ${axis}, which has size ${size}`, 'DL405');
          }
        }
        const padded = addDims(addDims(size, lo), hi);
        if (typeof padded === 'number' && padded < 1) throw new ShapeError(`${name}: padding ${formatShape(pads)} leaves dim ${axis} of ${formatShape(t.shape)} with size ${padded}`, 'DL405');
        shape[axis] = padded;
      }
      return out(shape, t.dtype);
    },
    equivalents:
      kind === 'Zero' && n === 2
        ? kerasEquivalent('ZeroPadding2D(padding=((top, bottom), (left, right)))  # channels-last')
        : kind === 'Constant' || kind === 'Zero'
          ? [{ framework: 'tf', call: `tf.pad(x, paddings, mode='CONSTANT', constant_values=value)` }]
          : kind === 'Reflection'
            ? [{ framework: 'tf', call: "tf.pad(x, paddings, mode='REFLECT')" }]
            : [{ framework: 'tf', call: "tf.pad(x, paddings, mode='SYMMETRIC')  # not identical: SYMMETRIC repeats the edge once" }],
  });
}

export const ReflectionPad1d = makePad('Reflection', 1);
export const ReflectionPad2d = makePad('Reflection', 2);
export const ReflectionPad3d = makePad('Reflection', 3);
export const ReplicationPad1d = makePad('Replication', 1);
export const ReplicationPad2d = makePad('Replication', 2);
export const ReplicationPad3d = makePad('Replication', 3);
export const ZeroPad2d = makePad('Zero', 2);
export const ConstantPad1d = makePad('Constant', 1);
export const ConstantPad2d = makePad('Constant', 2);
export const ConstantPad3d = makePad('Constant', 3);

// ---------------------------------------------------------------------------------------
// Sliding blocks: Unfold (im2col) and Fold (col2im), 2-D only as in torch 1.13.
// ---------------------------------------------------------------------------------------

const BLOCK_SIGNATURE: ParamDef[] = [
  { name: 'kernel_size' },
  { name: 'dilation', default: 1 },
  { name: 'padding', default: 0 },
  { name: 'stride', default: 1 },
];

/** Number of sliding-block positions per spatial dim: the conv output-size formula. */
function blockCounts(owner: string, a: LayerArgs, spatial: Dim[]): Dim[] {
  const k = a.dims('kernel_size', 2);
  const d = a.dims('dilation', 2);
  const p = a.dims('padding', 2);
  const s = a.dims('stride', 2);
  const counts = spatial.map((x, i) => convOutDim(x, k[i], s[i], p[i], d[i]));
  if (counts.some((c) => typeof c === 'number' && c < 1)) {
    throw new ShapeError(
      `${owner}: the spatial size ${formatShape(spatial)} with kernel_size=${formatShape(k)}, dilation=${formatShape(d)}, padding=${formatShape(p)} gives ${formatShape(counts)} sliding blocks`,
      'DL405',
      { layer: owner, input: spatial },
    );
  }
  return counts;
}

export const Unfold: LayerSpec = defineLayer({
  name: 'Unfold',
  signature: BLOCK_SIGNATURE,
  doc: 'Extracts sliding blocks (im2col): (N, C, H, W) -> (N, C·∏kernel_size, L), L = number of block positions.',
  params: noParams,
  forward(a, inputs) {
    const t = inputAt(inputs);
    const r = t.shape.length;
    if (r !== 3 && r !== 4) throw rankError('Unfold', '3-D (unbatched) or 4-D (batched)', t);
    const [c, h, w] = t.shape.slice(r - 3);
    const blocks = blockCounts('Unfold', a, [h, w]);
    return out([...t.shape.slice(0, r - 3), mulDims(c, prodDims(a.dims('kernel_size', 2))), prodDims(blocks)], t.dtype);
  },
  equivalents: [{ framework: 'tf', call: "tf.image.extract_patches(x, sizes=[1, k, k, 1], strides=[1, s, s, 1], rates=[1, d, d, 1], padding='VALID')  # channels-last" }],
});

export const Fold: LayerSpec = defineLayer({
  name: 'Fold',
  signature: [{ name: 'output_size' }, ...BLOCK_SIGNATURE],
  doc: 'Combines sliding blocks into an image (col2im, sums overlaps): (N, C·∏kernel_size, L) -> (N, C, *output_size).',
  params: noParams,
  forward(a, inputs) {
    const t = inputAt(inputs);
    const r = t.shape.length;
    if (r !== 2 && r !== 3) throw rankError('Fold', '2-D (unbatched) or 3-D (batched)', t);
    const [ck, l] = t.shape.slice(r - 2);
    const kprod = prodDims(a.dims('kernel_size', 2));
    if (typeof ck === 'number' && typeof kprod === 'number' && kprod > 0 && ck % kprod !== 0) {
      throw new ShapeError(`Fold: dim ${r - 2} of the input (${ck}) must be divisible by the product of kernel_size (${kprod})`, 'DL402', { layer: 'Fold', input: t.shape });
    }
    const size = a.dims('output_size', 2);
    const blocks = prodDims(blockCounts('Fold', a, size));
    if (dimsConflict(blocks, l)) {
      throw new ShapeError(
        `Fold: output_size=${formatShape(size)} with these kernel / stride / padding / dilation gives ${formatDim(blocks)} blocks, but dim ${r - 1} of the input ${formatShape(t.shape)} has ${formatDim(l)}`,
        'DL404',
        { layer: 'Fold', arg: 'output_size', expected: blocks, actual: l, input: t.shape },
      );
    }
    return out([...t.shape.slice(0, r - 2), floorDivDims(ck, kprod), ...size], t.dtype);
  },
});
