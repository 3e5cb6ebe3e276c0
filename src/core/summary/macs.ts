// Multiply-accumulates of one recorded call, from the layer spec's own rule
// (torchinfo's "mult-adds" convention); user leaf modules and repeats count 0 when unknown.

import { LayerArgs } from '../frameworks/spec';
import type { CallRecord } from '../frameworks/torch/runtime';

export function countMacs(r: Pick<CallRecord, 'inst' | 'inputs' | 'output'>): number | null {
  const layer = r.inst.layer;
  if (!layer || !layer.spec.macs) return layer ? null : 0;
  try {
    const m = layer.spec.macs(new LayerArgs(layer.weightArgs ?? layer.args, layer.spec.name), r.inputs, r.output);
    return m === null || !Number.isFinite(m) ? null : m;
  } catch {
    return null;
  }
}
