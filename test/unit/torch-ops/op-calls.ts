// Calling the torch op and tensor-method specs directly, as the op tests do: a registered
// op or method by name, its arguments bound by its signature.
import { TORCH_OPS } from '../../../src/core/frameworks/torch/functional';
import { TENSOR_METHODS } from '../../../src/core/frameworks/torch/tensor';
import { LayerArgs, bindArgs } from '../../../src/core/frameworks/spec';
import type { Value } from '../../../src/core/eval/values';

export function op(name: string, args: Value[], kw: Record<string, Value> = {}): Value {
  const o = TORCH_OPS.get(name);
  if (!o) throw new Error(`missing op ${name}`);
  return o.call(new LayerArgs(bindArgs(o.signature, args, new Map(Object.entries(kw))), name));
}

export function meth(self: Value, name: string, args: Value[] = [], kw: Record<string, Value> = {}): Value {
  const o = TENSOR_METHODS.get(name);
  if (!o) throw new Error(`missing method ${name}`);
  return o.call(new LayerArgs(bindArgs(o.signature, args, new Map(Object.entries(kw))), name), self);
}
