// PyTorch module semantics for the interpreter: nn.Module registration order,
// containers (Sequential, ModuleList, ModuleDict), parameters and freezing,
// leaf-layer specs, tensor ops, and the call recorder that yields summary rows
// (leaf modules in call order, params on the first call only: torchinfo's way).

import { BudgetExceeded } from '../../eval/budget';
import type { Node, NodeOf } from '../../python/ast';
import { type Interp, type Runtime, concreteInt, sliceIndices, sliceItems } from '../../eval/interp';
import {
  type BuiltinV, type ClassV, type InstanceV, type ParamRef, type TensorV, type Value,
  FALSE, NONE, TENSOR_VALUES, TRUE, bool, float, int, list, str, tensor, tuple, unknown, withValues,
} from '../../eval/values';
import { LayerArgs, ShapeError, bindArgs, type LayerSpec, type OpSpec } from '../spec';
import type { CallCtx } from '../../eval/values';
import { TORCH_LAYERS } from './layers/index';
import { DeQuantStub, QuantStub } from './layers/shape';
import { rnnOutputOf, rnnTupleMisuse } from './layers/common';
import { TORCH_NN_STUBS, TORCH_STUB_CLASSES } from './stubs';
import { TORCH_DISTRIBUTIONS_STUB, TORCH_DISTRIBUTION_NAMES } from './distributions';
import { TORCH_AUTOGRAD_NAMES, TORCH_AUTOGRAD_STUB } from './autograd';
import { TORCH_DATA_NAMES, TORCH_DATA_STUB } from './data';
import { TORCH_QUANTIZED_STUB } from './quantized';
import { countMacs } from '../../summary/macs';
import { BUILTIN_PARAMETRIZATIONS, TORCH_PARAMETRIZATIONS_STUB } from './parametrize';
import { TORCH_OPS, tensorResult } from './functional';
import { Registry, type RegistryFactories } from '../../eval/registry';
import { DTYPE, asNdarray, dtypeName, ndarrayAttribute, ndarrayItem } from '../numpy';
import { LEGACY_TYPES, TENSOR_METHODS, TORCH_SIZES, binaryTensorOp, indexTensor, legacyTensor, tensorAttribute, torchSize, unaryTensorOp } from './tensor';
import { type Dim, UNKNOWN_DIM, dimsEqual, mulDims, prodDims, sym } from '../../shapes/dim';
import type { DataflowGraph } from '../../summary/types';
import { elementOf } from './constants';

/** numpy's dtype for a Python type given as one (`a.astype(int)`). */
const PY_DTYPES: Record<string, string> = { int: 'int64', float: 'float64', bool: 'bool' };

/** One recorded call of a leaf module. */
export interface CallRecord {
  inst: InstanceV;
  path: string;
  type: string;
  output: Value;
  inputs: Value[];
  params: number | null;
  trainable: number | null;
  nonTrainable: number;
  firstCall: boolean;
  node: Node;
  error?: string;
}

export interface Recorder {
  paths: Map<number, string>;
  depths: Map<number, number>;
  rows: CallRecord[];
  seen: Set<number>;
  leafDepth: number;
  /**
   * The first leaf module the run called, registered in the model or not, with the number
   * of shape issues met before it and whether its own call failed: what analyze.ts needs to
   * tell whether a symbolic input guessed from a layer held (symbolicTorchInput).
   */
  firstLeaf?: { inst: InstanceV; issuesBefore: number; failed: boolean };
  /** Multiply-accumulates of calls that have no row: parametrized layers (their parametrizations are the rows). */
  unlistedMacs?: number;
}

export interface ExampleCall {
  inst: InstanceV;
  inputs: Value[];
  /** Keyword arguments of the call, when it had any (`model(ids, attention_mask=mask)`). */
  kwargs?: Map<string, Value>;
  node: Node;
  /** The module tree (treeStamp) after the call, for the model's first example call: whether it changed since. */
  stamp?: unknown[];
  /** The train / eval mode of each module then (modesOf): a pass in another mode may take other branches. */
  modes?: string;
  /**
   * The call recorded as a summary run (`recordExamples`), with what a later run would read
   * besides the module tree (`stamp`): the analysed file's globals the forward pass looked up.
   */
  recorded?: { run: RecordedRun; reads: Map<string, Value | undefined> };
}

/** A forward pass recorded for a summary: the leaf calls (rows), the dataflow graph, the output. */
export interface RecordedRun {
  rec: Recorder;
  flow: FlowRecorder | undefined;
  /** The inputs the forward pass received (tagged as graph inputs when a graph is recorded). */
  inputs: Value[];
  /** Its keyword inputs, if any (tagged likewise). */
  kwargs?: Map<string, Value>;
  out: Value;
  /**
   * The analysed file's assignments during the run, in order, when the interpreter reports
   * them (Interp.onAssign, the shape facts): a summary that reuses the run reports them again,
   * as running it again would.
   */
  assigns?: Array<[NodeOf<'Name'>, Value]>;
}

const b = (name: string, call: BuiltinV['call']): BuiltinV => ({ k: 'builtin', name, call });
/** A keyword flag given as a literal bool (or int). */
const flagSet = (v: Value): boolean => (v.k === 'bool' ? v.v : v.k === 'int' ? v.v !== 0 : false);

/** `onResult` sees every successful result with its arguments (the dataflow recorder uses it). */
export function opBuiltin(op: OpSpec, onResult?: (name: string, inputs: Value[], result: Value) => Value): BuiltinV {
  return b(op.name, (ctx, args, kwargs) => {
    try {
      const r = op.call(new LayerArgs(bindArgs(op.signature, args, kwargs), op.name, (message, code) => ctx.shapeError(message, code)));
      return tensorResult(op.name, onResult ? onResult(op.name, [...args, ...kwargs.values()], r) : r);
    } catch (e) {
      if (e instanceof ShapeError) return ctx.shapeError(e.message, e.code);
      return tensorResult(op.name, unknown(`${op.name}: ${(e as Error).message}`));
    }
  });
}

/** Collects the dataflow graph while a model's summary run is recorded. */
export interface FlowRecorder {
  nodes: DataflowGraph['nodes'];
  edges: DataflowGraph['edges'];
  ops: number;
}

const MAX_FLOW_NODES = 5000;
/** Layer calls one recorded forward pass may make (rows of a summary). */
export const MAX_SUMMARY_ROWS = 10_000;

/** torch.nn layer classes and torch / F ops: made per analysis on first lookup (registry.ts). */
const TORCH_FACTORIES: RegistryFactories<TorchRuntime> = new Map<string, (rt: TorchRuntime) => Value>([
  ...TORCH_LAYERS.map((spec) => [`torch.nn.${spec.name}`, (rt: TorchRuntime) => rt.specClass(spec)] as const),
  ...[...TORCH_OPS].map(([path, op]) => [path, (rt: TorchRuntime) => opBuiltin(op, (name, inputs, r) => rt.flowOp(name.replace(/^.*\./, ''), inputs, r))] as const),
]);

export class TorchRuntime implements Runtime {
  recorder: Recorder | undefined;

  recording(): boolean {
    return this.recorder !== undefined;
  }
  flow: FlowRecorder | undefined;
  /** Calls of modules made from module-level code (example calls). */
  readonly exampleCalls: ExampleCall[] = [];
  /**
   * `.view()` calls run on a tensor whose non-contiguous layout was known (a transpose's
   * result, shapes/strides.ts), by call node: whether every such run could take the view.
   * DL115 reads it: a view the shapes prove fine is not reported.
   */
  readonly viewChecks = new Map<Node, boolean>();
  /**
   * While set (the analysis turns it on for the module's own run), the first example call of
   * a model with tensor arguments is recorded as a summary run, so that the summary can use
   * it instead of running the same forward pass again (analyze.ts, reusableRun).
   */
  recordExamples: { flow: boolean } | undefined;
  /** Classes instantiated while another module was being constructed (sub-blocks, not models). */
  readonly childClasses = new Set<ClassV>();
  private constructDepth = 0;
  private moduleCallDepth = 0;
  /**
   * Forward pre-hooks and forward hooks registered on modules (register_forward_pre_hook /
   * register_forward_hook), in registration order; `hooked` counts the modules that have any,
   * so that a module call looks them up only once some were registered.
   */
  private readonly hooks = new WeakMap<InstanceV, { pre: Value[]; post: Value[] }>();
  private hooked = 0;
  readonly moduleClass: ClassV;
  readonly parameterClass: ClassV;
  private readonly containers = new Map<ClassV, InstanceV['container']>();
  readonly registry = new Registry<TorchRuntime>(this, TORCH_FACTORIES);

  constructor() {
    this.moduleClass = { k: 'class', name: 'Module', qualname: 'torch.nn.Module', bases: [], attrs: new Map(), family: 'torch' };
    this.parameterClass = { k: 'class', name: 'Parameter', qualname: 'torch.nn.Parameter', bases: [], attrs: new Map(), family: 'torch' };
    this.installModuleMethods();
    const reg = this.registry;
    reg.set('torch.nn.Module', this.moduleClass);
    reg.set('torch.nn.modules.module.Module', this.moduleClass);
    reg.set('torch.nn.Parameter', this.parameterClass);
    reg.set('torch.nn.parameter.Parameter', this.parameterClass);
    for (const [name, kind] of [['Sequential', 'sequential'], ['ModuleList', 'modulelist'], ['ModuleDict', 'moduledict']] as const) {
      const cls: ClassV = { k: 'class', name, qualname: `torch.nn.${name}`, bases: [this.moduleClass], attrs: new Map(), family: 'torch' };
      this.containers.set(cls, kind);
      cls.attrs.set('__init__', b('__init__', (ctx, [self, ...args]) => {
        if (self.k === 'instance' && self.children) this.initContainer(ctx, self, kind, args);
        return NONE;
      }));
      if (kind === 'sequential') {
        cls.attrs.set('forward', b('forward', (ctx, [self, ...args]) => {
          let x: Value = args[0] ?? unknown('Sequential called without input');
          if (self.k !== 'instance' || !self.children) return unknown('Sequential');
          for (const child of self.children.values()) if (child.k !== 'none') x = ctx.callValue(child, [x]);
          return x;
        }));
      }
      reg.set(`torch.nn.${name}`, cls);
    }
    this.installParameterContainers();
    reg.set('torch.Tensor', { k: 'class', name: 'Tensor', qualname: 'torch.Tensor', bases: [], attrs: new Map() });
    for (const name of Object.keys(LEGACY_TYPES)) reg.set(name, { k: 'class', name: name.slice('torch.'.length), qualname: name, bases: [], attrs: new Map() });
    for (const dt of ['float32', 'float', 'float64', 'double', 'float16', 'half', 'bfloat16', 'int64', 'long', 'int32', 'int', 'int16', 'int8', 'uint8', 'bool', 'complex64']) {
      reg.set(`torch.${dt}`, str(canonicalDtype(dt)));
    }
    reg.set('torch.device', b('device', () => str('cpu')));
    // torch.finfo(dtype) / torch.iinfo(dtype): the limits of a dtype (masks fill with finfo(x.dtype).min).
    for (const [fn, table] of [['finfo', FINFO], ['iinfo', IINFO]] as const) {
      const cls: ClassV = { k: 'class', name: fn, qualname: `torch.${fn}`, bases: [], attrs: new Map() };
      reg.set(`torch.${fn}`, b(fn, (ctx, [dt]) => {
        const name = dt?.k === 'str' ? canonicalDtype(dt.v) : fn === 'finfo' ? 'float32' : 'int64';
        const row = (table as Record<string, Record<string, number>>)[name];
        if (!row) return unknown(`torch.${fn}(${name})`);
        const attrs = new Map<string, Value>(Object.entries(row).map(([k, v]) => [k, k === 'bits' || fn === 'iinfo' ? int(v) : float(v)]));
        attrs.set('dtype', str(name));
        return { k: 'instance', cls, attrs, id: ctx.newInstanceId() } as InstanceV;
      }));
    }
    reg.set('torch.cuda.is_available', b('is_available', () => FALSE));
    // torch.Size([2, 10]) is a tuple of ints.
    reg.set('torch.Size', b('Size', (ctx, [x]) => {
      const items = x ? ctx.interp.iterate(x) : [];
      return items ? torchSize(items) : unknown('torch.Size of an unknown value');
    }));
    // The model runs eagerly here: not scripted, not traced.
    for (const name of ['torch.jit.is_scripting', 'torch.jit.is_tracing', 'torch.onnx.is_in_onnx_export']) reg.set(name, b(name.slice(name.lastIndexOf('.') + 1), () => FALSE));
    // Scripting, tracing and freezing keep what the object computes, its children and its parameters:
    // the module or function itself stands for the ScriptModule / ScriptFunction.
    for (const name of ['torch.jit.script', 'torch.jit.trace', 'torch.jit.freeze', 'torch.jit.optimize_for_inference']) {
      reg.set(name, b(name.slice(name.lastIndexOf('.') + 1), (_c, [obj]) => obj ?? unknown(`${name}() without an argument`)));
    }
    // nn.utils.skip_init(Linear, 2, 3): the module built on the meta device and moved back empty, its parameters as usual.
    reg.set('torch.nn.utils.skip_init', b('skip_init', (ctx, [cls, ...args], kwargs) => (cls ? ctx.callValue(cls, args, kwargs) : unknown('skip_init() without a module class'))));
    // Activation checkpointing runs the function on its arguments (the keywords are checkpointing options).
    reg.set('torch.utils.checkpoint.checkpoint', b('checkpoint', (ctx, [fn, ...args]) => (fn ? ctx.callValue(fn, args) : unknown('checkpoint() without a function'))));
    reg.set('torch.utils.checkpoint.checkpoint_sequential', b('checkpoint_sequential', (ctx, [fns, _segments, input]) => {
      if (!fns || !input) return unknown('checkpoint_sequential() arguments');
      if (fns.k === 'instance') return ctx.callValue(fns, [input]);
      let x = input;
      for (const f of ctx.interp.iterate(fns) ?? []) x = ctx.callValue(f, [x]);
      return x;
    }));
    reg.set('torch.backends.mps.is_available', b('is_available', () => FALSE));
    reg.set('torch.manual_seed', b('manual_seed', () => NONE));
    // For the torch.utils.data stub (data.ts): a batch as a new object, its tensors new too.
    reg.set('torch._tensorlens.fresh_batch', b('fresh_batch', (_c, [x]) => (x ? freshBatch(x) : unknown('fresh_batch()'))));
    reg.set('torch.no_grad', b('no_grad', () => NONE));
    reg.set('torch.inference_mode', b('inference_mode', () => NONE));
    reg.set('torch.set_grad_enabled', b('set_grad_enabled', () => NONE));
    // torchinfo.summary(model, input_size=(1, 3, 224, 224)) / input_data=...: an example call.
    reg.set('torchinfo.summary', b('summary', (ctx, args, kwargs) => {
      const a = bindArgs([{ name: 'model' }, { name: 'input_size', default: null }, { name: 'input_data', default: null }, { name: 'kw', star: '**' }], args, kwargs);
      const model = a.get('model')!;
      const inputs = shapesArg(a.get('input_size')!, []) ?? tensorsArg(ctx.interp, a.get('input_data')!);
      if (model.k === 'instance' && inputs) this.exampleCalls.push({ inst: model, inputs, node: ctx.node });
      return NONE;
    }));
    // torchsummary.summary(model, (3, 224, 224)): shapes without the batch dim.
    reg.set('torchsummary.summary', b('summary', (ctx, args, kwargs) => {
      const a = bindArgs([{ name: 'model' }, { name: 'input_size' }, { name: 'batch_size', default: -1 }, { name: 'kw', star: '**' }], args, kwargs);
      const model = a.get('model')!;
      const bs = a.get('batch_size')!;
      const batch = bs.k === 'int' && typeof bs.v === 'number' && bs.v > 0 ? [int(bs.v)] : [int(sym('B'))];
      const inputs = shapesArg(a.get('input_size')!, batch);
      if (model.k === 'instance' && inputs) this.exampleCalls.push({ inst: model, inputs, node: ctx.node });
      return NONE;
    }));
  }

  /** A ClassV whose instances are leaf layers described by `spec`. */
  specClass(spec: LayerSpec): ClassV {
    const cls: ClassV = { k: 'class', name: spec.name, qualname: `torch.nn.${spec.name}`, bases: [this.moduleClass], attrs: new Map(), family: 'torch', spec };
    cls.attrs.set('__init__', b('__init__', (_ctx, [self, ...args], kwargs) => {
      if (self.k === 'instance') {
        self.layer = { spec, args: bindArgs(spec.signature, args, kwargs), node: self.node, facts: undefined };
        self.children ??= new Map();
      }
      return NONE;
    }));
    // nn.Embedding.from_pretrained(weights, freeze=True, ...): the table's size from the
    // tensor, frozen unless freeze=False (its other keywords are the constructor's).
    if (spec.name === 'Embedding' || spec.name === 'EmbeddingBag') {
      cls.attrs.set('from_pretrained', b('from_pretrained', (ctx, [given, freezeArg], kwargs) => {
        const emb = given ?? kwargs.get('embeddings');
        if (!emb || emb.k !== 'tensor' || !emb.shape || emb.shape.length !== 2) return unknown(`${spec.name}.from_pretrained: the embeddings are not a 2-D tensor of known shape`);
        const kw = new Map([...kwargs].filter(([k]) => k !== 'embeddings' && k !== 'freeze'));
        const inst = ctx.interp.call(cls, [int(emb.shape[0]), int(emb.shape[1])], kw, ctx.node);
        const freeze = freezeArg ?? kwargs.get('freeze');
        if (inst.k === 'instance' && !(freeze?.k === 'bool' && !freeze.v)) inst.frozen = true;
        return inst;
      }));
    }
    cls.attrs.set('forward', b('forward', (ctx, [self, ...given], givenKwargs) => {
      if (self.k !== 'instance' || !self.layer) return unknown('forward of an unbuilt layer');
      const { args, kwargs } = positionalInputs(given, givenKwargs);
      try {
        const plain = self.layer.spec.materialize?.(new LayerArgs(self.layer.args, spec.name), args);
        if (plain) {
          // A lazy layer's first call: the module becomes the plain layer (LazyLinear -> Linear), as in PyTorch.
          self.layer = { spec: plain.spec, args: plain.args, node: self.layer.node, facts: undefined };
          const cls = this.registry.get(`torch.nn.${plain.spec.name}`);
          if (cls && cls.k === 'class') self.cls = cls;
        }
        return self.layer.spec.forward(new LayerArgs(self.layer.weightArgs ?? self.layer.args, self.layer.spec.name), args, kwargs);
      } catch (e) {
        if (e instanceof ShapeError) return ctx.shapeError(e.message, e.code);
        return unknown(`${spec.name}: ${(e as Error).message}`);
      }
    }));
    return cls;
  }

  // ------------------------------------------------------------ Runtime hooks

  resolve(ip: Interp, path: string): Value | undefined {
    // torch.nn.parallel.DataParallel (and its data_parallel module path) is torch.nn.DataParallel.
    const dp = /^torch\.nn\.parallel\.(?:data_parallel\.)?DataParallel$/.test(path);
    if (dp) path = 'torch.nn.DataParallel';
    if (path.startsWith('torch.nn.') && TORCH_STUB_CLASSES.includes(path.slice(9))) {
      const mod = ip.loadStub(TORCH_NN_STUBS);
      const cls = mod?.scope?.vars.get(path.slice(9));
      if (cls && cls.k === 'class') cls.qualname = path;
      return cls;
    }
    // torch.distributions.Categorical, torch.distributions.normal.Normal...: the Python stub's classes.
    const dist = /^torch\.distributions\.(?:[a-z_]+\.)?([A-Za-z_]\w*)$/.exec(path);
    if (dist && TORCH_DISTRIBUTION_NAMES.has(dist[1])) {
      const v = ip.loadStub(TORCH_DISTRIBUTIONS_STUB)?.scope?.vars.get(dist[1]);
      if (v && v.k === 'class') v.qualname = `torch.distributions.${dist[1]}`;
      return v;
    }
    // torch.autograd.Function and its context: the Python stub's classes (MyFn.apply runs MyFn.forward).
    const fnCls = /^torch\.autograd\.(?:function\.)?([A-Za-z_]\w*)$/.exec(path);
    if (fnCls && TORCH_AUTOGRAD_NAMES.has(fnCls[1])) {
      const v = ip.loadStub(TORCH_AUTOGRAD_STUB)?.scope?.vars.get(fnCls[1]);
      if (v && v.k === 'class') v.qualname = `torch.autograd.${fnCls[1]}`;
      return v;
    }
    // torch.utils.data's datasets and loader: the Python stub's classes and functions.
    const data = /^torch\.utils\.data\.(?:(?:dataset|dataloader|_utils\.collate)\.)?([A-Za-z_]\w*)$/.exec(path);
    if (data && TORCH_DATA_NAMES.has(data[1])) return ip.loadStub(TORCH_DATA_STUB)?.scope?.vars.get(data[1]);
    if (path.startsWith('torch.nn.init.')) return initFunction(path.slice(14));
    if (path.startsWith('torch.nn.utils.') && !NN_UTIL_MODULES.has(path.slice('torch.nn.utils.'.length))) return this.nnUtil(ip, path.slice('torch.nn.utils.'.length));
    // FloatFunctional (torch.nn.quantized or torch.ao.nn.quantized, and their modules paths): the Python stub's classes.
    const ff = /^torch\.(?:ao\.)?nn\.quantized\.(?:modules\.(?:functional_modules\.)?)?(FX)?(FloatFunctional)$/.exec(path);
    if (ff) {
      const name = `${ff[1] ?? ''}${ff[2]}`;
      const v = ip.loadStub(TORCH_QUANTIZED_STUB)?.scope?.vars.get(name);
      if (v && v.k === 'class') v.qualname = `torch.ao.nn.quantized.${name}`;
      return v;
    }
    // Quantization stubs: placeholder modules (identity until the model is converted).
    const q = /^torch\.(?:ao\.)?quantization\.(?:stubs\.)?(QuantStub|DeQuantStub)$/.exec(path);
    if (q) {
      const key = `torch.ao.quantization.${q[1]}`;
      let cls = this.registry.get(key);
      if (!cls) this.registry.set(key, (cls = this.specClass(q[1] === 'QuantStub' ? QuantStub : DeQuantStub)));
      return cls;
    }
    // torch.nn.modules.utils._pair and friends (EqualizedConv2d's weight shape): a tuple of n,
    // an iterable argument as its tuple.
    const nt = /^torch\.nn\.modules\.utils\._(single|pair|triple|quadruple|ntuple)$/.exec(path);
    if (nt) {
      const ntuple = (n: number, name: string) => b(name, (ctx, [x]) => {
        if (!x) return unknown(`${name}() without an argument`);
        if (x.k === 'tuple' || x.k === 'list') return tuple(x.items);
        if (x.k === 'int' || x.k === 'float' || x.k === 'bool' || x.k === 'none') return tuple(Array.from({ length: n }, () => x));
        const items = ctx.interp.iterate(x);
        return items ? tuple(items) : unknown(`${name}() of ${x.k}`);
      });
      if (nt[1] !== 'ntuple') return ntuple({ single: 1, pair: 2, triple: 3, quadruple: 4 }[nt[1]]!, `_${nt[1]}`);
      return b('_ntuple', (_c, [n]) => (n?.k === 'int' && typeof n.v === 'number' ? ntuple(n.v, 'parse') : unknown('_ntuple() of an unknown n')));
    }
    // torch.nn.modules.conv.Conv2d and friends
    const m = /^torch\.nn\.modules\.[a-z_]+\.([A-Za-z0-9_]+)$/.exec(path);
    if (m) return this.registry.get(`torch.nn.${m[1]}`);
    // numpy.newaxis is None: `t[:, np.newaxis]` adds a dim (whisper's sinusoids).
    if (path === 'numpy.newaxis') return NONE;
    if (path === 'torch.nn.functional' || path === 'torch.nn' || path === 'torch') return undefined;
    // A torch.sparse function not modelled gives a tensor of unknown shape (not a number).
    if (/^torch\.sparse\.[a-z_][a-z0-9_]*$/.test(path)) {
      return b(path.slice('torch.sparse.'.length), (ctx) => {
        ctx.interp.note(`Line ${ctx.node.line + 1}: ${path}() is not modelled; its result is a tensor of unknown shape`);
        return { k: 'unknown', why: `${path}() is not modelled`, tensor: true };
      });
    }
    return undefined;
  }

  /**
   * torch.nn.utils: the wrappers that hand their module back (weight_norm adds its `weight_g`
   * magnitude parameter, spectral_norm only renames `weight`), the packed-sequence helpers
   * (a PackedSequence is its data tensor marked `packed`), and the rest (gradient clipping,
   * parameter vectors), whose results model code does not build on.
   */
  private nnUtil(ip: Interp, name: string): Value {
    const fn = name.slice(name.lastIndexOf('.') + 1);
    const builtin = name.startsWith('parametrizations.') ? BUILTIN_PARAMETRIZATIONS[fn] : undefined;
    if (builtin || fn === 'register_parametrization') {
      // register_parametrization(module, tensor_name, parametrization), or a built-in one
      // (spectral_norm(module, name='weight', ...)): the module gets it under
      // `parametrizations.<tensor name>` (parametrize.ts) and is handed back.
      return b(fn, (ctx, args, kwargs) => {
        const m = args[0] ?? kwargs.get('module');
        if (!m) return unknown(`${fn}() without a module`);
        const t = args[1] ?? kwargs.get(builtin ? 'name' : 'tensor_name');
        const tensorName = t?.k === 'str' ? t.v : builtin && !t ? 'weight' : undefined;
        if (m.k !== 'instance' || !isModule(m) || tensorName === undefined) return m;
        let p: Value | undefined;
        if (builtin) {
          const cls = ip.loadStub(TORCH_PARAMETRIZATIONS_STUB)?.scope?.vars.get(builtin);
          if (cls?.k !== 'class') return m;
          cls.qualname = `torch.nn.utils.parametrizations.${builtin}`;
          p = ip.call(cls, [this.parametrizedTensor(m, tensorName)], new Map(), ctx.node);
        } else p = args[2] ?? kwargs.get('parametrization');
        if (p && p.k === 'instance' && isModule(p)) this.registerParametrization(ip, m, tensorName, p, ctx.node);
        return m;
      });
    }
    if (fn === 'remove_parametrizations') {
      return b(fn, (_c, args, kwargs) => {
        const m = args[0] ?? kwargs.get('module');
        const t = args[1] ?? kwargs.get('tensor_name');
        const holder = m?.k === 'instance' ? m.children?.get('parametrizations') : undefined;
        if (m?.k === 'instance' && holder?.k === 'instance' && t?.k === 'str') {
          this.delAttr(ip, holder, t.v);
          if (![...(holder.children?.values() ?? [])].some(isModule)) this.delAttr(ip, m, 'parametrizations');
        }
        return m ?? unknown(`${fn}() without a module`);
      });
    }
    if (MODULE_WRAPPERS.has(fn)) {
      return b(fn, (_c, [m, ...rest], kwargs) => {
        if (!m) return unknown(`${fn}() without a module`);
        if (fn === 'weight_norm' && !name.startsWith('parametrizations.') && m.k === 'instance') {
          const pname = rest[0] ?? kwargs.get('name');
          this.addWeightNormMagnitude(ip, m, pname && pname.k === 'str' ? pname.v : 'weight', rest.length > 1 ? rest[1] : kwargs.get('dim') ?? int(0));
        }
        if (fn === 'remove_weight_norm' && m.k === 'instance' && m.ownParams) {
          // The magnitude goes back into the weight: the layer has its own parameters again.
          const pname = rest[0] ?? kwargs.get('name');
          this.delAttr(ip, m, `${pname && pname.k === 'str' ? pname.v : 'weight'}_g`);
        }
        return m;
      });
    }
    if (fn === 'clip_grad_norm_') return b(fn, () => tensor([]));
    // A PackedSequence is its data, (total steps, *features), with the number of sequences
    // (TensorV.packed); the total is the sum of the lengths, known when their values are
    // (a literal list, torch.tensor([12, 9, 4])), and the longest is what padding restores.
    if (fn === 'pack_padded_sequence') {
      return b(fn, (ctx, args, kwargs) => {
        const a = bindArgs([{ name: 'input' }, { name: 'lengths' }, { name: 'batch_first', default: false }, { name: 'enforce_sorted', default: true }], args, kwargs);
        const x = a.get('input')!;
        if (x.k !== 'tensor' || !x.shape || x.shape.length < 2) return unknown(`${fn}(): the input's shape is not known`);
        const bf = a.get('batch_first')!;
        const batch = bf.k === 'bool' && bf.v ? x.shape[0] : x.shape[1];
        const lengths = knownLengths(ctx.interp, a.get('lengths')!);
        return packedOf(x.shape.slice(2), x.dtype, batch, lengths);
      });
    }
    if (fn === 'pack_sequence') {
      return b(fn, (ctx, [seqs]) => {
        const items = seqs ? ctx.interp.iterate(seqs) : null;
        const first = items?.[0];
        if (!items || !first || first.k !== 'tensor' || !first.shape || first.shape.length < 1) return unknown(`${fn}(): the sequences are not known`);
        const lens = items.map((t) => (t.k === 'tensor' && t.shape ? t.shape[0] : undefined));
        return packedOf(first.shape.slice(1), first.dtype, items.length, lens.every((n): n is number => typeof n === 'number') ? lens : null);
      });
    }
    // pad_packed_sequence gives back the padded (T, B, *) / (B, T, *) tensor (T: total_length,
    // or the longest length) and the lengths.
    if (fn === 'pad_packed_sequence') {
      return b(fn, (_c, args, kwargs) => {
        const a = bindArgs([{ name: 'sequence' }, { name: 'batch_first', default: false }, { name: 'padding_value', default: 0.0 }, { name: 'total_length', default: null }], args, kwargs);
        const p = a.get('sequence')!;
        const total = a.get('total_length')!;
        if (p.k !== 'tensor' || !p.packed || !p.shape) return tuple([tensor([UNKNOWN_DIM, UNKNOWN_DIM, UNKNOWN_DIM]), tensor([UNKNOWN_DIM], 'int64')]);
        const steps = total.k === 'int' ? total.v : p.packed.steps ?? UNKNOWN_DIM;
        const bf = a.get('batch_first')!;
        const feat = p.shape.slice(1);
        const shape = bf.k === 'bool' && bf.v ? [p.packed.batch, steps, ...feat] : [steps, p.packed.batch, ...feat];
        const lens = tensor([p.packed.batch], 'int64');
        return tuple([tensor(shape, p.dtype), p.packed.lengths ? withValues(lens, p.packed.lengths) : lens]);
      });
    }
    if (fn.startsWith('pack_')) return b(fn, () => unknown(`${fn}(): a PackedSequence is not followed`));
    // pad_sequence: the sequences (L_i, *) stacked and padded to the longest, (T, B, *) or (B, T, *) with batch_first.
    if (fn === 'pad_sequence') {
      return b(fn, (ctx, args, kwargs) => {
        const a = bindArgs([{ name: 'sequences' }, { name: 'batch_first', default: false }, { name: 'padding_value', default: 0.0 }], args, kwargs);
        const items = ctx.interp.iterate(a.get('sequences')!);
        const first = items?.[0];
        if (!items || !first || first.k !== 'tensor' || !first.shape || first.shape.length < 1) return tensor(null);
        const lens = items.map((t) => (t.k === 'tensor' && t.shape && t.shape.length === first.shape!.length ? t.shape[0] : undefined));
        const longest = lens.every((n): n is number => typeof n === 'number') ? Math.max(...lens) : lens.every((n) => n !== undefined && dimsEqual(n, lens[0]!)) ? lens[0]! : UNKNOWN_DIM;
        const bf = a.get('batch_first')!;
        const rest = first.shape.slice(1);
        return tensor(bf.k === 'bool' && bf.v ? [items.length, longest, ...rest] : [longest, items.length, ...rest], first.dtype);
      });
    }
    return b(fn, () => NONE);
  }

  /** The tensor `name` of a module as a parametrization receives it: a layer's weight or bias, or a Parameter the module set. */
  private parametrizedTensor(m: InstanceV, name: string): Value {
    const shape = layerParamShapes(m)?.[name];
    if (shape) return tensor(shape);
    const own = m.attrs.get(name);
    return own?.k === 'tensor' ? { ...own, param: undefined } : tensor(null);
  }

  /** Registers `p` under `m.parametrizations.<tensorName>` (a ModuleDict of ModuleLists), after any registered before it. */
  private registerParametrization(ip: Interp, m: InstanceV, tensorName: string, p: InstanceV, node: Node): void {
    let holder = m.children?.get('parametrizations');
    if (!holder || !isModule(holder)) {
      const dictCls = ip.resolvePath('torch.nn.ModuleDict');
      holder = ip.call(dictCls, [], new Map(), node);
      if (!isModule(holder)) return;
      this.setAttr(ip, m, 'parametrizations', holder);
    }
    const chain = (holder as InstanceV).children?.get(tensorName);
    if (chain && isModule(chain)) {
      ip.call(ip.getAttr(chain, 'append'), [p], new Map(), node);
      return;
    }
    const made = ip.call(ip.resolvePath('torch.nn.ModuleList'), [list([p])], new Map(), node);
    if (isModule(made)) this.setAttr(ip, holder, tensorName, made);
  }

  /**
   * A layer's parametrizations, run as the layer reads its tensors (parametrize.ts): each is
   * called on the tensor the one before it made, so each call is a row of a summary run.
   */
  private runParametrizations(ip: Interp, inst: InstanceV, node: Node): void {
    const holder = inst.children?.get('parametrizations');
    if (!holder || holder.k !== 'instance' || !isModule(holder)) return;
    for (const [name, chain] of holder.children ?? []) {
      if (chain.k !== 'instance' || !isModule(chain)) continue;
      let t = this.parametrizedTensor(inst, name);
      for (const p of chain.children?.values() ?? []) if (isModule(p)) t = ip.call(p, [t], new Map(), node);
    }
  }

  /** weight_norm(module, name, dim): the weight becomes `<name>_v` (its shape) and `<name>_g`, one magnitude per index of `dim` (one in all for dim=None). */
  private addWeightNormMagnitude(ip: Interp, m: InstanceV, name: string, dim: Value): void {
    const shape = layerParamShapes(m)?.[name];
    let count: number | null = null;
    if (dim.k === 'none') count = 1;
    else if (shape) {
      const d = concreteInt(dim);
      const size = d === null ? undefined : shape[d < 0 ? shape.length + d : d];
      count = typeof size === 'number' ? size : null;
    }
    this.setAttr(ip, m, `${name}_g`, { ...tensor(null), param: { count, trainable: true } });
  }

  instantiate(ip: Interp, cls: ClassV, args: Value[], kwargs: Map<string, Value>, node: Node): Value | undefined {
    const legacy = cls.qualname === 'torch.Tensor' ? 'float32' : LEGACY_TYPES[cls.qualname];
    if (legacy && !cls.family) return legacyTensor(args, legacy);
    if (cls === this.parameterClass) {
      const t = args[0];
      const rg = kwargs.get('requires_grad') ?? args[1];
      return newParam(t && t.k === 'tensor' ? t : undefined, !(rg && rg.k === 'bool' && !rg.v));
    }
    if (cls.family !== 'torch' || !ip.isSubclass(cls, 'torch.nn.Module')) return undefined;
    if (this.constructDepth > 0) this.childClasses.add(cls);
    const inst: InstanceV = { k: 'instance', cls, attrs: new Map(), id: ip.newId(), node, children: new Map() };
    const kind = this.containerKind(ip, cls);
    if (kind) inst.container = kind;
    this.constructDepth++;
    try {
      ip.callOwnMethod(inst, '__init__', args, kwargs, node);
    } finally {
      this.constructDepth--;
    }
    return inst;
  }

  private containerKind(ip: Interp, cls: ClassV): InstanceV['container'] {
    for (const c of ip.mro(cls)) {
      const k = this.containers.get(c);
      if (k) return k;
    }
    return undefined;
  }

  private initContainer(ctx: CallCtx, inst: InstanceV, kind: NonNullable<InstanceV['container']>, args: Value[]): void {
    const ip = ctx.interp;
    const ch = inst.children!;
    if (kind === 'sequential') {
      if (args.length === 1 && args[0].k === 'dict') {
        const d = args[0];
        d.keys.forEach((k, i) => ch.set(ip.toStr(k) ?? String(i), d.vals[i]));
      } else args.forEach((a, i) => ch.set(String(i), a));
    } else if (kind === 'modulelist') {
      const items = args[0] ? ip.iterate(args[0]) : [];
      (items ?? []).forEach((a, i) => ch.set(String(i), a));
    } else if (kind === 'moduledict') {
      const d = args[0];
      if (d && d.k === 'dict') d.keys.forEach((k, i) => ch.set(ip.toStr(k) ?? String(i), d.vals[i]));
      else if (d) for (const kv of ip.iterate(d) ?? []) {
        const p = ip.iterate(kv);
        if (p && p.length === 2) ch.set(ip.toStr(p[0]) ?? '?', p[1]);
      }
    }
  }

  callInstance(ip: Interp, inst: InstanceV, args: Value[], kwargs: Map<string, Value>, node: Node): Value | undefined {
    if (inst.cls.family !== 'torch' || !inst.children) return undefined;
    return this.callModule(ip, inst, args, kwargs, node);
  }

  callModule(ip: Interp, inst: InstanceV, args: Value[], kwargs: Map<string, Value>, node: Node): Value {
    const rec = this.recorder;
    const leaf = isLeafModule(inst);
    let firstExample: ExampleCall | undefined;
    if (this.moduleCallDepth === 0 && !rec) {
      const ex: ExampleCall = { inst, inputs: args, node, ...(kwargs.size ? { kwargs: new Map(kwargs) } : {}) };
      const first = !this.exampleCalls.some((e) => e.inst === inst);
      this.exampleCalls.push(ex);
      // Only where the summary's own run would be the same pass: no call site opened for
      // library code (its problems are placed at the site), and a forward() of Python code
      // (a container's built-in forward, like a leaf module's row, uses the call node, which differs).
      if (first && this.recordExamples && kwargs.size === 0 && args.length > 0 && args.every((a) => a.k === 'tensor' && a.shape) && !leaf && ip.findAttrWithOwner(inst.cls, 'forward')?.v.k === 'func') {
        return this.recordExample(ip, ex, node);
      }
      if (first) firstExample = ex;
    }
    // A parametrized layer (parametrize.ts) is no leaf, but the layer a run meets first all the same.
    const parametrized = !!inst.layer && inst.children?.has('parametrizations');
    const firstLeaf = rec && (leaf || parametrized) && rec.leafDepth === 0 && !rec.firstLeaf ? (rec.firstLeaf = { inst, issuesBefore: ip.shapeIssues.length, failed: false as boolean }) : undefined;
    // A call of one of the recorded model's modules, not inside a leaf's own call.
    const inRun = !!rec && rec.leafDepth === 0 && rec.paths.has(inst.id);
    const record = inRun && leaf;
    if (record) rec!.leafDepth++;
    this.moduleCallDepth++;
    ip.layerDefStack.push(inst.node);
    let out: Value;
    const errorsBefore = ip.shapeErrorCount;
    const hooks = this.hooked ? this.hooks.get(inst) : undefined;
    try {
      if (parametrized) this.runParametrizations(ip, inst, node);
      // A pre-hook's result other than None replaces the positional inputs (a single value is wrapped in a tuple).
      if (hooks) for (const h of hooks.pre) args = this.hookResult(ip.call(h, [inst, tuple(args)], new Map(), node), args, true);
      out = this.runForward(ip, inst, args, kwargs, node);
      // A forward hook's result other than None replaces the output.
      if (hooks) for (const h of hooks.post) out = this.hookResult(ip.call(h, [inst, tuple(args), out], new Map(), node), out, false);
    } finally {
      ip.layerDefStack.pop();
      this.moduleCallDepth--;
      if (record) rec!.leafDepth--;
    }
    if (firstLeaf) firstLeaf.failed = ip.shapeErrorCount > errorsBefore;
    if (parametrized && inRun) rec!.unlistedMacs = (rec!.unlistedMacs ?? 0) + (countMacs({ inst, inputs: args, output: out }) ?? 0);
    if (firstExample) {
      firstExample.stamp = treeStamp(inst);
      firstExample.modes = modesOf(inst);
    }
    if (record && this.flow) out = this.flowLayer(inst, rec!.paths.get(inst.id)!, args, out, rec!.rows.length);
    if (record) {
      // A summary this long is of no use, and runaway recursion in half-typed code (a call
      // tree that doubles at each level) would otherwise fill memory before the step budget ends it.
      if (rec!.rows.length >= MAX_SUMMARY_ROWS) throw new BudgetExceeded(`more than ${MAX_SUMMARY_ROWS.toLocaleString('en-US')} layer calls in one forward pass`);
      const first = !rec!.seen.has(inst.id);
      rec!.seen.add(inst.id);
      const pc = this.paramCount(inst);
      // A shape error in this call marks its row, also one reported before (a second pass, a loop).
      const err = ip.shapeErrorCount > errorsBefore ? ip.lastShapeError : undefined;
      rec!.rows.push({
        inst, path: rec!.paths.get(inst.id)!, type: moduleType(inst), output: out, inputs: args,
        params: first ? pc.total : 0, trainable: first ? pc.trainable : 0, nonTrainable: first ? pc.nonTrainable : 0,
        firstCall: first, node, error: err,
      });
    }
    return out;
  }

  /** What a hook's result `r` makes of `given` (the inputs of a pre-hook, the output of a forward hook): None, or a result not known, leaves it. */
  private hookResult<T extends Value | Value[]>(r: Value, given: T, inputs: boolean): T {
    if (r.k === 'none' || r.k === 'unknown') return given;
    return (inputs ? (r.k === 'tuple' ? r.items : [r]) : r) as T;
  }

  /**
   * Starts recording a forward pass of `inst` as a summary run: leaf-module calls become rows
   * and, with `withFlow`, tensor provenance becomes the dataflow graph (inputs tagged `in<i>`).
   * The caller runs the forward pass on `run.inputs`, stores its output in `run.out`, and
   * calls stopRecording.
   */
  startRecording(inst: InstanceV, inputs: Value[], withFlow: boolean, kwargs?: Map<string, Value>): RecordedRun {
    const rec: Recorder = { paths: modulePaths(inst), depths: new Map(), rows: [], seen: new Set(), leafDepth: 0 };
    const flow: FlowRecorder | undefined = withFlow ? { nodes: [], edges: [], ops: 0 } : undefined;
    if (flow) {
      const input = (t: Value, i: number, label: string): Value => {
        flow.nodes.push({ id: `in${i}`, kind: 'input', label, outputShape: t.k === 'tensor' ? t.shape : null });
        return tagFlow(t, `in${i}`);
      };
      inputs = inputs.map((t, i) => input(t, i, `input ${i}`));
      // Keyword inputs after them: the tensors (a flag or a mode name is no graph input).
      if (kwargs) kwargs = new Map([...kwargs].map(([k, t], i) => [k, t.k === 'tensor' ? input(t, inputs.length + i, k) : t]));
    }
    this.recorder = rec;
    this.flow = flow;
    return { rec, flow, inputs, ...(kwargs ? { kwargs } : {}), out: unknown('forward pass not run') };
  }

  stopRecording(): void {
    this.recorder = undefined;
    this.flow = undefined;
  }

  /** An example call run as a recorded summary run (see recordExamples). */
  private recordExample(ip: Interp, ex: ExampleCall, node: Node): Value {
    const reads = new Map<string, Value | undefined>();
    const outerReads = ip.globalReads;
    ip.globalReads = reads;
    const run = this.startRecording(ex.inst, ex.inputs, this.recordExamples!.flow);
    const onAssign = ip.onAssign;
    if (onAssign) {
      const assigns: NonNullable<RecordedRun['assigns']> = (run.assigns = []);
      ip.onAssign = (target, v) => {
        // A list as it is now: the run may append to it after the assignment.
        if (ip.currentFile === ip.fileName) assigns.push([target, v.k === 'list' ? list([...v.items]) : v]);
        onAssign(target, v);
      };
    }
    try {
      run.out = this.callModule(ip, ex.inst, run.inputs, new Map(), node);
    } finally {
      this.stopRecording();
      ip.globalReads = outerReads;
      ip.onAssign = onAssign;
    }
    ex.stamp = treeStamp(ex.inst);
    ex.modes = modesOf(ex.inst);
    ex.recorded = { run, reads };
    return run.out;
  }

  private runForward(ip: Interp, inst: InstanceV, args: Value[], kwargs: Map<string, Value>, node: Node): Value {
    const fwd = ip.findAttrWithOwner(inst.cls, 'forward');
    if (fwd && fwd.v.k === 'func') return ip.callMethod(fwd.v, fwd.owner, inst, args, kwargs);
    if (fwd && fwd.v.k === 'builtin') return fwd.v.call(ip.ctx(node), [inst, ...args], kwargs);
    return unknown(`${inst.cls.name} has no forward()`);
  }

  getAttr(ip: Interp, obj: Value, name: string, _node: Node): Value | undefined {
    if (obj.k === 'tensor' && obj.param) {
      const pa = paramAttr(obj, obj.param, name);
      if (pa) return pa;
    }
    // `.shape`, `.view(...)` on the (output, state) tuple of an RNN: a tuple has no tensor attributes.
    const rnn = rnnOutputOf(obj);
    if (rnn && obj.k === 'tuple' && (TENSOR_METHODS.has(name) || name === 'shape' || name === 'dtype' || name === 'device')) {
      return ip.reportShapeError(rnnTupleMisuse(rnn, `has no attribute '${name}' (a tuple, not a tensor)`), undefined, undefined, 'DL407');
    }
    // torch.Size.numel(): the product of the dims (`x.shape[1:].numel()`, `torch.Size(shape).numel()`), symbolic dims kept.
    if (obj.k === 'tuple' && name === 'numel' && TORCH_SIZES.has(obj)) {
      return b('numel', () => (obj.items.every((x) => x.k === 'int') ? int(prodDims(obj.items.map((x) => (x as { v: Dim }).v))) : unknown('numel() of a torch.Size with a size not known')));
    }
    // torch.return_types named tuples built with their field names (aminmax, slogdet, eigh, qr, svd, ...).
    if (obj.k === 'tuple' && obj.fields) {
      const i = obj.fields.indexOf(name);
      if (i >= 0 && i < obj.items.length) return obj.items[i];
    }
    // torch.max/min/sort/topk(dim=...) return (values, indices) named tuples.
    if (obj.k === 'tuple' && obj.items.length === 2 && obj.items.every((x) => x.k === 'tensor')) {
      if (name === 'values') return obj.items[0];
      if (name === 'indices') return obj.items[1];
    }
    if (obj.k === 'tensor') {
      if (obj.ndarray) {
        const nd = ndarrayAttribute(obj, name, (n) => {
          // The tensor method of that name, bound to this array (looked up with the mark off).
          delete obj.ndarray;
          try {
            return this.getAttr(ip, obj, n, _node);
          } finally {
            obj.ndarray = true;
          }
        });
        if (nd) return nd;
      }
      const a = tensorAttribute(obj, name);
      if (a) return obj.ndarray ? asNdarray(a, [obj]) : a;
      // numpy's ndarray.astype (arrays share the tensor form): the same shape, the dtype asked for
      // (the builtin int / float / bool are int64 / float64 / bool), known values converted to it
      // (RegNet's `ws.astype(int).tolist()`).
      if (name === 'astype') {
        return b('astype', (_c, [dt]) => {
          const d = dt?.k === 'builtin' ? PY_DTYPES[dt.name] : dtypeName(dt);
          const out = tensor(obj.shape, d && DTYPE.test(d) ? d : obj.dtype);
          const vals = TENSOR_VALUES.get(obj);
          return vals ? withValues(out, vals.map((x) => elementOf(out.dtype, x))) : out;
        });
      }
      // ndarray.copy(): a new array of the same shape and dtype (torch tensors have no copy method).
      if (name === 'copy') return b('copy', () => tensor(obj.shape, obj.dtype));
      const m = TENSOR_METHODS.get(name);
      if (m) {
        const op = m;
        return b(name, (ctx, args, kwargs) => {
          try {
            const r = op.call(new LayerArgs(bindArgs(op.signature, args, kwargs), `Tensor.${name}`), obj);
            if (obj.strides && name === 'view') this.viewChecks.set(ctx.node, this.viewChecks.get(ctx.node) ?? true);
            return this.flowOp(name, [obj, ...args], r);
          } catch (e) {
            if (e instanceof ShapeError && e.code === 'DL115') this.viewChecks.set(ctx.node, false);
            if (e instanceof ShapeError) return ctx.shapeError(e.message, e.code);
            return unknown(`${name}: ${(e as Error).message}`);
          }
        });
      }
      // Most often a method that gives a tensor: calling it (the unknown value itself) must not
      // take another operand's shape in `x.method() + bias`, as a number would.
      return { k: 'unknown', why: `tensor attribute '${name}' is not modelled`, tensor: true };
    }
    if (obj.k !== 'instance') return undefined;
    if (obj.cls.family !== 'torch' || !obj.children) return undefined;
    // Registered children shadow class attributes, as in nn.Module.__getattr__.
    const own = obj.attrs.get(name);
    if (own !== undefined) return own;
    const child = obj.children.get(name);
    if (child !== undefined) return child;
    // Set by eval() / train(mode) on the module and every submodule, as torch does.
    if (name === 'training') return obj.extra?.training === false ? FALSE : TRUE;
    // The registered submodules by name (`for name, m in self._modules.items()`), a copy as a dict;
    // an item set in it registers that submodule (torchvision's `module._modules[name] = nn.ReLU()`).
    if (name === '_modules') {
      const entries = [...obj.children].filter(([, m]) => isModule(m) || m.k === 'none');
      const onSet = (key: Value, v: Value) => {
        if (key.k === 'str' && (isModule(v) || v.k === 'none')) this.setAttr(ip, obj, key.v, v);
      };
      return { k: 'dict', keys: entries.map(([k]) => str(k)), vals: entries.map(([, m]) => m), onSet };
    }
    // Parameters (`lin.bias`) before constructor arguments of the same name (`bias=True`).
    if (obj.layer) {
      const shapes = layerParamShapes(obj);
      if (shapes && name in shapes) return layerParamTensor(obj, name, shapes[name]);
      // A layer built with bias=False has `bias = None`, not the argument.
      if (shapes && name === 'bias') return NONE;
      const stored = obj.layer.spec.attrs?.(new LayerArgs(obj.layer.args, obj.layer.spec.name))[name];
      if (stored) return stored;
    }
    if (obj.layer && obj.layer.args.has(name)) return obj.layer.args.get(name);
    if (obj.container) {
      const cm = this.containerMethod(ip, obj, name);
      if (cm) return cm;
    }
    if (obj.layer) {
      const shapes = layerParamShapes(obj);
      if (shapes && name in shapes) return layerParamTensor(obj, name, shapes[name]);
      if (name === 'weight' || name === 'bias') return unknown(`${obj.layer.spec.name}.${name} shape is not modelled`);
    }
    return undefined;
  }

  setAttr(ip: Interp, obj: Value, name: string, value: Value): boolean {
    if (obj.k === 'tensor') {
      if (obj.param && name === 'requires_grad') {
        const t = ip.truthy(value);
        if (t !== null) setParamTrainable(obj.param, t);
      }
      return true;
    }
    if (obj.k !== 'instance') return false;
    const inst = obj;
    if (inst.cls.family !== 'torch' || !inst.children) return false;
    if (isModule(value)) {
      inst.attrs.delete(name);
      inst.children.set(name, value);
      return true;
    }
    if (value.k === 'tensor' && value.param?.layerOwner && value.param.layerOwner !== inst && inst.layer && layerParamShapes(inst)?.[name]) {
      // Weight tying: this layer now uses another layer's parameter (one tensor, counted once in the model).
      (inst.tiedParams ??= new Map()).set(name, value.param);
      // Of another shape, the layer now computes with it: a new record whose parameters follow it.
      const refit = value.shape ? refitArgs(inst.layer, name, value.shape) : undefined;
      if (refit) inst.layer = { spec: inst.layer.spec, args: inst.layer.args, node: inst.layer.node, facts: undefined, weightArgs: refit };
      return true;
    }
    if (value.k === 'tensor' && value.param?.layerOwner && value.param.layerOwner !== inst && !inst.layer) {
      // Another layer's parameter registered on this module as well (torch keeps one tensor
      // in both; model.parameters() yields it once): counted here unless its layer is in the model (tiedCount).
      const p = value.param;
      inst.ownParams ??= [];
      const own = { name, count: p.count, trainable: p.trainable, alias: p };
      const at = inst.ownParams.findIndex((q) => q.name === name);
      if (at >= 0) inst.ownParams[at] = own;
      else inst.ownParams.push(own);
      inst.attrs.set(name, value);
      return true;
    }
    if (value.k === 'tensor' && value.param && !value.param.layerOwner && inst.layer && !inst.ownParams?.some((q) => q.name === name)) {
      // A layer's own parameter replaced (`self.emb.weight = nn.Parameter(...)`) by one of the
      // same size: the layer still has one such parameter, trainable or not as the new one is.
      const shape = layerParamShapes(inst)?.[name];
      const count = shape ? prodDims(shape) : undefined;
      if (count !== undefined && count === value.param.count) {
        if (!value.param.trainable) (inst.frozenParams ??= new Set()).add(name);
        else inst.frozenParams?.delete(name);
        return true;
      }
    }
    if (value.k === 'tensor' && value.param && !value.param.layerOwner) {
      const p = value.param;
      inst.ownParams ??= [];
      const existing = inst.ownParams.find((q) => q.name === name);
      if (existing) existing.count = p.count;
      else inst.ownParams.push({ name, count: p.count, trainable: p.trainable });
      p.owner = inst;
      p.name = name;
      inst.attrs.set(name, value);
      return true;
    }
    if (value.k === 'none' && inst.children.has(name)) {
      inst.children.set(name, value);
      return true;
    }
    return false;
  }

  /** `del self.fc`, `del self.scale`: the submodule or parameter leaves the module. */
  delAttr(_ip: Interp, obj: Value, name: string): boolean {
    if (obj.k !== 'instance' || obj.cls.family !== 'torch' || !obj.children) return false;
    obj.children.delete(name);
    if (obj.ownParams) obj.ownParams = obj.ownParams.filter((q) => q.name !== name);
    obj.attrs.delete(name);
    return true;
  }

  getItem(ip: Interp, obj: Value, index: Value): Value | undefined {
    // `h[:, -1]` on the (output, state) tuple of an RNN: a tuple takes one int or slice.
    const rnn = rnnOutputOf(obj);
    if (rnn && obj.k === 'tuple' && index.k === 'tuple') return ip.reportShapeError(rnnTupleMisuse(rnn, 'is indexed like a tensor (tuple indices must be integers or slices)'), undefined, undefined, 'DL407');
    if (obj.k === 'tensor') {
      try {
        if (obj.ndarray) return ndarrayItem(indexTensor(obj, index, true));
        return this.flowOp('index', [obj], indexTensor(obj, index));
      } catch (e) {
        if (e instanceof ShapeError) return ip.reportShapeError(e.message, undefined, undefined, e.code);
        return unknown((e as Error).message);
      }
    }
    // A list or tuple indexed by an integer tensor of known value (Tensor.__index__: `crops[start:end]`
    // with `end` from iterating a constant tensor): the same as by that int.
    if ((obj.k === 'list' || obj.k === 'tuple') && hasTensorIndex(index)) {
      const asInt = (v: Value): Value | null => {
        if (v.k !== 'tensor') return v;
        const vals = TENSOR_VALUES.get(v);
        return vals && vals.length === 1 && /^(?:u?int|long)/.test(v.dtype) && (!v.shape || v.shape.length <= 1) ? int(vals[0]) : null;
      };
      if (index.k === 'slice') {
        const [start, stop, step] = [asInt(index.start), asInt(index.stop), asInt(index.step)];
        if (!start || !stop || !step) return unknown('a slice bound is a tensor of unknown value');
        const picked = sliceItems(obj.items, { k: 'slice', start, stop, step });
        if (!picked) return undefined;
        return obj.k === 'list' ? list(picked) : TORCH_SIZES.has(obj) ? torchSize(picked) : tuple(picked);
      }
      const i = asInt(index);
      const n = i ? concreteInt(i) : null;
      if (n === null) return unknown('an index that is a tensor of unknown value');
      return obj.items[n < 0 ? obj.items.length + n : n] ?? unknown('index out of range');
    }
    // A slice of a torch.Size is a torch.Size (`x.size()[1:]`).
    if (obj.k === 'tuple' && index.k === 'slice' && TORCH_SIZES.has(obj)) {
      const picked = sliceItems(obj.items, index);
      return picked ? torchSize(picked) : undefined;
    }
    if (obj.k === 'instance' && obj.container && obj.children) {
      const vals = [...obj.children.values()];
      const keys = [...obj.children.keys()];
      if (obj.container === 'moduledict') {
        const k = ip.toStr(index);
        return (k !== null && obj.children.get(k)) || unknown(`key ${k} not in ModuleDict`);
      }
      if (index.k === 'slice') {
        const picked = sliceItems(keys.map((k) => str(k)), index);
        if (!picked) return unknown('slice of a container');
        const sub: InstanceV = { k: 'instance', cls: obj.cls, attrs: new Map(), id: ip.newId(), node: obj.node, children: new Map(), container: obj.container };
        for (const p of picked) sub.children!.set((p as { v: string }).v, obj.children.get((p as { v: string }).v)!);
        return sub;
      }
      const i = concreteInt(index);
      if (i === null) return unknown('index of a container not known');
      return vals[i < 0 ? vals.length + i : i] ?? unknown('container index out of range');
    }
    return undefined;
  }

  binop(ip: Interp, op: string, a: Value, c: Value): Value | undefined {
    if (a.k !== 'tensor' && c.k !== 'tensor') return undefined;
    try {
      // numpy arrays with each other and with numbers stay arrays; with a torch tensor, a tensor.
      if ((a.k === 'tensor' && a.ndarray) || (c.k === 'tensor' && c.ndarray)) {
        const torchSide = (a.k === 'tensor' && !a.ndarray) || (c.k === 'tensor' && !c.ndarray);
        const r = binaryTensorOp(op, a, c);
        return torchSide ? r : asNdarray(r, [a, c]);
      }
      return this.flowOp(BINOP_NAMES[op] ?? op, [a, c], binaryTensorOp(op, a, c));
    } catch (e) {
      if (e instanceof ShapeError) return ip.reportShapeError(e.message, undefined, undefined, e.code);
      return unknown((e as Error).message);
    }
  }

  unary(_ip: Interp, op: string, a: Value): Value | undefined {
    if (a.k !== 'tensor') return undefined;
    if (op === 'not') return unknown('truth value of a tensor');
    return unaryTensorOp(op as '-' | '+' | '~', a);
  }

  // ------------------------------------------------------------ dataflow

  /** Tags a tensor result: one source passes through; several sources meet in an op node (add, cat, matmul...). */
  flowOp(name: string, inputs: Value[], result: Value): Value {
    const f = this.flow;
    if (!f) return result;
    const srcs = flowSources(inputs);
    if (srcs.length === 0) return result;
    let id = srcs[0];
    if (srcs.length > 1) {
      if (f.nodes.length >= MAX_FLOW_NODES) return result;
      id = `op${f.ops++}`;
      f.nodes.push({ id, kind: 'op', label: name, outputShape: result.k === 'tensor' ? result.shape : null });
      for (const s of srcs) f.edges.push({ from: s, to: id });
    }
    return tagFlow(result, id);
  }

  private flowLayer(inst: InstanceV, path: string, inputs: Value[], out: Value, rowIndex: number): Value {
    const f = this.flow!;
    if (f.nodes.length >= MAX_FLOW_NODES) return out;
    const id = `L${rowIndex}`;
    const shape = out.k === 'tensor' ? out.shape : out.k === 'tuple' && out.items[0]?.k === 'tensor' ? out.items[0].shape : null;
    f.nodes.push({ id, kind: 'layer', label: inst.cls.name, path, layer: rowIndex, outputShape: shape, line: inst.node?.line });
    for (const s of flowSources(inputs)) f.edges.push({ from: s, to: id });
    return tagFlow(out, id);
  }

  // ------------------------------------------------------------ ParameterList / ParameterDict

  /**
   * nn.ParameterList / nn.ParameterDict: modules whose items are parameters, registered
   * under '0', '1', … (or their keys) as a module's own parameters are, so the totals count
   * them; a plain tensor put in one becomes a Parameter, as in torch.
   */
  private installParameterContainers(): void {
    for (const kind of ['list', 'dict'] as const) {
      const name = kind === 'list' ? 'ParameterList' : 'ParameterDict';
      const cls: ClassV = { k: 'class', name, qualname: `torch.nn.${name}`, bases: [this.moduleClass], attrs: new Map(), family: 'torch' };
      const put = (ip: Interp, self: InstanceV, key: string, v: Value) => {
        const p = v.k === 'tensor' && !v.param ? newParam(v, true) : v;
        ip.structureChanged(self);
        if (!this.setAttr(ip, self, key, p)) self.attrs.set(key, p);
      };
      const items = (self: Value): InstanceV | undefined => (self.k === 'instance' && self.extra?.paramContainer ? self : undefined);
      const A = cls.attrs;
      A.set('__init__', b('__init__', (ctx, [self, values]) => {
        if (self.k !== 'instance') return NONE;
        self.extra = { ...(self.extra ?? {}), paramContainer: kind };
        if (!values || values.k === 'none') return NONE;
        const ip = ctx.interp;
        if (kind === 'dict' && values.k === 'dict') values.keys.forEach((k, i) => put(ip, self, ip.toStr(k) ?? String(i), values.vals[i]));
        else {
          const all = ip.iterate(values);
          if (!all) self.extra.paramContainer = undefined;
          (all ?? []).forEach((v, i) => {
            const pair = kind === 'dict' ? ip.iterate(v) : undefined;
            if (pair && pair.length === 2) put(ip, self, ip.toStr(pair[0]) ?? String(i), pair[1]);
            else put(ip, self, String(i), v);
          });
        }
        return NONE;
      }));
      A.set('__len__', b('__len__', (_c, [self]) => (items(self) ? int(items(self)!.attrs.size) : unknown('len()'))));
      A.set('__iter__', b('__iter__', (_c, [self]) => {
        const s = items(self);
        if (!s) return unknown('iteration');
        return list(kind === 'list' ? [...s.attrs.values()] : [...s.attrs.keys()].map(str));
      }));
      A.set('__getitem__', b('__getitem__', (ctx, [self, key]) => {
        const s = items(self);
        if (!s || !key) return unknown(`${name}[...]`);
        if (kind === 'dict') return s.attrs.get(ctx.interp.toStr(key) ?? '') ?? unknown(`key not in ${name}`);
        const vals = [...s.attrs.values()];
        const i = concreteInt(key);
        return i === null ? unknown(`${name} index not known`) : vals[i < 0 ? vals.length + i : i] ?? unknown(`${name} index out of range`);
      }));
      A.set('__setitem__', b('__setitem__', (ctx, [self, key, v]) => {
        const s = items(self);
        if (s && key && v) put(ctx.interp, s, ctx.interp.toStr(key) ?? '?', v);
        return NONE;
      }));
      if (kind === 'list') {
        A.set('append', b('append', (ctx, [self, v]) => {
          const s = items(self);
          if (s && v) put(ctx.interp, s, String(s.attrs.size), v);
          return self ?? NONE;
        }));
        A.set('extend', b('extend', (ctx, [self, vs]) => {
          const s = items(self);
          const all = vs ? ctx.interp.iterate(vs) : null;
          if (s && all) for (const v of all) put(ctx.interp, s, String(s.attrs.size), v);
          else if (s) s.extra.paramContainer = undefined;
          return self ?? NONE;
        }));
      } else {
        // update(mapping or (key, value) pairs), as dict.update.
        A.set('update', b('update', (ctx, [self, vs]) => {
          const s = items(self);
          if (!s || !vs) return NONE;
          const ip = ctx.interp;
          if (vs.k === 'dict') vs.keys.forEach((k, i) => put(ip, s, ip.toStr(k) ?? String(i), vs.vals[i]));
          else if (vs.k === 'instance' && vs.extra?.paramContainer === 'dict') for (const [k, v] of vs.attrs) put(ip, s, k, v);
          else {
            const pairs = ip.iterate(vs);
            if (!pairs) s.extra.paramContainer = undefined;
            for (const pr of pairs ?? []) {
              const kv = ip.iterate(pr);
              if (kv && kv.length === 2) put(ip, s, ip.toStr(kv[0]) ?? '?', kv[1]);
            }
          }
          return NONE;
        }));
        A.set('keys', b('keys', (_c, [self]) => list([...(items(self)?.attrs.keys() ?? [])].map(str))));
        A.set('values', b('values', (_c, [self]) => list([...(items(self)?.attrs.values() ?? [])])));
        A.set('items', b('items', (_c, [self]) => list([...(items(self)?.attrs.entries() ?? [])].map(([k, v]) => tuple([str(k), v])))));
      }
      this.registry.set(`torch.nn.${name}`, cls);
    }
  }

  // ------------------------------------------------------------ module methods

  private installModuleMethods(): void {
    const A = this.moduleClass.attrs;
    const self = (args: Value[]): InstanceV | undefined => (args[0]?.k === 'instance' ? (args[0] as InstanceV) : undefined);
    A.set('__init__', b('__init__', () => NONE));
    A.set('forward', b('forward', () => unknown('forward() not implemented')));
    const chain = (name: string) => A.set(name, b(name, (_c, args) => args[0] ?? NONE));
    for (const n of ['to', 'cuda', 'cpu', 'float', 'double', 'half', 'type', 'share_memory', 'requires_grad']) chain(n);
    // eval() / train(mode): the mode of the module and all its submodules (`self.training` in forward).
    const setMode = (s: Value, on: boolean) => {
      if (s.k === 'instance' && s.children) for (const m of walkModules(s)) m.extra = { ...(m.extra ?? {}), training: on };
      return s;
    };
    A.set('eval', b('eval', (_c, [s]) => setMode(s, false)));
    A.set('train', b('train', (ctx, [s, mode], kwargs) => {
      const m = mode ?? kwargs.get('mode');
      return setMode(s, !m || ctx.interp.truthy(m) !== false);
    }));
    for (const n of ['zero_grad', 'register_full_backward_hook', 'register_backward_hook', 'load_state_dict', 'extra_repr']) A.set(n, b(n, () => NONE));
    // register_forward_pre_hook(hook) / register_forward_hook(hook, prepend=False): the hook runs
    // on every call of the module (callModule); the handle's remove() takes it off again.
    for (const [n, kind] of [['register_forward_pre_hook', 'pre'], ['register_forward_hook', 'post']] as const) {
      A.set(n, b(n, (_c, args, kwargs) => {
        const inst = self(args);
        const hook = args[1] ?? kwargs.get('hook');
        if (!inst || !hook) return unknown(`${n}() without a module or hook`);
        let entry = this.hooks.get(inst);
        if (!entry) {
          this.hooks.set(inst, (entry = { pre: [], post: [] }));
          this.hooked++;
        }
        const listed = entry[kind];
        const prepend = kwargs.get('prepend');
        if (prepend && flagSet(prepend)) listed.unshift(hook);
        else listed.push(hook);
        const handle = b('RemovableHandle', () => unknown('calling a hook handle'));
        handle.attrs = new Map<string, Value>([['remove', b('remove', () => {
          const i = listed.indexOf(hook);
          if (i >= 0) listed.splice(i, 1);
          return NONE;
        })]]);
        return handle;
      }));
    }
    A.set('state_dict', b('state_dict', () => unknown('state_dict()')));
    // The registration methods, also called with keywords (`add_module(name="fc", module=m)`).
    const named = (args: Value[], kwargs: Map<string, Value>, names: readonly string[]): Array<Value | undefined> =>
      names.map((n, i) => args[i + 1] ?? kwargs.get(n));
    A.set('add_module', b('add_module', (ctx, args, kwargs) => {
      const [name, m] = named(args, kwargs, ['name', 'module']);
      const inst = self(args);
      if (inst?.children && name?.k === 'str' && m) {
        ctx.interp.structureChanged(inst);
        inst.children.set(name.v, m);
      }
      return NONE;
    }));
    A.set('register_module', A.get('add_module')!);
    A.set('register_buffer', b('register_buffer', (ctx, args, kwargs) => {
      const [name, t] = named(args, kwargs, ['name', 'tensor']);
      const s = self(args);
      if (s && name?.k === 'str' && t) {
        ctx.interp.structureChanged(s);
        s.attrs.set(name.v, t);
      }
      return NONE;
    }));
    A.set('register_parameter', b('register_parameter', (ctx, args, kwargs) => {
      const [name, p] = named(args, kwargs, ['name', 'param']);
      const s = self(args);
      // register_parameter('bias', None) leaves `self.bias` None.
      if (s && name?.k === 'str' && p) {
        ctx.interp.structureChanged(s);
        if (!this.setAttr(ctx.interp, s, name.v, p)) s.attrs.set(name.v, p);
      }
      return NONE;
    }));
    A.set('requires_grad_', b('requires_grad_', (_c, [s, flag]) => {
      const inst = s.k === 'instance' ? s : undefined;
      const on = !flag || flag.k !== 'bool' || flag.v;
      if (inst) for (const m of walkModules(inst)) setModuleTrainable(m, on);
      return s;
    }));
    A.set('parameters', b('parameters', (_ctx, args) => {
      const inst = self(args);
      if (!inst) return unknown('parameters()');
      return list(this.paramRefs(inst, false).map((p) => p.value));
    }));
    A.set('named_parameters', b('named_parameters', (_ctx, args) => {
      const inst = self(args);
      if (!inst) return unknown('named_parameters()');
      return list(this.paramRefs(inst).map((p) => tuple([str(p.path), p.value])));
    }));
    A.set('children', b('children', (_c, args) => list([...(self(args)?.children?.values() ?? [])].filter(isModule))));
    A.set('named_children', b('named_children', (_c, args) => list([...(self(args)?.children?.entries() ?? [])].filter(([, v]) => isModule(v)).map(([k, v]) => tuple([str(k), v])))));
    A.set('modules', b('modules', (_c, args) => {
      const inst = self(args);
      return inst ? list(walkModules(inst)) : unknown('modules()');
    }));
    A.set('named_modules', b('named_modules', (_c, args) => {
      const inst = self(args);
      if (!inst) return unknown('named_modules()');
      const paths = modulePaths(inst);
      return list(walkModules(inst).map((m) => tuple([str(paths.get(m.id) ?? ''), m])));
    }));
    // get_submodule('layer1.0.conv'): the registered child at each dotted step ('' is the module itself).
    A.set('get_submodule', b('get_submodule', (_c, [s, target]) => {
      if (s.k !== 'instance' || target?.k !== 'str') return unknown('get_submodule()');
      let cur: Value = s;
      for (const part of target.v === '' ? [] : target.v.split('.')) {
        const next: Value | undefined = cur.k === 'instance' ? cur.children?.get(part) : undefined;
        if (!next || !isModule(next)) return unknown(`get_submodule(): no submodule '${target.v}'`);
        cur = next;
      }
      return cur;
    }));
    A.set('apply', b('apply', (ctx, [s, fn]) => {
      if (s.k === 'instance' && fn) for (const m of walkModules(s).reverse()) ctx.callValue(fn, [m]);
      return s;
    }));
  }

  private containerMethod(ip: Interp, obj: InstanceV, name: string): Value | undefined {
    const ch = obj.children!;
    switch (name) {
      case 'append':
        return b('append', (_c, [m]) => {
          ip.structureChanged(obj);
          if (m) ch.set(String(ch.size), m);
          return obj;
        });
      case 'extend':
      case '__iadd__':
        return b(name, (_c, [ms]) => {
          ip.structureChanged(obj);
          for (const m of (ms && ip.iterate(ms)) ?? []) ch.set(String(ch.size), m);
          return obj;
        });
      // ModuleDict.update(mapping / ModuleDict / (key, module) pairs): each set in turn, a key already there keeps its place.
      case 'update':
        if (obj.container !== 'moduledict') return undefined;
        return b('update', (_c, [src]) => {
          if (!src) return NONE;
          const pairs: [Value, Value][] | null = src.k === 'dict'
            ? src.keys.map((k, i): [Value, Value] => [k, src.vals[i]])
            : src.k === 'instance' && src.container === 'moduledict' && src.children
              ? [...src.children.entries()].map(([k, v]): [Value, Value] => [str(k), v])
              : (ip.iterate(src)?.map((kv) => ip.iterate(kv)).filter((kv): kv is Value[] => !!kv && kv.length === 2).map((kv): [Value, Value] => [kv[0], kv[1]]) ?? null);
          if (!pairs) return unknown('ModuleDict.update() of an unknown mapping');
          const keyed = pairs.map(([k, v]) => [ip.toStr(k), v] as const);
          if (keyed.some(([k]) => k === null)) return unknown('ModuleDict.update() with a key not known');
          ip.structureChanged(obj);
          for (const [k, v] of keyed) ch.set(k!, v);
          return NONE;
        });
      case 'clear':
        return b('clear', () => {
          ip.structureChanged(obj);
          ch.clear();
          return NONE;
        });
      case 'insert':
        return b('insert', (_c, [i, m]) => {
          const k = i ? concreteInt(i) : null;
          if (k === null || !m) return NONE;
          ip.structureChanged(obj);
          const vals = [...ch.values()];
          vals.splice(k < 0 ? vals.length + k : k, 0, m);
          numberChildren(ch, vals);
          return NONE;
        });
      case '__delitem__':
      case 'pop':
        return b(name, (_c, [k]) => {
          // ModuleDict by key; Sequential / ModuleList by index or slice.
          const keys = [...ch.keys()];
          const picked = obj.container === 'moduledict' ? (k ? [ip.toStr(k)] : [null])
            : k?.k === 'slice' ? sliceIndices(keys.length, k)?.map((i) => keys[i]) ?? [null]
            : (() => {
              const i = k ? concreteInt(k) : name === 'pop' ? -1 : null;
              return [i === null ? null : keys[i < 0 ? keys.length + i : i] ?? null];
            })();
          if (picked.some((x) => x === null)) return unknown(`${name} at a position not known`);
          ip.structureChanged(obj);
          const removed = picked.map((key) => ch.get(key!)!);
          for (const key of picked) ch.delete(key!);
          // torch 1.13 numbers a Sequential's modules again too (`del seq[1]`: '0', '2' become '0', '1', names included).
          if (obj.container !== 'moduledict') numberChildren(ch, [...ch.values()]);
          return name === 'pop' ? removed[0] ?? unknown('pop') : NONE;
        });
      case '__iter__':
        return b('__iter__', () => list(obj.container === 'moduledict' ? [...ch.keys()].map((k) => str(k)) : [...ch.values()]));
      case 'keys':
        return b('keys', () => list([...ch.keys()].map((k) => str(k))));
      case 'values':
        return b('values', () => list([...ch.values()]));
      case 'items':
        return b('items', () => list([...ch.entries()].map(([k, v]) => tuple([str(k), v]))));
      case '__setitem__':
        return b('__setitem__', (_c, [k, v]) => {
          const key = obj.container === 'moduledict' ? ip.toStr(k) : (() => {
            const i = concreteInt(k);
            return i === null ? null : [...ch.keys()][i < 0 ? ch.size + i : i] ?? null;
          })();
          if (key !== null && v) {
            ip.structureChanged(obj);
            ch.set(key, v);
          }
          return NONE;
        });
      default:
        return undefined;
    }
  }

  // ------------------------------------------------------------ parameters

  /**
   * Parameter tensors of a module tree in `named_parameters()` order: a layer's named weights
   * (or one tensor for all of them) and own nn.Parameters. `withPaths` false leaves out the
   * module prefixes (`parameters()` shows no names).
   */
  private paramRefs(root: InstanceV, withPaths = true): Array<{ path: string; value: TensorV }> {
    const out: Array<{ path: string; value: TensorV }> = [];
    const paths = withPaths ? modulePaths(root) : undefined;
    const modules = walkModules(root);
    for (const m of modules) {
      const prefix = paths?.get(m.id) ? `${paths.get(m.id)}.` : '';
      if (m.layer) {
        const shapes = layerParamShapes(m);
        if (shapes) for (const [n, shape] of Object.entries(shapes)) out.push({ path: `${prefix}${n}`, value: layerParamTensor(m, n, shape) });
        else {
          const pc = this.paramCount(m, false);
          if (pc.total) out.push({ path: `${prefix}weight`, value: { ...tensor(null), param: { count: pc.total, trainable: !m.frozen, layerOwner: m } } });
        }
      }
      for (const own of m.ownParams ?? []) {
        // A layer's parameter registered here too is yielded once, under its layer, when that is in the tree.
        if (own.alias?.layerOwner && modules.includes(own.alias.layerOwner)) continue;
        const v = m.attrs.get(own.name);
        if (v && v.k === 'tensor' && v.param) out.push({ path: `${prefix}${own.name}`, value: v });
      }
    }
    return out;
  }

  /**
   * Works out, ahead of need, what is kept per layer record (its parameter count and shapes)
   * for every module reachable from `roots`: a run prepared while the user pauses does it
   * then, so that the next analysis finds it done. Only pure functions of the records'
   * arguments are computed; nothing visible changes.
   */
  warmLayerFacts(roots: Iterable<Value>): void {
    for (const v of roots) {
      if (!isModule(v)) continue;
      for (const m of walkModules(v as InstanceV)) {
        if (!m.layer) continue;
        this.paramCount(m, false);
        layerParamShapes(m);
      }
    }
  }

  /**
   * The size of a layer's parameters tied to a parameter of another module among `modules`
   * (weight tying): model.parameters() yields a shared tensor once, under its owner.
   */
  tiedCount(inst: InstanceV, modules: readonly InstanceV[]): number {
    let n = 0;
    for (const own of inst.ownParams ?? []) {
      if (own.alias?.layerOwner && own.trainable && own.count !== null && !inst.frozen && modules.includes(own.alias.layerOwner)) n += own.count;
    }
    if (!inst.tiedParams || inst.frozen) return n;
    for (const [name, p] of inst.tiedParams) {
      if (!p.layerOwner || !modules.includes(p.layerOwner)) continue;
      const shape = layerParamShapes(inst)?.[name];
      const c = shape ? prodDims(shape) : 0;
      if (typeof c === 'number') n += c;
    }
    return n;
  }

  /** Parameters owned by one module (not its children): layer weights plus own nn.Parameters. */
  paramCount(inst: InstanceV, includeOwn = true): { total: number | null; trainable: number | null; nonTrainable: number } {
    let trainable: number | null = 0;
    let nonTrainable = 0;
    if (inst.layer) {
      const known = layerFacts(inst.layer);
      let pc = known.count;
      if (!pc) {
        try {
          pc = inst.layer.spec.params(new LayerArgs(inst.layer.weightArgs ?? inst.layer.args, inst.layer.spec.name));
        } catch {
          pc = { trainable: null, nonTrainable: 0 };
        }
        known.count = pc;
      }
      if (pc.trainable === null) trainable = null;
      else if (inst.frozen) nonTrainable += pc.trainable;
      else {
        let frozenPart = 0;
        if (inst.frozenParams?.size) {
          const shapes = layerParamShapes(inst) ?? {};
          for (const n of inst.frozenParams) {
            const c = shapes[n] ? prodDims(shapes[n]) : 0;
            if (typeof c === 'number') frozenPart += c;
          }
        }
        trainable = pc.trainable - frozenPart;
        nonTrainable += frozenPart;
      }
      nonTrainable += pc.nonTrainable;
    }
    if (includeOwn) {
      for (const p of inst.ownParams ?? []) {
        if (p.count === null) trainable = null;
        else if (p.trainable && !inst.frozen) trainable = trainable === null ? null : trainable + p.count;
        else nonTrainable += p.count;
      }
    }
    return { total: trainable === null ? null : trainable + nonTrainable, trainable, nonTrainable };
  }
}

function setParamTrainable(p: ParamRef, on: boolean): void {
  p.trainable = on;
  if (p.layerOwner) {
    if (p.name) {
      p.layerOwner.frozenParams ??= new Set();
      if (on) p.layerOwner.frozenParams.delete(p.name);
      else p.layerOwner.frozenParams.add(p.name);
    } else p.layerOwner.frozen = !on;
  }
  if (p.owner && p.name) {
    const own = p.owner.ownParams?.find((q) => q.name === p.name);
    if (own) own.trainable = on;
  }
}

function setModuleTrainable(m: InstanceV, on: boolean): void {
  if (m.layer) {
    m.frozen = !on;
    m.frozenParams?.clear();
  }
  for (const p of m.ownParams ?? []) p.trainable = on;
}

/** A ModuleList's children after an insert or a removal: `vals` under the keys 0, 1, 2, ... as torch numbers them. */
function numberChildren(ch: Map<string, Value>, vals: readonly Value[]): void {
  ch.clear();
  vals.forEach((v, j) => ch.set(String(j), v));
}

export function isModule(v: Value): boolean {
  return v.k === 'instance' && v.cls.family === 'torch' && !!v.children;
}

export function isLeafModule(inst: InstanceV): boolean {
  if (!inst.children) return true;
  for (const c of inst.children.values()) if (isModule(c)) return false;
  return true;
}

function moduleType(inst: InstanceV): string {
  return inst.cls.name;
}

/** Every module in the tree, depth-first pre-order, each once (as `modules()` yields them). */
export function walkModules(root: InstanceV): InstanceV[] {
  const out: InstanceV[] = [];
  const seen = new Set<number>();
  const visit = (m: InstanceV, depth: number) => {
    if (seen.has(m.id) || depth > 200) return;
    seen.add(m.id);
    out.push(m);
    for (const c of m.children?.values() ?? []) if (isModule(c)) visit(c as InstanceV, depth + 1);
  };
  visit(root, 0);
  return out;
}

/**
 * What a forward pass of `root` can read of its module tree, by identity: every module, its
 * attributes and children (with the length of list and dict values), its layer record (and
 * so its arguments), and the attributes of the modules' classes.
 * Two stamps that differ in any element mean a second pass might not repeat the first.
 */
function treeStamp(root: InstanceV): unknown[] {
  const out: unknown[] = [];
  stampTree(root, (x) => {
    out.push(x);
    return true;
  });
  return out;
}

/** Whether `root`'s stamp now equals `stamp`: compared as it is made, stopping at the first difference. */
export function stampMatches(root: InstanceV, stamp: readonly unknown[]): boolean {
  let i = 0;
  return stampTree(root, (x) => i < stamp.length && x === stamp[i++]) && i === stamp.length;
}

/** Feeds treeStamp's elements in order to `put`; stops (false) when `put` returns false. */
function stampTree(root: InstanceV, put: (x: unknown) => boolean): boolean {
  const classes = new Set<ClassV>();
  for (const m of walkModules(root)) {
    if (!put(m) || !put(m.attrs.size) || !put(m.children?.size)) return false;
    for (const [k, v] of m.attrs) if (!put(k) || !put(v) || !put(itemCount(v))) return false;
    for (const [k, v] of m.children ?? []) if (!put(k) || !put(v) || !put(itemCount(v))) return false;
    // A layer's arguments are bound once into a map nothing changes afterwards; running its
    // __init__ again makes a new layer record. The record's identity stands for them.
    if (!put(m.layer)) return false;
    classes.add(m.cls);
  }
  // Class attributes the forward pass reads through `self` (a method, `self.scale` set on the class).
  for (const c of classes) {
    if (!put(c) || !put(c.attrs.size)) return false;
    for (const [k, v] of c.attrs) if (!put(k) || !put(v)) return false;
  }
  return true;
}

function itemCount(v: Value): number | undefined {
  return v.k === 'list' || v.k === 'tuple' ? v.items.length : v.k === 'dict' ? v.keys.length : undefined;
}

/** `named_modules()` paths by instance id: a module shared in two places keeps its first name. */
export function modulePaths(root: InstanceV): Map<number, string> {
  const paths = new Map<number, string>();
  const visit = (m: InstanceV, prefix: string, depth: number) => {
    if (paths.has(m.id) || depth > 200) return;
    paths.set(m.id, prefix);
    for (const [k, c] of m.children ?? []) if (isModule(c)) visit(c as InstanceV, prefix ? `${prefix}.${k}` : k, depth + 1);
  };
  visit(root, '', 0);
  return paths;
}

function canonicalDtype(dt: string): string {
  const map: Record<string, string> = { float: 'float32', double: 'float64', half: 'float16', long: 'int64', int: 'int32' };
  return map[dt] ?? dt;
}

function newParam(t: TensorV | undefined, trainable: boolean): TensorV {
  const count = t && t.shape ? prodDims(t.shape) : null;
  return { ...(t ?? tensor(null)), param: { count: typeof count === 'number' ? count : null, trainable } };
}

type LayerRecord = NonNullable<InstanceV['layer']>;
type ParamShapes = Record<string, import('../../shapes/dim').Dim[]>;

/** What is worked out once per layer record (LayerInfo.facts): a field, not a WeakMap, as it is read on every recorded layer call. */
function layerFacts(layer: LayerRecord): NonNullable<LayerRecord['facts']> {
  return (layer.facts ??= {});
}

/** Keyword names of a leaf layer's tensor inputs, by position (`fc(input=x)`, `mha(q, key=k, value=v)`, `lstm(x, hx=h)`). */
const INPUT_KEYWORDS: ReadonlyArray<readonly string[]> = [['input', 'query', 'input1'], ['key', 'input2', 'hx', 'target'], ['value']];

/** A leaf layer's inputs given by keyword, moved to their positions (the layer specs read inputs by position). */
function positionalInputs(args: Value[], kwargs: Map<string, Value>): { args: Value[]; kwargs: Map<string, Value> } {
  if (!kwargs.size) return { args, kwargs };
  let outArgs = args;
  let outKw = kwargs;
  for (let pos = args.length; pos < INPUT_KEYWORDS.length; pos++) {
    const name = INPUT_KEYWORDS[pos].find((n) => outKw.has(n));
    if (!name) break;
    if (outKw === kwargs) {
      outArgs = [...args];
      outKw = new Map(kwargs);
    }
    outArgs.push(outKw.get(name)!);
    outKw.delete(name);
  }
  return { args: outArgs, kwargs: outKw };
}

/** A copy of a collated batch (containers and tensors new, the rest shared): what the next batch of a loader is (data.ts). */
function freshBatch(v: Value): Value {
  switch (v.k) {
    case 'tensor': {
      const copy: TensorV = { ...v };
      const values = TENSOR_VALUES.get(v);
      if (values) TENSOR_VALUES.set(copy, values);
      return copy;
    }
    case 'tuple': return tuple(v.items.map(freshBatch));
    case 'list': return list(v.items.map(freshBatch));
    case 'dict': return { ...v, keys: [...v.keys], vals: v.vals.map(freshBatch) };
    default: return v;
  }
}

/** Submodules of torch.nn.utils (`from torch.nn.utils import parametrizations`): their functions are looked up under them. */
const NN_UTIL_MODULES = new Set(['parametrizations', 'parametrize', 'rnn', 'prune', 'fusion', 'stateless', 'clip_grad', 'convert_parameters']);

/** torch.nn.utils functions that return the module they were given (after reparametrising it). */
const MODULE_WRAPPERS = new Set(['weight_norm', 'spectral_norm', 'remove_weight_norm', 'remove_spectral_norm', 'register_parametrization', 'remove_parametrizations', 'orthogonal']);

/** A layer's parameter shapes by name (once per layer record). Callers do not change the record or its shapes. */
function layerParamShapes(inst: InstanceV): ParamShapes | undefined {
  const layer = inst.layer;
  if (!layer?.spec.paramShapes) return undefined;
  const known = layerFacts(layer);
  if (known.shapes) return known.shapes.of;
  let shapes: ParamShapes | undefined;
  try {
    shapes = layer.spec.paramShapes(new LayerArgs(layer.weightArgs ?? layer.args, layer.spec.name));
  } catch {
    shapes = undefined;
  }
  known.shapes = { of: shapes };
  return shapes;
}

/**
 * The layer arguments under which parameter `name` has shape `target` (a tied parameter of
 * another shape): every differing dim is the value of one integer argument, set to the new
 * size; the one assignment the layer's own shape rule confirms, else undefined.
 */
function refitArgs(layer: LayerRecord, name: string, target: Dim[]): Map<string, Value> | undefined {
  const base = layer.weightArgs ?? layer.args;
  const shapeOf = (args: Map<string, Value>): Dim[] | undefined => {
    try {
      return layer.spec.paramShapes?.(new LayerArgs(args, layer.spec.name))[name];
    } catch {
      return undefined;
    }
  };
  const own = shapeOf(base);
  if (!own || own.length !== target.length || own.every((d, i) => d === target[i])) return undefined;
  let candidates = [base];
  for (let i = 0; i < own.length; i++) {
    const from = own[i];
    const to = target[i];
    if (from === to) continue;
    if (typeof from !== 'number' || typeof to !== 'number') return undefined;
    const keys = [...base].filter(([, v]) => v.k === 'int' && v.v === from).map(([k]) => k);
    candidates = candidates.flatMap((c) => keys.map((k) => new Map(c).set(k, int(to))));
    if (!candidates.length || candidates.length > 16) return undefined;
  }
  const fits = candidates.filter((c) => {
    const s = shapeOf(c);
    return !!s && s.length === target.length && s.every((d, i) => d === target[i]);
  });
  return fits.length === 1 ? fits[0] : undefined;
}

/** `layer.weight` / `layer.bias`: a tensor of the parameter's shape that remembers where it lives. */
function layerParamTensor(inst: InstanceV, name: string, shape: import('../../shapes/dim').Dim[]): TensorV {
  const c = prodDims(shape);
  const frozen = !!inst.frozen || !!inst.frozenParams?.has(name);
  return { k: 'tensor', shape, dtype: 'float32', param: { count: typeof c === 'number' ? c : null, trainable: !frozen, layerOwner: inst, name } };
}

/** Attributes of parameter tensors that differ from plain tensors. */
function paramAttr(t: TensorV, p: ParamRef, name: string): Value | undefined {
  switch (name) {
    case 'requires_grad':
      return bool(p.trainable);
    case 'numel':
      return b('numel', () => (p.count === null ? unknown('numel of a parameter of unknown size') : int(p.count)));
    case 'requires_grad_':
      return b('requires_grad_', (_c, [flag]) => {
        setParamTrainable(p, !flag || flag.k !== 'bool' || flag.v);
        return t;
      });
    case 'data':
    case 'detach':
      return name === 'data' ? t : b('detach', () => t);
    default:
      return undefined;
  }
}

/** `(1, 3, 224, 224)` or `[(1, 3, 32, 32), (1, 10)]` as float tensors, with `prefix` dims prepended. */
function shapesArg(v: Value, prefix: Value[]): TensorV[] | null {
  if (v.k !== 'tuple' && v.k !== 'list') return null;
  const groups = v.items.length > 0 && v.items.every((x) => x.k === 'tuple' || x.k === 'list') ? v.items : [v];
  const out: TensorV[] = [];
  for (const g of groups) {
    const items = [...prefix, ...(g as { items: Value[] }).items];
    if (!items.every((x) => x.k === 'int')) return null;
    out.push(tensor(items.map((x) => (x as { v: import('../../shapes/dim').Dim }).v)));
  }
  return out;
}

function tensorsArg(ip: Interp, v: Value): TensorV[] | null {
  if (v.k === 'tensor') return [v];
  const items = ip.iterate(v);
  return items && items.every((x) => x.k === 'tensor') ? (items as TensorV[]) : null;
}

const BINOP_NAMES: Record<string, string> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '@': 'matmul', '//': 'floordiv', '**': 'pow' };

/** Distinct provenance ids of the tensors inside values (lists and tuples included). */
export function flowSources(vals: Value[]): string[] {
  const out: string[] = [];
  const visit = (v: Value, depth: number) => {
    if (depth > 8) return;
    if (v.k === 'tensor') {
      if (v.flow && !out.includes(v.flow)) out.push(v.flow);
    } else if (v.k === 'list' || v.k === 'tuple') v.items.forEach((x) => visit(x, depth + 1));
  };
  vals.forEach((v) => visit(v, 0));
  return out;
}

/** The same value with every tensor in it marked as coming from graph node `id`. */
export function tagFlow(v: Value, id: string): Value {
  if (v.k === 'tensor') {
    const t = { ...v, flow: id };
    // The same tensor, so the same known values (TENSOR_VALUES is by object).
    const values = TENSOR_VALUES.get(v);
    if (values) TENSOR_VALUES.set(t, values);
    return t;
  }
  if (v.k === 'tuple' || v.k === 'list') {
    const items = v.items.map((x) => tagFlow(x, id));
    // Nothing to tag (a torch.Size, a list of numbers): the same object, which keeps what is known of it.
    return items.every((x, i) => x === v.items[i]) ? v : { ...v, items };
  }
  return v;
}

/** torch.finfo of the float dtypes (torch 1.13). */
const FINFO: Record<string, Record<string, number>> = {
  float32: { bits: 32, eps: 1.1920928955078125e-7, max: 3.4028234663852886e38, min: -3.4028234663852886e38, tiny: 1.1754943508222875e-38, resolution: 1e-6 },
  float64: { bits: 64, eps: 2.220446049250313e-16, max: 1.7976931348623157e308, min: -1.7976931348623157e308, tiny: 2.2250738585072014e-308, resolution: 1e-15 },
  float16: { bits: 16, eps: 0.0009765625, max: 65504, min: -65504, tiny: 6.103515625e-5, resolution: 0.001 },
  bfloat16: { bits: 16, eps: 0.0078125, max: 3.3895313892515355e38, min: -3.3895313892515355e38, tiny: 1.1754943508222875e-38, resolution: 0.01 },
};

/** torch.iinfo of the integer dtypes. */
const IINFO: Record<string, Record<string, number>> = {
  int64: { bits: 64, max: 2 ** 63 - 1, min: -(2 ** 63) },
  int32: { bits: 32, max: 2147483647, min: -2147483648 },
  int16: { bits: 16, max: 32767, min: -32768 },
  int8: { bits: 8, max: 127, min: -128 },
  uint8: { bits: 8, max: 255, min: 0 },
};

/**
 * torch.nn.init.*: the initialisers fill their tensor in place and return it
 * (`nn.Parameter(nn.init.xavier_normal_(torch.empty(8, 8)))`); the fan helper gives
 * (fan_in, fan_out) from the shape, as a layer's reset_parameters reads it.
 */
function initFunction(name: string): BuiltinV {
  if (name === '_calculate_fan_in_and_fan_out') {
    return b(name, (_ctx, [t]) => {
      const shape = t?.k === 'tensor' ? t.shape : null;
      if (!shape || shape.length < 2) return unknown(`${name} of a tensor of unknown shape`);
      const field = prodDims(shape.slice(2));
      return tuple([int(mulDims(shape[1], field)), int(mulDims(shape[0], field))]);
    });
  }
  if (name === 'calculate_gain') return b(name, () => unknown('init gain'));
  return b(name, (_ctx, [t]) => (t?.k === 'tensor' ? t : NONE));
}

/** The train / eval mode of every module of the tree, as one string (`self.training` of each). */
export function modesOf(root: InstanceV): string {
  return walkModules(root).map((m) => (m.extra?.training === false ? 'e' : 't')).join('');
}

/** The values of a lengths argument (a list of ints, a constant tensor), or null. */
function knownLengths(ip: Interp, v: Value): number[] | null {
  if (v.k === 'tensor') {
    const vals = TENSOR_VALUES.get(v);
    return vals && v.shape?.length === 1 ? [...vals] : null;
  }
  const items = ip.iterate(v);
  if (!items) return null;
  const out = items.map((x) => concreteInt(x));
  return out.every((n): n is number => n !== null) ? out : null;
}

/** A PackedSequence of sequences with `features` (TensorV.packed): sum(lengths) rows when the lengths are known. */
function packedOf(features: Dim[], dtype: string, batch: Dim, lengths: number[] | null): TensorV {
  if (!lengths || lengths.length === 0) return { ...tensor([UNKNOWN_DIM, ...features], dtype), packed: { batch } };
  const rows = lengths.reduce((s, n) => s + n, 0);
  return { ...tensor([rows, ...features], dtype), packed: { batch, steps: Math.max(...lengths), lengths } };
}

/** An index that is a tensor, or a slice with a tensor bound. */
function hasTensorIndex(index: Value): boolean {
  if (index.k === 'tensor') return true;
  return index.k === 'slice' && (index.start.k === 'tensor' || index.stop.k === 'tensor' || index.step.k === 'tensor');
}
