// Symbolic input when no shape is known: taken from the model's first leaf layer
// (`Conv2d(3, ...)` -> [B, 3, H, W], `Linear(784, ...)` -> [B, 784], `Embedding` ->
// [B, T] token ids). A table of templates by layer family, not a chain of ifs.

import { type Dim, sym } from '../../shapes/dim';
import { type InstanceV, type TensorV, tensor } from '../../eval/values';
import { LayerArgs } from '../spec';
import { walkModules } from './runtime';

type Template = (a: LayerArgs) => { shape: Dim[]; dtype?: string } | null;

const B = sym('B');
const spatial = (n: number): Dim[] => [sym('D'), sym('H'), sym('W')].slice(3 - n);
const conv = (n: number): Template => (a) => ({ shape: [B, a.dim('in_channels'), ...(n === 1 ? [sym('L')] : spatial(n))] });
const norm = (n: number): Template => (a) => ({ shape: [B, a.dim('num_features'), ...(n === 1 ? [] : spatial(n))] });
const seq: Template = (a) => (a.bool('batch_first') ? { shape: [B, sym('T'), a.dim('input_size')] } : { shape: [sym('T'), B, a.dim('input_size')] });

const TEMPLATES: Record<string, Template> = {
  Linear: (a) => ({ shape: [B, a.dim('in_features')] }),
  Bilinear: (a) => ({ shape: [B, a.dim('in1_features')] }),
  Conv1d: conv(1), Conv2d: conv(2), Conv3d: conv(3),
  ConvTranspose1d: conv(1), ConvTranspose2d: conv(2), ConvTranspose3d: conv(3),
  BatchNorm1d: norm(1), BatchNorm2d: norm(2), BatchNorm3d: norm(3),
  Embedding: () => ({ shape: [B, sym('T')], dtype: 'int64' }),
  EmbeddingBag: () => ({ shape: [B, sym('T')], dtype: 'int64' }),
  LSTM: seq, GRU: seq, RNN: seq,
  MultiheadAttention: (a) => (a.bool('batch_first') ? { shape: [B, sym('T'), a.dim('embed_dim')] } : { shape: [sym('T'), B, a.dim('embed_dim')] }),
};

/**
 * The symbolic input of `model` from its first leaf layer in registration order, and that
 * layer (or the leading Flatten before it). The caller checks that the forward pass calls
 * that layer first (symbolicInputOf takes the one it does call first).
 */
export function symbolicTorchInput(model: InstanceV): { input: TensorV; from: InstanceV } | null {
  return symbolicInputFrom(walkModules(model));
}

/** The symbolic input for a forward pass that starts with `layer`. */
export function symbolicInputOf(layer: InstanceV): TensorV | null {
  return symbolicInputFrom([layer])?.input ?? null;
}

function symbolicInputFrom(modules: Iterable<InstanceV>): { input: TensorV; from: InstanceV } | null {
  let flattened: InstanceV | undefined;
  for (const m of modules) {
    if (!m.layer) continue;
    const a = new LayerArgs(m.layer.args, m.layer.spec.name);
    // A leading nn.Flatten() before a Linear: [B, in_features] is a valid input (flattening it changes nothing).
    if (m.layer.spec.name === 'Flatten' && !flattened && a.int('start_dim') === 1 && a.int('end_dim') === -1) {
      flattened = m;
      continue;
    }
    if (flattened && m.layer.spec.name !== 'Linear') return null;
    const tpl = TEMPLATES[m.layer.spec.name];
    if (!tpl) return null;
    const r = tpl(a);
    return r ? { input: tensor(r.shape, r.dtype ?? 'float32'), from: flattened ?? m } : null;
  }
  return null;
}
