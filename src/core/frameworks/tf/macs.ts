// Multiply-accumulates of the low-level TensorFlow ops a tf.Module's __call__ evaluates.
//
// Convention (the same one the PyTorch side follows, torchinfo's "mult-adds"): only ops that
// multiply by weights count, one MAC per multiply-add of the contraction:
//   - tf.matmul / `@`:              prod(output) × K   (M·N·K per batch entry; transposes applied)
//   - tf.einsum / tf.tensordot:     prod(output) × prod(contracted dims)
//   - tf.nn.conv1d/2d/3d/convolution: prod(output) × kernel volume × filter in_channels (= in / groups)
//   - tf.nn.conv*_transpose:        prod(input) × kernel volume × out_channels
//   - tf.nn.depthwise_conv2d:       prod(output) × kh × kw
// Everything else counts 0: bias adds, tf.nn.batch_normalization, activations, pooling,
// reductions, elementwise arithmetic and gathers (embedding_lookup) — torchinfo counts 0 for
// parameter-free ops, and F.batch_norm / torch.add called functionally are not counted either.
// Note the matmul figure excludes the bias, unlike torchinfo's nn.Linear (params × batch).
// Dims that are not numbers (the `None` batch, symbolic sizes) count 1: the figure is then
// per example, like the Keras layer specs (which never include the batch).

import type { Value } from '../../eval/values';
import type { LayerArgs } from '../spec';
import type { Dim, Shape } from '../../shapes/dim';

export interface MacCount {
  macs: number;
  /** Some dim was not a number and counted as 1. */
  symbolic: boolean;
}

function prod(dims: readonly Dim[], acc: MacCount): number {
  let n = 1;
  for (const d of dims) {
    if (typeof d === 'number') n *= d;
    else acc.symbolic = true;
  }
  return n;
}

function shapeOf(v: Value | undefined): Shape | null {
  if (!v) return null;
  if (v.k === 'tensor') return v.shape;
  return null;
}

function firstShape(v: Value): Shape | null {
  if (v.k === 'tensor') return v.shape;
  if ((v.k === 'list' || v.k === 'tuple') && v.items.length) return firstShape(v.items[0]);
  return null;
}

/** MACs of `a @ b` / tf.matmul with the output known. */
export function matmulMacs(a: Shape | null, out: Shape | null, transposeA: boolean): MacCount | null {
  if (!a || !out || a.length < 2) return null;
  const acc: MacCount = { macs: 0, symbolic: false };
  const k = transposeA ? a[a.length - 2] : a[a.length - 1];
  acc.macs = prod(out, acc) * prod([k], acc);
  return acc;
}

/** Letter sizes of an einsum's operands (explicit letters only; `...` skipped). */
function einsumContracted(equation: string, shapes: Shape[]): { contracted: Dim[] } | null {
  const clean = equation.replace(/\s+/g, '');
  const [lhs, rhs] = clean.includes('->') ? clean.split('->') : [clean, undefined];
  const terms = lhs.split(',');
  if (terms.length !== shapes.length) return null;
  const sizes = new Map<string, Dim>();
  const counts = new Map<string, number>();
  for (let i = 0; i < terms.length; i++) {
    const term = terms[i];
    const shape = shapes[i];
    const letters = term.replace('...', '').split('');
    const pre = term.includes('...') ? term.indexOf('...') : letters.length;
    const nEll = shape.length - letters.length;
    if (nEll < 0) return null;
    letters.forEach((c, j) => {
      const d = j < pre ? shape[j] : shape[j + nEll];
      counts.set(c, (counts.get(c) ?? 0) + 1);
      const prev = sizes.get(c);
      if (prev === undefined || prev === 1) sizes.set(c, d);
    });
  }
  const out = rhs ?? [...counts.entries()].filter(([, n]) => n === 1).map(([c]) => c).join('');
  return { contracted: [...sizes.entries()].filter(([c]) => !out.includes(c)).map(([, d]) => d) };
}

/** MACs of one evaluated tf op (its bound arguments and result); null when they cannot be worked out. */
export function tfOpMacs(op: string, a: LayerArgs, result: Value): MacCount | null {
  const name = op.replace(/^tensorflow\./, '');
  const out = firstShape(result);
  const acc: MacCount = { macs: 0, symbolic: false };
  switch (name) {
    case 'matmul':
    case 'linalg.matmul':
      return matmulMacs(shapeOf(a.raw('a')), out, a.bool('transpose_a') || a.bool('adjoint_a'));
    case 'einsum':
    case 'linalg.einsum': {
      const eq = a.str('equation');
      const ops = a.raw('inputs');
      let items = ops.k === 'tuple' ? ops.items : [];
      if (items.length === 1 && (items[0].k === 'list' || items[0].k === 'tuple')) items = (items[0] as { items: Value[] }).items;
      if (items.length < 2) return { macs: 0, symbolic: false };
      if (items.length > 2) return null;
      const shapes = items.map(shapeOf);
      if (!eq || !out || shapes.some((s) => !s)) return null;
      const c = einsumContracted(eq, shapes as Shape[]);
      if (!c) return null;
      acc.macs = prod(out, acc) * prod(c.contracted, acc);
      return acc;
    }
    case 'tensordot':
    case 'linalg.tensordot': {
      const x = shapeOf(a.raw('a'));
      if (!x || !out) return null;
      const axes = a.raw('axes');
      let contracted: Dim[];
      if (axes.k === 'int' && typeof axes.v === 'number') contracted = x.slice(x.length - axes.v);
      else if ((axes.k === 'list' || axes.k === 'tuple') && axes.items.length === 2) {
        const ia = axes.items[0];
        const idx = ia.k === 'list' || ia.k === 'tuple' ? ia.items : [ia];
        contracted = idx.map((v) => (v.k === 'int' && typeof v.v === 'number' ? x[v.v < 0 ? x.length + v.v : v.v] : 1));
      } else return null;
      acc.macs = prod(out, acc) * prod(contracted, acc);
      return acc;
    }
    case 'nn.conv1d':
    case 'nn.conv2d':
    case 'nn.conv3d':
    case 'nn.convolution': {
      const f = shapeOf(a.raw('filters'));
      if (!f || !out || f.length < 3) return null;
      // filters [k..., in / groups, out]
      acc.macs = prod(out, acc) * prod(f.slice(0, -1), acc);
      return acc;
    }
    case 'nn.conv1d_transpose':
    case 'nn.conv2d_transpose':
    case 'nn.conv3d_transpose':
    case 'nn.conv_transpose': {
      const x = shapeOf(a.raw('input'));
      const f = shapeOf(a.raw('filters'));
      if (!x || !f || f.length < 3) return null;
      // filters [k..., out_channels, in_channels]: each input element is scattered through k·out weights.
      acc.macs = prod(x, acc) * prod(f.slice(0, -1), acc);
      return acc;
    }
    case 'nn.depthwise_conv2d': {
      const f = shapeOf(a.raw('filter'));
      if (!f || !out || f.length !== 4) return null;
      acc.macs = prod(out, acc) * prod(f.slice(0, 2), acc);
      return acc;
    }
    default:
      return { macs: 0, symbolic: false };
  }
}

/** Keras layer MACs come per example from the layer spec; times the batch when it is a known number. */
export function kerasLayerMacs(perExample: number | null, output: Value): MacCount | null {
  if (perExample === null || !Number.isFinite(perExample)) return null;
  const s = firstShape(output);
  const b = s && s.length ? s[0] : null;
  return { macs: perExample * (typeof b === 'number' ? b : 1), symbolic: typeof b !== 'number' };
}
