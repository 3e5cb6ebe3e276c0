// Low-level TensorFlow for the interpreter: `tf.Module` (attributes auto-tracked, like
// Keras), `tf.Variable` as a parameter tensor, initializers called with a shape,
// `tf.function` / `tf.TensorSpec`, the tf.* op table (ops.ts), and a recorder of the
// first output of each module call (the summary's rows). Keras layers stay with the
// Keras runtime; tf.Variables assigned on a Keras layer are handed to it as weights.

import type { Node } from '../../python/ast';
import type { Interp, Runtime } from '../../eval/interp';
import {
  type BuiltinV, type ClassV, type InstanceV, type ParamRef, type TensorV, type Value,
  NONE, bool, int, list, str, tensor, unknown,
} from '../../eval/values';
import { LayerArgs, ShapeError, bindArgs, type OpSpec } from '../spec';
import { Bail, literalShape, tensorResult } from '../torch/functional';
import { TORCH_SIZES, hasNegativeStep, indexTensor, torchSize } from '../torch/tensor';
import type { KerasRuntime } from '../keras/runtime';
import { Registry, type RegistryFactories } from '../../eval/registry';
import { type Shape, prodDims } from '../../shapes/dim';
import { TF_NONE, TF_OPS, shapeList, tfDtype, tfLiteralDtype, tfMatmulOperator } from './ops';
import { type MacCount, kerasLayerMacs, matmulMacs, tfOpMacs } from './macs';

const b = (name: string, call: BuiltinV['call']): BuiltinV => ({ k: 'builtin', name, call });

/** A tf op as a callable: ShapeErrors become diagnostics with their DL code; `onResult` sees each success. */
export function tfOpBuiltin(op: OpSpec, onResult?: (a: LayerArgs, out: Value) => void): BuiltinV {
  return b(op.name, (ctx, args, kwargs) => {
    try {
      const a = new LayerArgs(bindArgs(op.signature, args, kwargs), op.name.replace(/^tensorflow\./, 'tf.'));
      const out = op.call(a);
      if (onResult && (out.k === 'tensor' || out.k === 'list' || out.k === 'tuple')) onResult(a, out);
      return out;
    } catch (e) {
      if (e instanceof ShapeError) return ctx.shapeError(e.message, e.code);
      if (e instanceof Bail) return tensorResult(op.name, e.value);
      return tensorResult(op.name, unknown(`${op.name}: ${(e as Error).message}`));
    }
  });
}

/** Per-instance state of a tf.Module. */
export interface TfModuleState {
  name: string;
}

/** A module-level call of a tf.Module (`model(tf.random.normal([8, 784]))`): an example input. */
export interface TfExampleCall {
  inst: InstanceV;
  inputs: Value[];
  node: Node;
}

export interface TfRecorder {
  /** First output of each module call, by instance id. */
  outputs: Map<number, Value>;
  /** Multiply-accumulates of the ops each module (or Keras layer) evaluated itself, summed over its calls, by instance id (macs.ts). */
  macs?: Map<number, number>;
  /** Modules with an op whose MACs could not be worked out. */
  unknownMacs?: Set<number>;
  /** Some MAC count used a non-numeric dim as 1 (per-example figures). */
  symbolicMacs?: boolean;
}

const INITIALIZERS = [
  'GlorotUniform', 'GlorotNormal', 'HeNormal', 'HeUniform', 'LecunNormal', 'LecunUniform', 'RandomNormal', 'RandomUniform',
  'TruncatedNormal', 'Zeros', 'Ones', 'Constant', 'Orthogonal', 'Identity', 'VarianceScaling',
  'glorot_uniform', 'glorot_normal', 'he_normal', 'he_uniform', 'lecun_normal', 'lecun_uniform', 'random_normal', 'random_uniform',
  'truncated_normal', 'zeros', 'ones', 'constant', 'orthogonal', 'identity', 'variance_scaling',
];
const TF_INITIALIZERS = ['random_normal_initializer', 'random_uniform_initializer', 'truncated_normal_initializer', 'zeros_initializer', 'ones_initializer', 'constant_initializer', 'glorot_uniform_initializer', 'glorot_normal_initializer', 'orthogonal_initializer', 'variance_scaling_initializer'];
const DTYPES = ['float16', 'bfloat16', 'float32', 'float64', 'half', 'double', 'int8', 'int16', 'int32', 'int64', 'uint8', 'bool', 'string', 'complex64', 'complex128'];

/** tf.* ops, dtypes, initializers and the other tf names: made per analysis on first lookup (registry.ts). */
const TF_FACTORIES: RegistryFactories<TfRuntime> = new Map<string, (rt: TfRuntime) => Value>([
  ...[...TF_OPS].map(([path, op]) => [path, (rt: TfRuntime) => tfOpBuiltin(op, (a, out) => rt.addMacs(tfOpMacs(op.name, a, out)))] as const),
  ['tensorflow.Variable', (rt) => b('Variable', (ctx, args, kwargs) => rt.makeVariable(ctx.interp, (f, a, k) => ctx.callValue(f, a, k), args, kwargs))],
  // keras.Variable(initializer, shape=None, dtype=None, trainable=True, ..., name=None) (Keras 3,
  // keras/src/backend/common/variables.py): a string / callable initializer makes a variable of
  // `shape`, a value one of its own shape. Tracked as a weight of the layer it is assigned to.
  ['keras.Variable', (rt) => b('Variable', (ctx, args, kwargs) => {
    const a = bindArgs([
      { name: 'initializer' }, { name: 'shape', default: null }, { name: 'dtype', default: null }, { name: 'trainable', default: true },
      { name: 'autocast', default: true }, { name: 'aggregation', default: 'none' }, { name: 'synchronization', default: 'auto' }, { name: 'name', default: null },
    ], args, kwargs);
    const init = a.get('initializer')!;
    const given = init.k === 'int' || init.k === 'float' || init.k === 'bool' || init.k === 'list' || init.k === 'tuple' || init.k === 'tensor';
    const kw = new Map<string, Value>([['initial_value', given ? init : NONE], ['shape', a.get('shape')!], ['dtype', a.get('dtype')!], ['trainable', a.get('trainable')!], ['name', a.get('name')!]]);
    return rt.makeVariable(ctx.interp, (f, x, k) => ctx.callValue(f, x, k), [], kw);
  })],
  ['tensorflow.TensorSpec', () => b('TensorSpec', (_c, args, kwargs) => {
    const a = bindArgs([{ name: 'shape' }, { name: 'dtype', default: 'float32' }, { name: 'name', default: null }], args, kwargs);
    return tensor(shapeList(a.get('shape')!), tfDtype(a.get('dtype')!) ?? 'float32');
  })],
  // tf.function(f), @tf.function, @tf.function(input_signature=...): the function itself.
  ['tensorflow.function', () => b('function', (_c, args) => (args[0] ? args[0] : b('function', (_c2, [f]) => f ?? NONE)))],
  ...DTYPES.map((dt) => [`tensorflow.${dt}`, () => str(dt === 'half' ? 'float16' : dt === 'double' ? 'float64' : dt)] as const),
  // tf.newaxis is None: `maps[..., tf.newaxis]` adds a dim (keras.io TokenLearner).
  ['tensorflow.newaxis', () => NONE],
  ...['tensorflow.random.set_seed', 'tensorflow.print', 'tensorflow.debugging.assert_equal', 'tensorflow.debugging.assert_shapes', 'tensorflow.config.run_functions_eagerly']
    .map((n) => [n, () => b(n, () => NONE)] as const),
  ['tensorflow.GradientTape', () => b('GradientTape', () => unknown('GradientTape'))],
  ['tensorflow.executing_eagerly', () => b('executing_eagerly', () => bool(true))],
  // Initializers: a constructor returning a callable `init(shape, dtype=None)`.
  ...INITIALIZERS.flatMap((name) => ['keras.initializers', 'tensorflow.initializers'].map((base) => [`${base}.${name}`, (rt: TfRuntime) => rt.initializerCtor(`${base}.${name}`)] as const)),
  ...TF_INITIALIZERS.map((name) => [`tensorflow.${name}`, (rt: TfRuntime) => rt.initializerCtor(`tensorflow.${name}`)] as const),
  ['keras.initializers.get', (rt) => b('get', (_c, [id]) => rt.initializer(`keras.initializers.${id && id.k === 'str' ? id.v : '?'}`))],
]);

export class TfRuntime implements Runtime {
  readonly registry = new Registry<TfRuntime>(this, TF_FACTORIES);
  readonly moduleBase: ClassV;
  /** tf.Module instances created anywhere, in creation order. */
  readonly modules: InstanceV[] = [];
  readonly exampleCalls: TfExampleCall[] = [];
  /** Classes instantiated while another tf.Module was being constructed (sub-blocks, not models). */
  readonly childClasses = new Set<ClassV>();
  recorder: TfRecorder | undefined;

  recording(): boolean {
    return this.recorder !== undefined;
  }
  /** The ParamRefs of tf.Variables (to tell them from torch parameters and Keras weights). */
  private readonly variables = new WeakSet<ParamRef>();
  private constructDepth = 0;
  private callDepth = 0;
  /** tf.Modules whose __call__ is running, innermost last (the owner of the ops' MACs). */
  private readonly callStack: InstanceV[] = [];

  constructor(readonly keras?: KerasRuntime) {
    this.moduleBase = { k: 'class', name: 'Module', qualname: 'tensorflow.Module', bases: [], attrs: new Map(), family: 'tf' };
    const reg = this.registry;
    for (const path of ['tensorflow.Module', 'tensorflow.module.Module']) reg.set(path, this.moduleBase);
    this.moduleBase.attrs.set('__init__', b('__init__', (_ctx, [self, ...args], kwargs) => {
      if (self.k === 'instance' && this.isTfModule(self)) {
        const n = kwargs.get('name') ?? args[0];
        if (n && n.k === 'str') this.state(self).name = n.v;
      }
      return NONE;
    }));
    this.moduleBase.attrs.set('with_name_scope', b('with_name_scope', (_c, [, f]) => f ?? NONE));
  }

  initializerCtor(path: string): BuiltinV {
    return b(path, () => this.initializer(path));
  }

  /** An initializer object: calling it with a shape makes a tensor of that shape. */
  initializer(path: string): BuiltinV {
    return b(path, (_c, args, kwargs) => {
      const a = bindArgs([{ name: 'shape' }, { name: 'dtype', default: null }, { name: 'kw', star: '**' }], args, kwargs);
      return tensor(shapeList(a.get('shape')!), tfDtype(a.get('dtype')!) ?? 'float32');
    });
  }

  // ------------------------------------------------------------ variables

  makeVariable(ip: Interp, call: (fn: Value, args: Value[], kwargs?: Map<string, Value>) => Value, args: Value[], kwargs: Map<string, Value>): Value {
    const a = bindArgs([
      { name: 'initial_value', default: null }, { name: 'trainable', default: null }, { name: 'validate_shape', default: true },
      { name: 'caching_device', default: null }, { name: 'name', default: null }, { name: 'variable_def', default: null },
      { name: 'dtype', default: null }, { name: 'import_scope', default: null }, { name: 'constraint', default: null },
      { name: 'synchronization', default: null }, { name: 'aggregation', default: null }, { name: 'shape', default: null },
    ], args, kwargs);
    let init = a.get('initial_value')!;
    // A callable initial value (`lambda: init(shape)`, functools.partial) is called with no arguments.
    if (init.k === 'func' || init.k === 'builtin' || init.k === 'bound') init = call(init, []);
    let shape: Shape | null = null;
    let dtype = tfDtype(a.get('dtype')!);
    if (init.k === 'tensor') {
      shape = init.shape;
      dtype ??= init.dtype;
    } else if (init.k === 'int' || init.k === 'float' || init.k === 'bool' || init.k === 'list' || init.k === 'tuple') {
      try {
        const lit = literalShape(init);
        shape = lit.shape;
        dtype ??= tfLiteralDtype(lit.dtype);
      } catch {
        shape = null;
      }
    }
    const explicit = a.get('shape')!;
    if (explicit.k !== 'none') {
      const s = shapeList(explicit);
      if (s && !shape) shape = s;
    }
    const tr = a.get('trainable')!;
    const trainable = !(tr.k === 'bool' && !tr.v);
    const count = shape ? prodDims(shape) : null;
    const name = a.get('name')!;
    const param: ParamRef = { count: typeof count === 'number' ? count : null, trainable, name: name.k === 'str' ? name.v : undefined };
    this.variables.add(param);
    void ip;
    return { ...tensor(shape, dtype ?? 'float32'), param };
  }

  /** A tf.Variable (as opposed to a torch parameter or a plain tensor). */
  isVariable(v: Value): v is TensorV & { param: ParamRef } {
    return v.k === 'tensor' && !!v.param && this.variables.has(v.param);
  }

  // ------------------------------------------------------------ modules

  state(inst: InstanceV): TfModuleState {
    if (!inst.extra?.tf) inst.extra = { ...(inst.extra ?? {}), tf: { name: snakeCase(inst.cls.name) } as TfModuleState };
    return inst.extra.tf as TfModuleState;
  }

  isTfModule(v: Value): v is InstanceV {
    return v.k === 'instance' && v.cls.family === 'tf' && !!v.extra?.tf;
  }

  instantiate(ip: Interp, cls: ClassV, args: Value[], kwargs: Map<string, Value>, node: Node): Value | undefined {
    if (cls.family !== 'tf') return undefined;
    if (this.constructDepth > 0) this.childClasses.add(cls);
    const inst: InstanceV = { k: 'instance', cls, attrs: new Map(), id: ip.newId(), node };
    this.state(inst);
    this.modules.push(inst);
    this.constructDepth++;
    try {
      const init = ip.findAttrWithOwner(cls, '__init__');
      if (init && init.v.k === 'func') ip.callMethod(init.v, init.owner, inst, args, kwargs);
      else if (init && init.v.k === 'builtin') init.v.call(ip.ctx(node), [inst, ...args], kwargs);
    } finally {
      this.constructDepth--;
    }
    return inst;
  }

  setAttr(ip: Interp, obj: Value, name: string, value: Value): boolean {
    if (this.isTfModule(obj)) {
      for (const v of this.variablesIn(value)) {
        if (!v.param.owner) {
          v.param.owner = obj;
          v.param.name ??= name;
        }
      }
      obj.attrs.set(name, value);
      return true;
    }
    // A tf.Variable on a Keras layer (tf.keras tracks it as a weight); Keras itself stores the attribute.
    if (this.keras && this.keras.isKeras(obj)) {
      const vars = this.variablesIn(value);
      if (vars.length) {
        const st = this.keras.state(obj);
        vars.forEach((v, i) => {
          const wname = vars.length > 1 ? `${name}.${i}` : name;
          const w = { name: wname, count: v.param.count, trainable: v.param.trainable };
          const at = st.weights.findIndex((x) => x.name === wname);
          if (at >= 0) st.weights[at] = w;
          else st.weights.push(w);
        });
      }
    }
    void ip;
    return false;
  }

  /** tf.Variables in an attribute value (directly, or inside lists / tuples / dicts, as tf.Module tracks them). */
  variablesIn(v: Value, depth = 0): Array<TensorV & { param: ParamRef }> {
    if (depth > 4) return [];
    if (this.isVariable(v)) return [v];
    if (v.k === 'list' || v.k === 'tuple') return v.items.flatMap((x) => this.variablesIn(x, depth + 1));
    if (v.k === 'dict') return v.vals.flatMap((x) => this.variablesIn(x, depth + 1));
    return [];
  }

  /** The file is TensorFlow / Keras code (set by analyze): slices follow NumPy rules there. */
  numpySlices = false;

  /**
   * `x[..., ::-1]`, `x[8:2:-2]` on a TensorFlow / Keras tensor reverse the axis (tf.strided_slice
   * and NumPy take negative steps; only torch refuses them): the shared indexing rules, with
   * Python's reversed slices.
   */
  getItem(ip: Interp, obj: Value, index: Value): Value | undefined {
    if (!this.numpySlices || obj.k !== 'tensor' || !hasNegativeStep(index)) return undefined;
    try {
      return indexTensor(obj, index, true);
    } catch (e) {
      if (e instanceof ShapeError) return ip.reportShapeError(e.message, undefined, undefined, e.code);
      return unknown((e as Error).message);
    }
  }

  getAttr(ip: Interp, obj: Value, name: string, _node: Node): Value | undefined {
    if (this.isVariable(obj)) return this.variableAttr(obj, name);
    // The tf.TensorShape API: `x.get_shape()` is `x.shape`, `.as_list()` its dims as a list (None
    // where unknown) - keras.io Swin's PatchMerging reads its channels with `x.get_shape().as_list()`.
    if (obj.k === 'tensor' && name === 'get_shape') return b('get_shape', () => (obj.shape ? torchSize(obj.shape.map((d) => int(d))) : unknown('shape of a tensor of unknown rank')));
    if (obj.k === 'tuple' && TORCH_SIZES.has(obj) && name === 'as_list') return b('as_list', () => list(obj.items));
    if (!this.isTfModule(obj)) return undefined;
    const own = obj.attrs.get(name);
    if (own !== undefined) return own;
    if (ip.findAttr(obj.cls, name) !== undefined) return undefined;
    switch (name) {
      case 'name':
        return str(this.state(obj).name);
      case 'name_scope':
        return NONE;
      case 'variables':
      case 'trainable_variables':
      case 'non_trainable_variables': {
        const vars = this.moduleVariables(obj);
        return list(name === 'variables' ? vars : vars.filter((v) => v.param.trainable === (name === 'trainable_variables')));
      }
      case 'submodules':
        return list(this.submodules(obj).slice(1));
      default:
        return undefined;
    }
  }

  private variableAttr(v: TensorV & { param: ParamRef }, name: string): Value | undefined {
    switch (name) {
      case 'trainable':
        return bool(v.param.trainable);
      case 'name':
        return str(`${v.param.name ?? 'Variable'}:0`);
      case 'assign':
      case 'assign_add':
      case 'assign_sub':
        return b(name, () => v);
      case 'numpy':
      case 'read_value':
      case 'value':
        return b(name, () => ({ ...tensor(v.shape, v.dtype) }));
      default:
        return undefined;
    }
  }

  /** Adds an op's MACs to the innermost running tf.Module (or `target`), when recording. */
  addMacs(m: MacCount | null, target?: InstanceV): void {
    const rec = this.recorder;
    const owner = target ?? this.callStack[this.callStack.length - 1];
    if (!rec || !owner) return;
    rec.macs ??= new Map();
    if (m === null) {
      (rec.unknownMacs ??= new Set()).add(owner.id);
      if (!rec.macs.has(owner.id)) rec.macs.set(owner.id, 0);
      return;
    }
    if (m.symbolic) rec.symbolicMacs = true;
    rec.macs.set(owner.id, (rec.macs.get(owner.id) ?? 0) + m.macs);
  }

  /** A Keras layer called from a tf.Module's __call__: run by Keras, its MACs from the layer spec. */
  private callKerasLayer(ip: Interp, inst: InstanceV, args: Value[], kwargs: Map<string, Value>, node: Node): Value | undefined {
    const keras = this.keras!;
    const out = keras.callInstance(ip, inst, args, kwargs, node);
    if (out === undefined) return undefined;
    const layer = inst.layer;
    let per: number | null = null;
    if (layer?.spec.macs) {
      try {
        per = layer.spec.macs(new LayerArgs(layer.args, layer.spec.name), args, out);
      } catch {
        per = null;
      }
    } else if (layer) per = 0;
    this.addMacs(kerasLayerMacs(per, out), inst);
    return out;
  }

  callInstance(ip: Interp, inst: InstanceV, args: Value[], kwargs: Map<string, Value>, node: Node): Value | undefined {
    if (this.recorder && this.callStack.length && this.keras?.isKeras(inst)) return this.callKerasLayer(ip, inst, args, kwargs, node);
    if (!this.isTfModule(inst)) return undefined;
    if (this.callDepth === 0 && !this.recorder) this.exampleCalls.push({ inst, inputs: args, node });
    const call = ip.findAttrWithOwner(inst.cls, '__call__');
    if (!call || call.v.k !== 'func') return unknown(`${inst.cls.name} has no __call__`);
    this.callDepth++;
    this.callStack.push(inst);
    ip.layerDefStack.push(inst.node);
    let out: Value;
    try {
      out = ip.callMethod(call.v, call.owner, inst, args, kwargs);
    } finally {
      ip.layerDefStack.pop();
      this.callStack.pop();
      this.callDepth--;
    }
    if (this.recorder && !this.recorder.outputs.has(inst.id)) this.recorder.outputs.set(inst.id, out);
    return out;
  }

  binop(ip: Interp, op: string, a: Value, c: Value): Value | undefined {
    // A failed op stays failed: `tf.matmul(h, w_bad) + b` is not a tensor shaped like `b`.
    if ((a.k === 'tensor' || c.k === 'tensor') && this.isTfFile(ip)) {
      for (const v of [a, c]) if (v.k === 'unknown' && v.why.startsWith('shape error')) return v;
    }
    // `x @ w` in TensorFlow code is tf.matmul (rank ≥ 2, no vector promotion, DL401 on inner dims).
    if (op !== '@' || a.k !== 'tensor' || c.k !== 'tensor' || !this.isTfFile(ip)) return undefined;
    try {
      const out = tfMatmulOperator(a, c);
      this.addMacs(matmulMacs(a.shape, out.shape, false));
      return out;
    } catch (e) {
      if (e instanceof ShapeError) return ip.reportShapeError(e.message, undefined, undefined, e.code);
      return unknown((e as Error).message);
    }
  }

  /** The file imports TensorFlow and not PyTorch: operators on tensors follow TF. */
  private isTfFile(ip: Interp): boolean {
    let tf = false;
    for (const p of ip.importedPaths.values()) {
      if (p === 'torch' || p.startsWith('torch.')) return false;
      if (p === 'tensorflow' || p.startsWith('tensorflow.')) tf = true;
    }
    return tf;
  }

  // ------------------------------------------------------------ module tree

  /** Attribute values that are modules (tf.Module or Keras layers), with their attribute paths, in assignment order. */
  childModules(inst: InstanceV): Array<[string, InstanceV]> {
    const out: Array<[string, InstanceV]> = [];
    const visit = (v: Value, path: string, depth: number) => {
      if (depth > 4) return;
      if (v.k === 'instance' && v !== inst && (this.isTfModule(v) || (this.keras?.isKeras(v) ?? false))) out.push([path, v]);
      else if (v.k === 'list' || v.k === 'tuple') v.items.forEach((x, i) => visit(x, `${path}.${i}`, depth + 1));
      else if (v.k === 'dict') v.vals.forEach((x, i) => visit(x, `${path}.${keyText(v.keys[i], i)}`, depth + 1));
    };
    for (const [k, v] of inst.attrs) visit(v, k, 0);
    return out;
  }

  /** The module and every module below it, pre-order, each once (Keras layers are leaves here). */
  submodules(root: InstanceV): InstanceV[] {
    return this.walk(root).map((e) => e.inst);
  }

  /** Pre-order walk with attribute paths ('' for the root) and nesting depth (0 for the root). */
  walk(root: InstanceV): Array<{ path: string; inst: InstanceV; depth: number }> {
    const out: Array<{ path: string; inst: InstanceV; depth: number }> = [];
    const seen = new Set<number>();
    const visit = (m: InstanceV, path: string, depth: number) => {
      if (seen.has(m.id) || depth > 100) return;
      seen.add(m.id);
      out.push({ path, inst: m, depth });
      if (!this.isTfModule(m)) return;
      for (const [k, c] of this.childModules(m)) visit(c, path ? `${path}.${k}` : k, depth + 1);
    };
    visit(root, '', 0);
    return out;
  }

  /** Variables of the module tree (each once), as `module.variables` lists them. */
  moduleVariables(root: InstanceV): Array<TensorV & { param: ParamRef }> {
    const out: Array<TensorV & { param: ParamRef }> = [];
    const seen = new Set<ParamRef>();
    for (const m of this.submodules(root)) {
      if (!this.isTfModule(m)) continue;
      for (const v of m.attrs.values()) for (const t of this.variablesIn(v)) if (!seen.has(t.param)) {
        seen.add(t.param);
        out.push(t);
      }
    }
    return out;
  }
}

function keyText(k: Value, i: number): string {
  return k.k === 'str' ? k.v : k.k === 'int' && typeof k.v === 'number' ? String(k.v) : String(i);
}

/** tf.Module's default name: the class name in snake_case (`MyMLP` → `my_mlp`). */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

export { TF_NONE };
