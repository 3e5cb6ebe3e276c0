// Keras (2/3 and tf.keras) semantics for the interpreter: layers built lazily on
// their first input, names assigned as Keras does (`conv2d`, `conv2d_1`...), the
// three model styles (Sequential, functional graphs, subclassed Model / Layer with
// build() and add_weight()), freezing with `trainable`, and the functional graph
// ordering of `model.layers` (Keras' own map_graph: by depth, then discovery order).

import type { Node } from '../../python/ast';
import { type CallSite, type Interp, type Runtime, type TensorOpEvent, concreteInt } from '../../eval/interp';
import {
  type BuiltinV, type CallCtx, type ClassV, type DictV, type FuncV, type InstanceV, type TensorV, type Value,
  NONE, bool, int, isStarUnknown, list, str, tensor, tuple, unknown,
} from '../../eval/values';
import { LayerArgs, ShapeError, bindArgs, type LayerSpec, type ParamCount } from '../spec';
import { KERAS_LAYERS } from './layers/index';
import { GRUCell_V1, GRU_V1, PeepholeLSTMCell, builtinCellStates, mergeDirections } from './layers/rnn';
import { lookupVocabulary } from './layers/preprocessing';
import { KerasNameCounter, kerasAutoName } from './naming';
import { KERAS_OPS } from './ops';
import { opBuiltin } from '../torch/runtime';
import { Registry, type RegistryFactories } from '../../eval/registry';
import { type Dim, type Shape, UNKNOWN_DIM, prodDims, sym } from '../../shapes/dim';

export const NONE_BATCH = sym('None');

/** One call of a layer on symbolic tensors: a node of the functional graph. */
export interface GraphNode {
  id: number;
  layer: InstanceV;
  args: Value[];
  kwargs: Map<string, Value>;
  output: Value;
  /** Tensors this node consumed (positional, nested, and tensor kwargs). */
  inputs: TensorV[];
}

/**
 * A node's arguments as they were at the call: lists, tuples and dicts copied, since the
 * Python list a layer was called on may grow afterwards (`feats.append(y)` after
 * `Concatenate()(feats)`), and a replay must not see the later items (a cycle).
 */
function callArgs(args: Value[], kwargs: Map<string, Value>): { args: Value[]; kwargs: Map<string, Value> } {
  const copy = (v: Value): Value => v.k === 'list' ? { ...v, items: v.items.map(copy) }
    : v.k === 'tuple' ? { k: 'tuple', items: v.items.map(copy) }
    : v.k === 'dict' && !v.cls ? { ...v, keys: [...v.keys], vals: v.vals.map(copy) } : v;
  return { args: args.map(copy), kwargs: new Map([...kwargs].map(([k, v]) => [k, copy(v)] as const)) };
}

/** The inputs of Keras's attention layers, in the order of their call signature. */
const ATTENTION_INPUTS = ['query', 'value', 'key'];

export interface KerasState {
  name: string;
  kind: 'layer' | 'sequential' | 'functional' | 'subclassed';
  built: boolean;
  params?: ParamCount;
  weights: Array<{ name: string; count: number | null; trainable: boolean }>;
  /** Sub-layers tracked through attribute assignment, in order (read it through trackedLayers). */
  tracked: InstanceV[];
  /** Lists and dicts assigned to attributes: Keras tracks the layers put in them later too (`self.blocks.append(...)`). */
  containers?: Value[];
  trainable: boolean;
  /** Sequential: its layers. */
  layers?: InstanceV[];
  /** Sequential: where something that is not a known Keras layer was added (the layers from there on see an unknown input). */
  opaqueAt?: { index: number; why: string };
  /** Declared input shapes (keras.Input in a Sequential, input_shape=, build()). */
  inputShapes?: Shape[];
  inputSource?: 'keras-input' | 'input-shape-arg' | 'build-call' | 'example-call';
  /** Functional: graph inputs, outputs and the ordered layer list. */
  graph?: { inputs: TensorV[]; outputs: Value; layers: InstanceV[]; nodes: GraphNode[]; site?: CallSite };
  /** The first call on graph tensors: what `layer.input` and `layer.output` give (`Model(base.input, base.get_layer("x").output)`). */
  firstCall?: { input: Value; output: Value };
  /** Model-level example inputs (model(x), fit(x), predict(x)). */
  exampleInputs?: Value[];
  /** The keys of the dict a subclassed model was first called on (its inputs are that dict's values, in order). */
  inputKeys?: Value[];
  /** A subclassed model first called on several positional inputs (`dec(tokens, state)`): its call() takes them as separate arguments, not one list. */
  inputsSpread?: boolean;
  /**
   * A weightless operation node of a functional graph (`x + 1`, `keras.ops.relu6(x)`,
   * `tf.nn.relu6(x)`): how to apply it again to new inputs, and whether Keras 3 lists it
   * in `model.layers` (TFOpLambda layers are layers; Keras 3 operations are not).
   */
  op?: { rerun: TensorOpEvent['rerun']; isLayer: boolean };
  /** A subclassed layer's call() returned a value (not Unknown): its sub-layers never called in it stay unbuilt. */
  callRan?: boolean;
  /** `layer.build(shape)` was called on it directly (so it may have weights without a call). */
  buildCalled?: boolean;
}

const b = (name: string, call: BuiltinV['call']): BuiltinV => ({ k: 'builtin', name, call });

/**
 * Keras 3 layers that create unnamed helper layers, which take names from the same global
 * counters as the user's layers. In build() (so on the first call): MultiHeadAttention and
 * GroupedQueryAttention make a Softmax then a Dropout (keras/src/layers/attention/*.py) - a Keras 3
 * summary shows `multi_head_attention` then `dropout_1`, `multi_head_attention_1` then
 * `dropout_4` when each block adds two Dropouts of its own. tf.keras 2 builds them under
 * another graph's name scope: its summaries keep `dropout` after the first attention layer
 * (keras.io timeseries_classification_transformer). In __init__: TextVectorization's StringLookup.
 */
const KERAS3_BUILD_HELPERS: Record<string, string[]> = {
  MultiHeadAttention: ['Softmax', 'Dropout'],
  GroupedQueryAttention: ['Softmax', 'Dropout'],
};
const KERAS3_INIT_HELPERS: Record<string, string[]> = {
  TextVectorization: ['StringLookup'],
};

/**
 * A Keras shape tuple / list as dims (`None` and other non-ints are the None dim); null for
 * anything else, or when a starred unknown inside (`(*image_size, 3)`) leaves its length unknown.
 */
function kerasShape(v: Value): Dim[] | null {
  if (v.k !== 'tuple' && v.k !== 'list') return null;
  return v.items.some(isStarUnknown) ? null : v.items.map((x) => (x.k === 'int' ? x.v : NONE_BATCH));
}

/** Classes under keras.layers that are not layers one calls on tensors. */
const NOT_LAYER_CLASSES = new Set(['InputSpec', 'Input', 'TFSMLayer']);

/** The spec of a keras.layers class the catalogue does not model: any arguments, weights and output not known. */
function unmodelledLayer(name: string): LayerSpec {
  return {
    framework: 'keras',
    name,
    signature: [{ name: 'args', star: '*' }, { name: 'kwargs', star: '**' }],
    doc: `keras.layers.${name} (not modelled: its output shape and weights are not known).`,
    params: () => ({ trainable: null, nonTrainable: 0 }),
    forward: () => unknown(`keras.layers.${name} is not modelled`),
  };
}

/** Keras' second names for layer classes: the same class object under another name. */
const KERAS_LAYER_ALIASES: Record<string, string> = {
  MaxPool1D: 'MaxPooling1D', MaxPool2D: 'MaxPooling2D', MaxPool3D: 'MaxPooling3D',
  AvgPool1D: 'AveragePooling1D', AvgPool2D: 'AveragePooling2D', AvgPool3D: 'AveragePooling3D',
  GlobalMaxPool1D: 'GlobalMaxPooling1D', GlobalMaxPool2D: 'GlobalMaxPooling2D', GlobalMaxPool3D: 'GlobalMaxPooling3D',
  GlobalAvgPool1D: 'GlobalAveragePooling1D', GlobalAvgPool2D: 'GlobalAveragePooling2D', GlobalAvgPool3D: 'GlobalAveragePooling3D',
  Convolution1D: 'Conv1D', Convolution2D: 'Conv2D', Convolution3D: 'Conv3D',
  Convolution2DTranspose: 'Conv2DTranspose', Convolution3DTranspose: 'Conv3DTranspose',
  SeparableConvolution1D: 'SeparableConv1D', SeparableConvolution2D: 'SeparableConv2D',
  GroupQueryAttention: 'GroupedQueryAttention',
};

export interface KerasRecorder {
  outputs: Map<number, Value>;
}

/** Built-in layer classes and keras.ops: made per analysis on first lookup (registry.ts). */
const KERAS_FACTORIES: RegistryFactories<KerasRuntime> = new Map<string, (rt: KerasRuntime) => Value>([
  ...KERAS_LAYERS.map((spec) => [`keras.layers.${spec.name}`, (rt: KerasRuntime) => rt.specClass(spec)] as const),
  // Other names of the same classes (`layers.MaxPool2D is layers.MaxPooling2D`).
  ...Object.entries(KERAS_LAYER_ALIASES).map(([alias, name]) => [`keras.layers.${alias}`, (rt: KerasRuntime) => rt.registry.get(`keras.layers.${name}`)!] as const),
  ...[...KERAS_OPS].map(([path, op]) => [path, () => opBuiltin(op)] as const),
  // tf.keras 2's experimental cell, outside keras.layers.
  ['keras.experimental.PeepholeLSTMCell', (rt: KerasRuntime) => rt.specClass(PeepholeLSTMCell)],
]);

export class KerasRuntime implements Runtime {
  readonly registry = new Registry<KerasRuntime>(this, KERAS_FACTORIES);
  readonly names = new KerasNameCounter();
  readonly layerBase: ClassV;
  readonly modelBase: ClassV;
  readonly sequentialClass: ClassV;
  /** keras.layers.Wrapper: a layer holding another as `self.layer` (weight norm, DropConnect wrappers). */
  readonly wrapperBase: ClassV;
  recorder: KerasRecorder | undefined;

  recording(): boolean {
    return this.recorder !== undefined;
  }
  /** keras.backend / keras.config set_image_data_format: the data_format of layers built after it that give none. */
  imageDataFormat: 'channels_last' | 'channels_first' = 'channels_last';
  private nodeId = 1;
  private inputId = 1;
  /** Depth of layer calls being run: operations inside a layer's call() are not graph nodes. */
  private layerCallDepth = 0;
  /** Classes of the operation nodes, one per operation type. */
  private readonly opClasses = new Map<string, ClassV>();
  /** Keras model objects created at module level or inside functions, in creation order. */
  readonly models: InstanceV[] = [];

  constructor() {
    this.layerBase = { k: 'class', name: 'Layer', qualname: 'keras.layers.Layer', bases: [], attrs: new Map(), family: 'keras' };
    this.modelBase = { k: 'class', name: 'Model', qualname: 'keras.Model', bases: [this.layerBase], attrs: new Map(), family: 'keras' };
    this.sequentialClass = { k: 'class', name: 'Sequential', qualname: 'keras.Sequential', bases: [this.modelBase], attrs: new Map(), family: 'keras' };
    this.wrapperBase = { k: 'class', name: 'Wrapper', qualname: 'keras.layers.Wrapper', bases: [this.layerBase], attrs: new Map(), family: 'keras' };
    const reg = this.registry;
    for (const path of ['keras.layers.Wrapper', 'keras.layers.wrappers.Wrapper']) reg.set(path, this.wrapperBase);
    // PreprocessingLayer (tf.keras.layers.experimental.preprocessing): a base class to subclass, as Layer.
    for (const path of ['keras.layers.Layer', 'keras.layers.layer.Layer', 'keras.engine.base_layer.Layer', 'keras.layers.PreprocessingLayer']) reg.set(path, this.layerBase);
    for (const path of ['keras.Model', 'keras.models.Model', 'keras.engine.training.Model']) reg.set(path, this.modelBase);
    for (const path of ['keras.Sequential', 'keras.models.Sequential']) reg.set(path, this.sequentialClass);
    const input = b('Input', (ctx, args, kwargs) => {
      const a = bindArgs([{ name: 'shape', default: null }, { name: 'batch_size', default: null }, { name: 'name', default: null }, { name: 'dtype', default: null }, { name: 'sparse', default: null }, { name: 'batch_shape', default: null }, { name: 'tensor', default: null }], args, kwargs);
      const shape = a.get('shape')!;
      const batchShape = a.get('batch_shape')!;
      const dims = (v: Value): Dim[] | null => (v.k === 'int' ? [v.v] : kerasShape(v));
      let full: Dim[] | null;
      if (batchShape.k !== 'none') full = dims(batchShape);
      else {
        const d = dims(shape);
        const bs = a.get('batch_size')!;
        full = d ? [bs.k === 'int' ? bs.v : NONE_BATCH, ...d] : null;
      }
      const dt = a.get('dtype')!;
      const t: TensorV = tensor(full, dt.k === 'str' ? dt.v : 'float32');
      t.origin = { input: this.inputId++, name: a.get('name')!.k === 'str' ? (a.get('name') as { v: string }).v : undefined };
      void ctx;
      return t;
    });
    for (const path of ['keras.Input', 'keras.layers.Input', 'keras.input']) reg.set(path, input);
    for (const mod of ['keras.backend', 'keras.config']) {
      reg.set(`${mod}.set_image_data_format`, b('set_image_data_format', (_ctx, [fmt], kwargs) => {
        const v = fmt ?? kwargs.get('data_format');
        if (v?.k === 'str' && (v.v === 'channels_first' || v.v === 'channels_last')) this.imageDataFormat = v.v;
        return NONE;
      }));
      reg.set(`${mod}.image_data_format`, b('image_data_format', () => str(this.imageDataFormat)));
    }
    reg.set('keras.backend.epsilon', b('epsilon', () => ({ k: 'float', v: 1e-7 })));
    reg.set('keras.backend.floatx', b('floatx', () => str('float32')));
    // keras.version(): the Keras the file is written for (tf.keras of TensorFlow 2, or Keras 3);
    // the keras.applications stubs read it where the two build different graph nodes.
    reg.set('keras.version', b('version', () => str(this.names.legacy ? '2.15.0' : '3.6.0')));
    for (const n of ['clear_session', 'set_floatx', 'set_epsilon', 'set_learning_phase']) reg.set(`keras.backend.${n}`, b(n, () => NONE));
    // keras.activations.get("relu") / deserialize("relu"): the activation function of that
    // name (None is linear; a callable is returned as it is).
    for (const n of ['get', 'deserialize']) {
      reg.set(`keras.activations.${n}`, b(n, (_ctx, [id], kwargs) => {
        const v = id ?? kwargs.get('identifier') ?? kwargs.get('config') ?? NONE;
        if (v.k === 'none') return reg.get('keras.activations.linear') ?? unknown('keras.activations.linear');
        if (v.k === 'str') return reg.get(`keras.activations.${v.v}`) ?? unknown(`keras.activations.${v.v} is not modelled`);
        if (v.k === 'dict') {
          const i = v.keys.findIndex((k) => k.k === 'str' && k.v === 'class_name');
          const name = i >= 0 ? v.vals[i] : undefined;
          return name && name.k === 'str' ? reg.get(`keras.activations.${name.v}`) ?? unknown(`keras.activations.${name.v}`) : unknown('activation config');
        }
        return v;
      }));
    }
    reg.set('keras.activations.serialize', b('serialize', (_ctx, [f]) => (f && (f.k === 'builtin') ? str(f.name.slice(f.name.lastIndexOf('.') + 1)) : unknown('serialize'))));
    // InputLayer(shape) (Keras 3) / InputLayer(input_shape=..., batch_input_shape=...)
    // (tf.keras 2): in a Sequential it declares the input as keras.Input does.
    const inputLayer = b('InputLayer', (ctx, args, kwargs) => {
      const rest = new Map(kwargs);
      for (const [from, to] of [['input_shape', 'shape'], ['batch_input_shape', 'batch_shape']] as const) {
        const v = rest.get(from);
        if (v === undefined) continue;
        rest.delete(from);
        rest.set(to, v);
      }
      for (const k of ['input_tensor', 'ragged', 'type_spec', 'optional']) rest.delete(k);
      return input.call(ctx, args.slice(0, 2), rest);
    });
    for (const path of ['keras.layers.InputLayer', 'keras.engine.input_layer.InputLayer']) reg.set(path, inputLayer);
    // keras.models.clone_model(model): new layers made from each layer's config (its name
    // included), so the clone summarises like the original; keras.io knowledge distillation
    // makes its `student_scratch` this way. A functional clone replays the same graph.
    reg.set('keras.models.clone_model', b('clone_model', (ctx, [model], kwargs) => {
      const m = model ?? kwargs.get('model');
      if (!m || m.k !== 'instance' || !this.isKeras(m)) return unknown('clone_model of something that is not a Keras model');
      return this.cloneModel(ctx, m);
    }));
    // keras.layers.deserialize({"class_name": "Dense", "config": {...}}) (also
    // keras.saving.deserialize_keras_object): the built-in layer of that class, made from the
    // config's entries as keyword arguments (config-driven builders).
    const deserialize = b('deserialize', (ctx, [cfg], kwargs) => {
      const v = cfg ?? kwargs.get('config');
      if (!v || v.k !== 'dict') return unknown('deserialize of something that is not a layer config dict');
      const entry = (d: Value, key: string): Value | undefined => {
        if (d.k !== 'dict') return undefined;
        const i = d.keys.findIndex((k) => k.k === 'str' && k.v === key);
        return i >= 0 ? d.vals[i] : undefined;
      };
      const name = entry(v, 'class_name');
      const conf = entry(v, 'config') ?? { k: 'dict', keys: [], vals: [] };
      if (!name || name.k !== 'str' || conf.k !== 'dict') return unknown('layer config without a class_name / config');
      const cls = /^[A-Z]\w*$/.test(name.v) ? ctx.interp.resolvePath(`keras.layers.${name.v}`) : undefined;
      if (!cls || cls.k !== 'class') return unknown(`keras.layers.${name.v} is not modelled`);
      const kw = new Map<string, Value>();
      conf.keys.forEach((k, i) => k.k === 'str' && kw.set(k.v, conf.vals[i]));
      return ctx.interp.call(cls, [], kw, ctx.node);
    });
    for (const path of ['keras.layers.deserialize', 'keras.saving.deserialize_keras_object', 'keras.utils.deserialize_keras_object']) reg.set(path, deserialize);
    // Functional forms of the merge layers: layers.concatenate([a, b]) builds and calls a Concatenate.
    for (const [fn, cls] of [['concatenate', 'Concatenate'], ['add', 'Add'], ['subtract', 'Subtract'], ['multiply', 'Multiply'], ['average', 'Average'], ['maximum', 'Maximum'], ['minimum', 'Minimum'], ['dot', 'Dot']] as const) {
      reg.set(`keras.layers.${fn}`, b(fn, (ctx, args, kwargs) => {
        const c = reg.get(`keras.layers.${cls}`) as ClassV;
        const rest = new Map(kwargs);
        const inputs = args[0] ?? rest.get('inputs') ?? unknown('merge without inputs');
        rest.delete('inputs');
        const layer = ctx.callValue(c, args.slice(1), rest);
        return ctx.callValue(layer, [inputs]);
      }));
    }
    this.installControlFlowOps();
    this.installLayerMethods();
    this.installWrapperMethods();
    this.installModelMethods();
  }

  /** The ClassV of a built-in layer (made on first lookup, see KERAS_FACTORIES). */
  specClass(spec: LayerSpec): ClassV {
    const cls: ClassV = { k: 'class', name: spec.name, qualname: `keras.layers.${spec.name}`, bases: [this.layerBase], attrs: new Map(), family: 'keras', spec };
    // Reached through super().__init__(...) from a user subclass of a built-in layer.
    cls.attrs.set('__init__', b('__init__', (_ctx, [self, ...args], kwargs) => {
      if (self.k === 'instance' && this.isKeras(self)) {
        self.layer = { spec, args: this.layerArgs(spec, args, kwargs), node: self.node };
        const st = this.state(self);
        const n = kwargs.get('name');
        if (n && n.k === 'str') st.name = n.v;
        else if (!st.name) st.name = this.names.next(self.cls.name);
        this.readInputShapeKwargs(st, kwargs, self.layer);
      }
      return NONE;
    }));
    // Reached through super().call(...) from a user subclass's call() (a Monte-Carlo Dropout).
    cls.attrs.set('call', b('call', (ctx, [self, ...args], kwargs) => {
      if (self.k !== 'instance' || !self.layer || !this.isKeras(self)) return unknown(`${spec.name}.call outside a layer`);
      return this.runSpec(ctx.interp, self, args, kwargs, ctx.node);
    }));
    return cls;
  }

  resolve(_ip: Interp, path: string): Value | undefined {
    // tf.compat.v1.keras (canonicalPath): the TF1 classes, the same as tf.keras' but for GRU / GRUCell.
    const v1 = /^keras\.compat\.v1(?:\.(.+))?$/.exec(path);
    if (v1) {
      const rest = v1[1];
      if (rest === 'layers.GRU' || rest === 'layers.GRUCell') {
        const cls = this.specClass(rest === 'layers.GRU' ? GRU_V1 : GRUCell_V1);
        this.registry.set(path, cls);
        return cls;
      }
      // Anything else is what keras.<rest> is; a module stays keras.compat.v1.<rest>, so that its
      // members are read here too.
      const v = rest ? _ip.resolvePath(`keras.${rest}`) : undefined;
      return v && v.k !== 'modref' ? v : undefined;
    }
    // keras.layers.core.Dense, keras.layers.convolutional.Conv2D ... A class of a submodule the
    // catalogue lacks (tf.keras.layers.experimental.X) is the unmodelled layer keras.layers.X below,
    // as one written at the top level is.
    const m = /^keras\.layers\.[a-z_.]+\.([A-Z][A-Za-z0-9_]*)$/.exec(path);
    if (m) return this.registry.get(`keras.layers.${m[1]}`) ?? this.resolve(_ip, `keras.layers.${m[1]}`);
    // A layer class the catalogue lacks: a layer of unknown output and weights, so that a
    // model through it keeps its other layers (with their weights where they do not depend on it).
    const layer = /^keras\.layers\.([A-Z][A-Za-z0-9_]*)$/.exec(path);
    if (layer && !NOT_LAYER_CLASSES.has(layer[1])) {
      const cls = this.specClass(unmodelledLayer(layer[1]));
      this.registry.set(path, cls);
      return cls;
    }
    if (path.startsWith('keras.initializers.') || path.startsWith('keras.regularizers.') || path.startsWith('keras.constraints.')) return b(path, () => str(path));
    if (path.startsWith('keras.optimizers.') || path.startsWith('keras.losses.') || path.startsWith('keras.metrics.') || path.startsWith('keras.callbacks.')) return b(path, () => unknown(path));
    return undefined;
  }

  // ------------------------------------------------------------ state

  state(inst: InstanceV): KerasState {
    if (!inst.extra?.keras) {
      inst.extra = { ...(inst.extra ?? {}), keras: { name: '', kind: 'layer', built: false, weights: [], tracked: [], trainable: true } as KerasState };
    }
    return inst.extra.keras as KerasState;
  }

  isKeras(v: Value): v is InstanceV {
    return v.k === 'instance' && v.cls.family === 'keras' && !!v.extra?.keras;
  }

  isModel(inst: InstanceV): boolean {
    const k = this.state(inst).kind;
    return k === 'sequential' || k === 'functional' || (k === 'subclassed' && this.isModelClass(inst.cls));
  }

  private isModelClass(cls: ClassV): boolean {
    const seen = new Set<ClassV>();
    const stack = [cls];
    while (stack.length) {
      const c = stack.pop()!;
      if (c === this.modelBase) return true;
      if (seen.has(c)) continue;
      seen.add(c);
      stack.push(...c.bases);
    }
    return false;
  }

  // ------------------------------------------------------------ construction

  /** A built-in layer's constructor arguments; one given no data_format takes the global one (set_image_data_format). */
  private layerArgs(spec: LayerSpec, args: Value[], kwargs: Map<string, Value>): Map<string, Value> {
    const bound = bindArgs(spec.signature, args, kwargs);
    if (this.imageDataFormat !== 'channels_last' && !kwargs.has('data_format')) {
      const at = spec.signature.findIndex((p) => p.name === 'data_format');
      if (at >= 0 && at >= args.length) bound.set('data_format', str(this.imageDataFormat));
    }
    return bound;
  }

  instantiate(ip: Interp, cls: ClassV, args: Value[], kwargs: Map<string, Value>, node: Node): Value | undefined {
    if (cls.family !== 'keras') return undefined;
    const inst: InstanceV = { k: 'instance', cls, attrs: new Map(), id: ip.newId(), node };
    const st = this.state(inst);
    const nameKw = kwargs.get('name');
    const trainableKw = kwargs.get('trainable');
    if (trainableKw && trainableKw.k === 'bool') st.trainable = trainableKw.v;
    if (cls.spec) {
      st.kind = 'layer';
      inst.layer = { spec: cls.spec, args: this.layerArgs(cls.spec, args, kwargs), node };
      st.name = nameKw && nameKw.k === 'str' ? nameKw.v : this.names.next(cls.spec.name);
      if (!this.names.legacy) for (const c of KERAS3_INIT_HELPERS[cls.spec.name] ?? []) this.names.next(c);
      this.readInputShapeKwargs(st, kwargs, inst.layer);
      return inst;
    }
    if (cls === this.sequentialClass) {
      st.kind = 'sequential';
      st.layers = [];
      st.name = nameKw && nameKw.k === 'str' ? nameKw.v : this.names.next('Sequential');
      const layersArg = args[0] ?? kwargs.get('layers');
      for (const l of (layersArg && ip.iterate(layersArg)) ?? []) this.sequentialAdd(ip, inst, l);
      this.models.push(inst);
      return inst;
    }
    if (cls === this.modelBase && (args.length >= 2 || kwargs.has('inputs') || kwargs.has('outputs'))) {
      st.kind = 'functional';
      // Keras 3 names a functional model `functional`; tf.keras `model`.
      st.name = nameKw && nameKw.k === 'str' ? nameKw.v : this.names.legacy ? this.names.uniquify('model') : this.names.next('Functional');
      const inputs = args[0] ?? kwargs.get('inputs') ?? NONE;
      const outputs = args[1] ?? kwargs.get('outputs') ?? NONE;
      st.graph = this.buildGraph(ip, inputs, outputs);
      st.built = true;
      this.models.push(inst);
      return inst;
    }
    // A user subclass of Layer / Model: run its __init__ (which calls the base __init__ through super()).
    st.kind = 'subclassed';
    const init = ip.findAttrWithOwner(cls, '__init__');
    if (init && init.v.k === 'func') ip.callMethod(init.v, init.owner, inst, args, kwargs);
    // No __init__ of its own: the base class's takes the arguments (`Scale(name="s")`, `MyDropout(0.2)`).
    else if (init && init.v.k === 'builtin') init.v.call(ip.ctx(node), [inst, ...args], kwargs);
    if (!st.name) st.name = this.names.next(cls.name);
    if (this.isModelClass(cls)) this.models.push(inst);
    return inst;
  }

  /**
   * The input shape a layer is given at construction (input_shape=, batch_input_shape=, the
   * legacy input_dim=), or the one a built-in layer declares for itself (LayerSpec.declaredInput):
   * a Sequential it comes first in is built on it.
   */
  private readInputShapeKwargs(st: KerasState, kwargs: Map<string, Value>, layer?: { spec: LayerSpec; args: Map<string, Value> }): void {
    const dims = (v: Value): Dim[] | null => (v.k === 'tuple' || v.k === 'list' ? v.items.map((x) => (x.k === 'int' ? x.v : NONE_BATCH)) : v.k === 'int' ? [v.v] : null);
    const is = kwargs.get('input_shape');
    const bis = kwargs.get('batch_input_shape') ?? kwargs.get('batch_shape');
    const idim = kwargs.get('input_dim');
    let shape: Dim[] | null = null;
    if (bis) shape = dims(bis);
    else if (is) {
      const d = dims(is);
      shape = d ? [NONE_BATCH, ...d] : null;
    } else if (layer?.spec.declaredInput && this.names.legacy) {
      // tf.keras 2 only: a Keras 3 layer declares no input shape, its Sequential is built by its first call.
      shape = layer.spec.declaredInput(new LayerArgs(layer.args, layer.spec.name), kwargs)?.map((d) => (d === null ? NONE_BATCH : d)) ?? null;
    } else if (idim && idim.k === 'int') shape = [NONE_BATCH, idim.v];
    if (shape) {
      st.inputShapes = [shape];
      st.inputSource = 'input-shape-arg';
    }
  }

  private sequentialAdd(ip: Interp, seq: InstanceV, l: Value): void {
    const st = this.state(seq);
    if (l.k === 'tensor' && l.origin?.input) {
      st.inputShapes = l.shape ? [l.shape] : undefined;
      st.inputSource = 'keras-input';
      return;
    }
    if (!this.isKeras(l)) {
      // A layer the engine does not know (`layers.FancyPool()`): what follows cannot be followed.
      if (l.k === 'unknown') st.opaqueAt ??= { index: st.layers!.length, why: l.why };
      return;
    }
    if (st.layers!.length === 0 && !st.inputShapes) {
      const ls = this.state(l);
      // A functional model first: its Input tensors give the shapes.
      const shapes = ls.inputShapes ?? (ls.graph?.inputs.every((t) => t.shape) ? ls.graph.inputs.map((t) => t.shape!) : undefined);
      if (shapes) {
        st.inputShapes = shapes;
        st.inputSource = ls.inputShapes ? 'input-shape-arg' : 'keras-input';
      }
    }
    st.layers!.push(l);
    void ip;
  }

  setAttr(ip: Interp, obj: Value, name: string, value: Value): boolean {
    if (!this.isKeras(obj)) return false;
    const st = this.state(obj);
    if (name === 'trainable') {
      const t = ip.truthy(value);
      if (t !== null) this.setTrainable(obj, t, new Set());
      return true;
    }
    // Keras tracks layers anywhere inside nested lists, tuples and dicts (`self.blocks = [[Dense, Activation], ...]`).
    for (const v of layersIn(value)) if (this.isKeras(v) && v !== obj && !st.tracked.includes(v)) st.tracked.push(v);
    if ((value.k === 'list' || value.k === 'dict') && !st.containers?.includes(value)) (st.containers ??= []).push(value);
    obj.attrs.set(name, value);
    return true;
  }

  /**
   * `layer.trainable = value`: Keras' setter sets the flag on every sub-layer too (a model's
   * layers, a wrapper's layer), so a base frozen by `base.trainable = False` stays frozen in any
   * other model that holds its layers (an application made with input_tensor=, `base.output`
   * fed to a new head).
   */
  private setTrainable(inst: InstanceV, value: boolean, seen: Set<number>): void {
    if (seen.has(inst.id)) return;
    seen.add(inst.id);
    const st = this.state(inst);
    st.trainable = value;
    const subs = st.kind === 'sequential' ? st.layers ?? [] : st.kind === 'functional' ? st.graph?.layers ?? [] : this.trackedLayers(inst);
    for (const sub of subs) this.setTrainable(sub, value, seen);
    if (inst.layer) for (const v of inst.layer.args.values()) if (this.isKeras(v)) this.setTrainable(v, value, seen);
  }

  /**
   * The weights of a built Dense, ConvND / ConvNDTranspose or Embedding layer, by name in Keras'
   * order (kernel, bias / embeddings), as tensors of their documented shapes: Dense kernel
   * (in, units); conv kernel (*kernel_size, in / groups, filters), transposed (*kernel_size,
   * filters, in); Embedding (input_dim, output_dim). `self.dense.weights[0]` in a tied-weights
   * layer, `ops.shape(self.conv.kernel)`. Null for other layers or while the input width is unknown.
   */
  private builtInWeights(inst: InstanceV): Map<string, Value> | null {
    const spec = inst.layer!.spec;
    const a = new LayerArgs(inst.layer!.args, spec.name);
    const st = this.state(inst);
    const out = new Map<string, Value>();
    if (spec.name === 'Embedding') {
      out.set('embeddings', tensor([a.dim('input_dim'), a.dim('output_dim')], 'float32'));
      return out;
    }
    const first = st.firstCall?.input;
    const inShape = first && first.k === 'tensor' && first.shape ? first.shape : st.inputShapes?.[0] ?? null;
    const conv = /^Conv([123])D(Transpose)?$/.exec(spec.name);
    if (!inShape || (spec.name !== 'Dense' && !conv)) return null;
    const useBias = a.isNone('use_bias') ? true : a.bool('use_bias');
    if (spec.name === 'Dense') {
      out.set('kernel', tensor([inShape[inShape.length - 1], a.dim('units')], 'float32'));
      if (useBias) out.set('bias', tensor([a.dim('units')], 'float32'));
      return out;
    }
    const rank = Number(conv![1]);
    const ksRaw = a.raw('kernel_size');
    const ks = ksRaw.k === 'int' ? Array<Dim>(rank).fill(ksRaw.v as Dim) : ksRaw.k === 'tuple' || ksRaw.k === 'list' ? ksRaw.items.map((v) => (v.k === 'int' ? (v.v as Dim) : null)) : null;
    if (!ks || ks.length !== rank || ks.some((d) => d === null)) return null;
    const cin = inShape[a.str('data_format') === 'channels_first' ? 1 : inShape.length - 1];
    const filters = a.dim('filters');
    if (conv![2]) out.set('kernel', tensor([...(ks as Dim[]), filters, cin], 'float32'));
    else {
      const groups = a.int('groups') ?? 1;
      out.set('kernel', tensor([...(ks as Dim[]), typeof cin === 'number' ? cin / groups : cin, filters], 'float32'));
    }
    if (useBias) out.set('bias', tensor([filters], 'float32'));
    return out;
  }

  /** A subclassed model's or layer's tracked sub-layers, with those added since to its attribute lists and dicts. */
  private trackedLayers(inst: InstanceV): InstanceV[] {
    const st = this.state(inst);
    for (const c of st.containers ?? []) {
      for (const v of layersIn(c).slice(1)) {
        if (this.isKeras(v) && v !== inst && !st.tracked.includes(v)) st.tracked.push(v);
      }
    }
    return st.tracked;
  }

  getAttr(ip: Interp, obj: Value, name: string, _node: Node): Value | undefined {
    if (!this.isKeras(obj)) return undefined;
    const st = this.state(obj);
    const own = obj.attrs.get(name);
    if (own !== undefined) return own;
    // A built Sequential's symbolic graph (`seq.inputs`, `seq.layers[-2].output`): Keras calls its
    // layers on an Input of its input shape; so does the engine, the first time one is asked for.
    if (st.kind === 'sequential' && ['inputs', 'input', 'outputs', 'output'].includes(name)) this.sequentialGraph(ip, obj, _node);
    if ((name === 'output' || name === 'input' || name === 'input_shape' || name === 'output_shape') && !st.firstCall && st.kind === 'layer' && !st.inputShapes) {
      const seq = this.models.find((m) => this.state(m).kind === 'sequential' && this.state(m).layers?.includes(obj));
      if (seq) this.sequentialGraph(ip, seq, _node);
    }
    switch (name) {
      case 'name':
        return str(st.name);
      case 'trainable':
        return bool(st.trainable);
      case 'built':
        return bool(st.built);
      case 'enable_lora': {
        // Keras 3 Dense / EinsumDense / Embedding .enable_lora(rank, ...) after construction: the same
        // weights as lora_rank=rank given to the constructor (kernel frozen, two trainable factors).
        const layer = obj.layer;
        if (!layer || !layer.spec.signature.some((prm) => prm.name === 'lora_rank')) break;
        return b('enable_lora', (_ctx, args, kwargs) => {
          const rank = args[0] ?? kwargs.get('rank');
          if (!rank) return NONE;
          // Its own copy: a clone_model copy shares the original's argument map.
          layer.args = new Map(layer.args).set('lora_rank', rank);
          const input = st.firstCall?.input;
          const shape = input?.k === 'tensor' ? input : st.inputShapes?.[0] ? tensor(st.inputShapes[0]) : undefined;
          if (st.params && shape) {
            try {
              st.params = layer.spec.params(new LayerArgs(layer.args, layer.spec.name), [shape]);
            } catch {
              st.params = undefined;
            }
          }
          return NONE;
        });
      }
      case 'build': {
        // A user build() called directly (`model.build([(None, 12), (None, 20)])`): it runs, then
        // the object is built as Keras' build wrapper marks it.
        const user = obj.layer ? undefined : ip.findAttrWithOwner(obj.cls, 'build');
        if (!user || user.v.k !== 'func') break;
        const fn = user.v;
        return b('build', (_ctx, args, kwargs) => {
          const r = ip.callMethod(fn, user.owner, obj, args, kwargs);
          if (!st.buildCalled) this.noteBuildCall(obj, args[0] ?? kwargs.get('input_shape'));
          return r;
        });
      }
      case 'layers':
        return list(this.pythonLayers(obj));
      case 'input_shape':
        if (st.inputShapes?.[0]) return pyShape(st.inputShapes[0]);
        // A layer called once (tf.keras: `layer.input_shape` is its input's shape; Geron's tied
        // DenseTranspose sizes its bias from `self.dense.input_shape[-1]`).
        if (st.kind === 'layer' && st.firstCall) return shapeTupleOf(st.firstCall.input, 'input_shape');
        return unknown('input_shape');
      case 'output_shape':
        if (st.kind === 'layer' && st.firstCall) return shapeTupleOf(st.firstCall.output, 'output_shape');
        break;
      case 'kernel':
      case 'bias':
      case 'embeddings':
      case 'weights':
      case 'trainable_weights':
      case 'variables':
      case 'trainable_variables': {
        const ws = obj.layer ? this.builtInWeights(obj) : null;
        if (!ws) break;
        if (name === 'kernel' || name === 'bias' || name === 'embeddings') return ws.get(name) ?? NONE;
        return list([...ws.values()]);
      }
      case 'inputs':
        return st.graph ? list(st.graph.inputs) : unknown('inputs');
      case 'outputs':
        return st.graph ? (st.graph.outputs.k === 'list' ? st.graph.outputs : list([st.graph.outputs])) : unknown('outputs');
      case 'output':
        return st.graph ? st.graph.outputs : st.firstCall?.output ?? unknown('output');
      case 'input':
        return st.graph ? (st.graph.inputs.length === 1 ? st.graph.inputs[0] : list(st.graph.inputs)) : st.firstCall?.input ?? unknown('input');
      default:
        break;
    }
    if (obj.layer && obj.layer.args.has(name)) return obj.layer.args.get(name);
    // Keras keeps some constructor arguments as private attributes (MultiHeadAttention's
    // self._key_dim, self._num_heads), which subclasses read; None is left alone, as Keras often
    // stores a default in its place (_value_dim is key_dim then).
    if (obj.layer && name.startsWith('_') && !name.startsWith('__')) {
      const v = obj.layer.args.get(name.slice(1));
      if (v && v.k !== 'none') return v;
    }
    void ip;
    return undefined;
  }

  /**
   * `obj.build(shape)` ran (Keras' own build, or a user build() called directly): the declared
   * input shapes are noted and the object counts as built, so its first call does not build it
   * again (Keras wraps every build() to set `built`).
   */
  private noteBuildCall(self: InstanceV, s: Value | undefined): void {
    if (!s) return;
    const st = this.state(self);
    const shapes = s.k === 'list' && s.items.every((x) => x.k === 'tuple' || x.k === 'list') ? s.items : [s];
    // `build((None, *input_shape))` with input_shape unknown: no rank to build on.
    if (shapes.some((x) => (x.k === 'tuple' || x.k === 'list') && x.items.some(isStarUnknown))) return;
    st.inputShapes = shapes.map((x) => kerasShape(x) ?? []);
    st.inputSource = 'build-call';
    st.buildCalled = true;
  }

  /**
   * A copy of a Sequential or functional model made from its layers' configs (their names
   * included), as keras.models.clone_model and Model.from_config(model.get_config()) make it:
   * it summarises like the original. A functional copy replays the same graph.
   */
  private cloneModel(ctx: CallCtx, m: InstanceV): Value {
    const st = this.state(m);
    const layers = st.layers ?? [];
    if (st.kind === 'sequential' && !st.opaqueAt && layers.every((l) => l.layer)) {
      const inst: InstanceV = { k: 'instance', cls: m.cls, attrs: new Map(), id: ctx.newInstanceId(), node: ctx.node };
      const ns = this.state(inst);
      Object.assign(ns, { kind: 'sequential', name: st.name, trainable: st.trainable, inputShapes: st.inputShapes, inputSource: st.inputSource });
      ns.layers = layers.map((l) => {
        const c: InstanceV = { k: 'instance', cls: l.cls, attrs: new Map(), id: ctx.newInstanceId(), node: l.node, layer: { ...l.layer! } };
        Object.assign(this.state(c), { kind: 'layer', name: this.state(l).name, trainable: this.state(l).trainable });
        return c;
      });
      this.models.push(inst);
      return inst;
    }
    if (st.kind === 'functional' && st.graph) {
      const inst: InstanceV = { k: 'instance', cls: m.cls, attrs: new Map(), id: ctx.newInstanceId(), node: ctx.node };
      Object.assign(this.state(inst), { kind: 'functional', name: st.name, trainable: st.trainable, graph: st.graph, built: true });
      this.models.push(inst);
      return inst;
    }
    return unknown('a copy of a subclassed model (its clone_function or from_config would be needed)');
  }

  /**
   * A Sequential with no input of its own held by a Sequential that has one (Geron's
   * `Sequential([tied_encoder, tied_decoder])`): Keras builds the outer one when it is made, so
   * the inner one is built on what reaches it; so does the engine, when the inner one is summarised.
   */
  buildFromContainer(ip: Interp, inst: InstanceV, node: Node): void {
    const st = this.state(inst);
    if (st.kind !== 'sequential' || st.inputShapes || st.exampleInputs) return;
    const outer = this.models.find((m) => m !== inst && this.state(m).kind === 'sequential' && this.state(m).inputShapes && this.state(m).layers?.includes(inst));
    if (outer) this.sequentialGraph(ip, outer, node);
  }

  /** Calls a Sequential's layers on a keras.Input of its declared input shape once (st.graph), as Keras builds it. */
  private sequentialGraph(ip: Interp, seq: InstanceV, node: Node): void {
    const st = this.state(seq);
    if (st.graph || !st.inputShapes || st.inputShapes.length !== 1 || st.opaqueAt || !st.layers?.length) return;
    const input: TensorV = tensor(st.inputShapes[0], 'float32');
    input.origin = { input: this.inputId++ };
    let x: Value = input;
    for (const l of st.layers) x = this.callLayer(ip, l, [x], new Map(), node);
    st.graph = { inputs: [input], outputs: x, layers: st.layers, nodes: [], site: ip.currentSite() };
  }

  // ------------------------------------------------------------ calls

  callInstance(ip: Interp, inst: InstanceV, args: Value[], kwargs: Map<string, Value>, node: Node): Value | undefined {
    if (!this.isKeras(inst)) return undefined;
    return this.callLayer(ip, inst, args, kwargs, node);
  }

  callLayer(ip: Interp, inst: InstanceV, args: Value[], kwargs: Map<string, Value>, node: Node): Value {
    const site = ip.currentSite() ? undefined : ip.siteOf(inst);
    return site ? ip.withSite(site, () => this.callLayerHere(ip, inst, args, kwargs, node)) : this.callLayerHere(ip, inst, args, kwargs, node);
  }

  /**
   * The inputs a model's first call builds it on, kept as its example inputs: keras.Input tensors
   * (`net(keras.Input(shape=(10,)))`), a list of them for a subclassed model whose call()
   * unpacks its inputs (`net([img_in, txt_in])`), or, for a Sequential or subclassed model with no
   * declared input, whatever symbolic tensor it is first called on (Keras 3 builds a Sequential
   * without an Input on its first call: a shared encoder applied inside a functional model).
   */
  private buildingInputs(st: KerasState, args: Value[]): Value[] | undefined {
    const isInput = (a: Value) => a.k === 'tensor' && (!a.origin || (a.origin.input && !a.origin.node));
    if (args.every(isInput)) {
      if (st.kind === 'subclassed' && args.length > 1) st.inputsSpread = true;
      return args;
    }
    const first = args[0];
    if (st.kind === 'subclassed' && args.length === 1 && (first.k === 'list' || first.k === 'tuple') && first.items.length > 1 && first.items.every(isInput)) return first.items;
    // A dict of inputs (`model({"user": keras.Input(...), "item": keras.Input(...)})`): its
    // tensors in key order, the keys kept so the summary calls the model on a dict again.
    if (st.kind === 'subclassed' && args.length === 1 && first.k === 'dict' && first.vals.length && first.vals.every(isInput)) {
      st.inputKeys = first.keys;
      return first.vals;
    }
    if (args.length === 1 && first.k === 'tensor' && first.shape && !st.inputShapes && (st.kind === 'sequential' || st.kind === 'subclassed')) return [tensor(first.shape, first.dtype)];
    return undefined;
  }

  private callLayerHere(ip: Interp, inst: InstanceV, args: Value[], kwargs: Map<string, Value>, node: Node): Value {
    const st = this.state(inst);
    // An example call: on concrete tensors, or on keras.Input tensors themselves (`net(keras.Input(shape=(10,)))`).
    if (this.isModel(inst) && !this.recorder && !st.exampleInputs) st.exampleInputs = this.buildingInputs(st, args);
    let out: Value;
    ip.layerDefStack.push(inst.node);
    this.layerCallDepth++;
    try {
      out = st.op ? st.op.rerun(args, kwargs) : this.runLayer(ip, inst, st, args, kwargs, node);
    } finally {
      this.layerCallDepth--;
      ip.layerDefStack.pop();
    }
    st.built = true;
    if (st.kind === 'subclassed' && out.k !== 'unknown') st.callRan = true;
    // Functional bookkeeping: outputs remember the call that made them.
    const inputs = collectTensors([...args, ...kwargs.values()]);
    const at = inputs.some((t) => t.origin) ? callArgs(args, kwargs) : undefined;
    const result = at ? this.tagOutputs(out, { id: this.nodeId++, layer: inst, ...at, output: out, inputs }) : out;
    // `layer.input` / `layer.output`: those of its first call in a functional graph.
    if (at && result !== out && !st.firstCall) st.firstCall = { input: at.args.length === 1 ? at.args[0] : list(at.args), output: result };
    // The row shows why an output is not known (the graph goes on with a tensor of unknown shape).
    if (this.recorder && !this.recorder.outputs.has(inst.id)) this.recorder.outputs.set(inst.id, out.k === 'unknown' ? out : result);
    return result;
  }

  private runLayer(ip: Interp, inst: InstanceV, st: KerasState, args: Value[], kwargs: Map<string, Value>, node: Node): Value {
    if (st.kind === 'sequential') {
      let x: Value = args[0] ?? unknown('Sequential called without input');
      // On a tensor the engine could not follow: Keras built a Sequential with a declared input
      // (input_shape= / input_dim= / an Input) when it was made, so its weights are still known.
      if (!(x.k === 'tensor' && x.shape)) this.sequentialGraph(ip, inst, node);
      (st.layers ?? []).forEach((l, i) => {
        if (st.opaqueAt?.index === i) x = unknown(st.opaqueAt.why);
        x = this.callLayer(ip, l, [x], new Map(), node);
      });
      return st.opaqueAt && st.opaqueAt.index >= (st.layers?.length ?? 0) ? unknown(st.opaqueAt.why) : x;
    }
    if (st.kind === 'functional' && st.graph) return this.replay(ip, st.graph, args[0] ?? unknown('no input'), node);
    const userCall = ip.findAttrWithOwner(inst.cls, 'call');
    if (inst.layer && !(userCall && userCall.v.k === 'func')) return this.runSpec(ip, inst, args, kwargs, node);
    // Subclassed layer / model: build(input_shape) once, then call().
    const build = ip.findAttrWithOwner(inst.cls, 'build');
    // Not again when it already ran: `model.build(shape)` on a subclass whose build() ends in
    // super().build(...) (the layers it makes would be made twice, the first set never called).
    const call = ip.findAttrWithOwner(inst.cls, 'call');
    if (!st.built && !st.buildCalled && build && build.v.k === 'func') {
      const shapes = call && call.v.k === 'func' ? callArgShapes(call.v, args, kwargs) : [];
      const b = buildArguments(build.v, shapes, args[0], this.names.legacy);
      ip.callMethod(build.v, build.owner, inst, b.args, b.kwargs);
      st.built = true;
    }
    if (call && call.v.k === 'func') {
      const kw = new Map(kwargs);
      const r = ip.callMethod(call.v, call.owner, inst, args, kw);
      return r.k === 'unknown' ? this.declaredOutput(ip, inst, args[0]) ?? r : r;
    }
    // A subclass of keras.layers.Wrapper without its own call(): the wrapped layer's call.
    if (call && call.v.k === 'builtin' && call.owner === this.wrapperBase) return ip.call(call.v, [inst, ...args], kwargs, node);
    return unknown(`${inst.cls.name} has no call()`);
  }

  /**
   * The output a user-written layer declares in compute_output_shape(input_shape), for a call()
   * the engine could not follow (an op it does not model): Keras 3 takes a layer's symbolic
   * output from an overridden compute_output_shape. A tuple of ints / None is one tensor, a
   * list or tuple of such tuples one tensor each; anything else is undefined.
   */
  private declaredOutput(ip: Interp, inst: InstanceV, input: Value | undefined): Value | undefined {
    const f = ip.findAttrWithOwner(inst.cls, 'compute_output_shape');
    if (!f || f.v.k !== 'func' || !input) return undefined;
    const shapeArg = buildShapeOf(input);
    if (shapeArg.k === 'unknown') return undefined;
    const first = collectTensors([input])[0];
    const dtype = first?.dtype ?? 'float32';
    const asShape = (v: Value): Shape | null =>
      (v.k === 'tuple' || v.k === 'list') && v.items.every((x) => x.k === 'none' || (x.k === 'int' && typeof x.v === 'number'))
        ? v.items.map((x) => (x.k === 'int' ? x.v : NONE_BATCH)) : null;
    const declared = ip.callMethod(f.v, f.owner, inst, [shapeArg], new Map());
    const one = asShape(declared);
    if (one) return tensor(one, dtype);
    if ((declared.k === 'tuple' || declared.k === 'list') && declared.items.length) {
      const many = declared.items.map(asShape);
      if (many.every((x) => x)) return { k: declared.k, items: many.map((x) => tensor(x!, dtype)) } as Value;
    }
    return undefined;
  }

  /** A built-in layer's own call: its weights from the inputs (once built), then its output. */
  private runSpec(ip: Interp, inst: InstanceV, args: Value[], kwargs: Map<string, Value>, node: Node): Value {
    const st = this.state(inst);
    const spec = inst.layer!.spec;
    const a = new LayerArgs(inst.layer!.args, spec.name);
    const positional = this.specInputs(spec, args, kwargs);
    // TimeDistributed over a model or a user-written layer: run it on one time step.
    const wrapped = spec.name === 'TimeDistributed' ? a.raw('layer') : undefined;
    if (wrapped && this.isKeras(wrapped) && !wrapped.layer) return this.timeDistributed(ip, inst, wrapped, positional[0], kwargs, node);
    // keras.layers.RNN over a user-written cell (alone, in a list or in StackedRNNCells): run the cells on one step.
    const cells = spec.name === 'RNN' ? this.rnnCells(a.raw('cell')) : null;
    if (cells && cells.some((c) => !c.layer)) return this.rnnOverCells(ip, inst, a, cells, positional[0], node);
    // Bidirectional(RNN(user_cell)): both directions run over copies of the cells.
    const inner = spec.name === 'Bidirectional' ? a.raw('layer') : undefined;
    if (inner && this.isKeras(inner) && inner.layer?.spec.name === 'RNN') {
      const innerCells = this.rnnCells(inner.layer.args.get('cell') ?? NONE);
      if (innerCells && innerCells.some((c) => !c.layer)) return this.bidirectionalOverCells(ip, inst, a, inner, positional[0], node);
    }
    // Keras 3 names every layer from one global counter per class, the unnamed helper layers
    // that built-in layers make for themselves included: they shift the user's later names.
    if (!st.built && !this.names.legacy) for (const c of KERAS3_BUILD_HELPERS[spec.name] ?? []) this.names.next(c);
    try {
      if (!st.built || !st.params) st.params = spec.params(a, positional);
      // A Lambda without output_shape: Keras traces the function on the symbolic input; so does the engine.
      if (spec.name === 'Lambda' && a.isNone('output_shape') && args.length) return this.traceLambda(ip, a, args[0], node);
      return spec.forward(a, positional, kwargs);
    } catch (e) {
      if (e instanceof ShapeError) return ip.reportShapeError(e.message, node, inst.node, e.code);
      return unknown(`${spec.name}: ${(e as Error).message}`);
    }
  }

  /**
   * TimeDistributed(inner) where inner is a model or a subclassed layer: inner is called on one
   * step (batch, *rest) and the time axis is put back into its output; the wrapper's weights
   * are inner's.
   */
  private timeDistributed(ip: Interp, inst: InstanceV, inner: InstanceV, input: Value | undefined, kwargs: Map<string, Value>, node: Node): Value {
    const st = this.state(inst);
    if (!input || input.k !== 'tensor' || !input.shape) return unknown('TimeDistributed input shape not known');
    if (input.shape.length < 3) return ip.reportShapeError(`TimeDistributed expects an input of rank ≥ 3 (batch, time, ...), got rank ${input.shape.length}`, node, inst.node, 'DL406');
    const time = input.shape[1];
    const step = tensor([input.shape[0], ...input.shape.slice(2)], input.dtype);
    const stepOut = this.callLayer(ip, inner, [step], kwargs, node);
    st.params = this.layerParams(inner);
    const addTime = (v: Value): Value => (v.k === 'tensor' && v.shape ? tensor([v.shape[0], time, ...v.shape.slice(1)], v.dtype) : v);
    if (stepOut.k === 'list' || stepOut.k === 'tuple') return { k: stepOut.k, items: stepOut.items.map(addTime) } as Value;
    return stepOut.k === 'tensor' ? addTime(stepOut) : stepOut;
  }

  /** The cells of an RNN's `cell` argument, StackedRNNCells unpacked, in order; null when one is not a Keras layer. */
  private rnnCells(v: Value): InstanceV[] | null {
    const items = v.k === 'list' || v.k === 'tuple' ? v.items : [v];
    const out: InstanceV[] = [];
    for (const it of items) {
      if (it.k !== 'instance' || !this.isKeras(it)) return null;
      if (it.layer?.spec.name === 'StackedRNNCells') {
        const inner = this.rnnCells(it.layer.args.get('cells') ?? NONE);
        if (!inner) return null;
        out.push(...inner);
      } else out.push(it);
    }
    return out.length ? out : null;
  }

  /** A cell's state sizes: a built-in cell's units (twice for an LSTM cell: h and c), a user cell's `state_size` (an int or a list of ints). */
  private cellStateSizes(ip: Interp, cell: InstanceV): Dim[] | null {
    if (cell.layer) {
      const units = new LayerArgs(cell.layer.args, cell.layer.spec.name).dim('units');
      return Array.from({ length: builtinCellStates(cell.layer.spec.name) ?? 1 }, () => units);
    }
    const v = cell.attrs.get('state_size') ?? (ip.findAttrWithOwner(cell.cls, 'state_size') ? ip.getAttr(cell, 'state_size') : undefined);
    if (!v) return null;
    const items = v.k === 'list' || v.k === 'tuple' ? v.items : [v];
    const dims = items.map((x) => concreteInt(x));
    return dims.length && dims.every((d) => d !== null) ? (dims as number[]) : null;
  }

  /**
   * keras.layers.RNN whose cells include a user-written one (keras.io's MinimalRNNCell): Keras
   * builds each cell on one time step (batch, features) and calls it on (x_t, states); the
   * output width is the cell's `output_size`, else its first state size. The RNN's weights
   * are its cells'.
   */
  private rnnOverCells(ip: Interp, inst: InstanceV, a: LayerArgs, cells: InstanceV[], input: Value | undefined, node: Node): Value {
    const st = this.state(inst);
    if (!input || input.k !== 'tensor' || !input.shape) return unknown('RNN input shape not known');
    if (input.shape.length !== 3) return ip.reportShapeError(`RNN expects a 3-D input (batch, timesteps, features), got rank ${input.shape.length}`, node, inst.node, 'DL406');
    const [b, steps, features] = input.shape;
    let f: Dim = features;
    const states: Value[] = [];
    let trainable: number | null = 0;
    let nonTrainable = 0;
    for (const cell of cells) {
      const sizes = this.cellStateSizes(ip, cell);
      if (!sizes) return unknown(`keras.layers.RNN: the state_size of ${cell.cls.name} is not known`);
      const cellStates = sizes.map((d) => tensor([b, d], input.dtype));
      const out = this.callLayer(ip, cell, [tensor([b, f], input.dtype), list(cellStates)], new Map(), node);
      const pc = this.layerParams(cell);
      trainable = trainable === null || pc.trainable === null ? null : trainable + pc.trainable;
      nonTrainable += pc.nonTrainable;
      const declared = cell.layer ? null : cell.attrs.get('output_size');
      const outSize = declared ? concreteInt(declared) : null;
      const traced = out.k === 'tuple' || out.k === 'list' ? out.items[0] : out;
      f = outSize ?? (cell.layer ? sizes[0] : traced?.k === 'tensor' && traced.shape ? traced.shape[traced.shape.length - 1] : sizes[0]);
      states.push(...cellStates);
    }
    st.params = { trainable, nonTrainable };
    const o = a.bool('return_sequences') ? tensor([b, steps, f], input.dtype) : tensor([b, f], input.dtype);
    return a.bool('return_state') ? list([o, ...states]) : o;
  }

  /**
   * Bidirectional over keras.layers.RNN with a user-written cell: Keras makes the forward and
   * the backward layer anew from the wrapped layer's config, so each direction runs (and builds)
   * its own copy of the cells; the original cells stay unbuilt. A given backward_layer of the
   * same kind runs over copies of its own cells. The weights are both directions'.
   */
  private bidirectionalOverCells(ip: Interp, inst: InstanceV, a: LayerArgs, fwd: InstanceV, input: Value | undefined, node: Node): Value {
    const given = a.raw('backward_layer');
    const bwd = this.isKeras(given) && given.layer?.spec.name === 'RNN' ? given : fwd;
    const run = (layer: InstanceV): { out: Value; pc: ParamCount | undefined } => {
      const la = new LayerArgs(layer.layer!.args, 'RNN');
      const cells = this.rnnCells(la.raw('cell'));
      if (!cells) return { out: unknown('Bidirectional: the cells of the wrapped RNN are not known'), pc: undefined };
      const copies = cells.map((c) => (c.layer ? c : this.copyUserLayer(ip, c)));
      const out = this.rnnOverCells(ip, layer, la, copies, input, node);
      return { out, pc: this.state(layer).params };
    };
    const f = run(fwd);
    const bk = run(bwd);
    const pf = f.pc;
    const pb = bk.pc;
    this.state(inst).params = pf && pb ? { trainable: pf.trainable === null || pb.trainable === null ? null : pf.trainable + pb.trainable, nonTrainable: pf.nonTrainable + pb.nonTrainable } : { trainable: null, nonTrainable: 0 };
    const fs = collectTensors([f.out]);
    const bs = collectTensors([bk.out]);
    if (!fs.length || !bs.length) return f.out.k === 'unknown' ? f.out : unknown('Bidirectional: an output of the wrapped RNN is not known');
    try {
      const merged = mergeDirections(a.str('merge_mode'), fs[0], bs[0]);
      const states = new LayerArgs(fwd.layer!.args, 'RNN').bool('return_state') ? [...fs.slice(1), ...bs.slice(1)] : [];
      return merged.length === 1 && !states.length ? merged[0] : list([...merged, ...states]);
    } catch (e) {
      if (e instanceof ShapeError) return ip.reportShapeError(e.message, node, inst.node, e.code);
      throw e;
    }
  }

  /**
   * A copy of a user-written layer as Keras makes it from its config: the same class, name and
   * attributes, unbuilt (its build() makes its own weights and sub-layers again); the weights and
   * sub-layers its __init__ made are shared. One already built is copied built.
   */
  private copyUserLayer(ip: Interp, layer: InstanceV): InstanceV {
    const st = this.state(layer);
    const copy: InstanceV = { k: 'instance', cls: layer.cls, attrs: new Map(layer.attrs), id: ip.newId(), node: layer.node };
    Object.assign(this.state(copy), {
      kind: st.kind, name: st.name, trainable: st.trainable, built: st.built, buildCalled: st.buildCalled,
      weights: [...st.weights], tracked: [...st.tracked], containers: st.containers ? [...st.containers] : undefined,
    });
    return copy;
  }

  /** Calls a Lambda layer's function on its input (with its `arguments=` as keywords); what it returns is the layer's output. */
  private traceLambda(ip: Interp, a: LayerArgs, input: Value, node: Node): Value {
    const extra = a.raw('arguments');
    const kw = new Map<string, Value>();
    if (extra.k === 'dict') extra.keys.forEach((k, i) => k.k === 'str' && kw.set(k.v, extra.vals[i]));
    const out = ip.call(a.raw('function'), [input], kw, node);
    return out.k === 'unknown' ? unknown(`Lambda: ${out.why}`) : out;
  }

  /** Merge layers take one list; attention takes (query, value, key): both become positional inputs. */
  private specInputs(spec: LayerSpec, args: Value[], kwargs: Map<string, Value>): Value[] {
    if (args.length === 0 && kwargs.has('inputs')) return [kwargs.get('inputs')!];
    // Attention layers: query, value and key, each given by position or by keyword (`mha(q, v, key=k)`).
    const out = [...args];
    for (let i = args.length; i < ATTENTION_INPUTS.length; i++) {
      const v = kwargs.get(ATTENTION_INPUTS[i]);
      if (!v) break;
      out.push(v);
    }
    void spec;
    return out;
  }

  /**
   * An operation on symbolic tensors between layers (`x + 3.0`, `keras.ops.relu6(x)`,
   * `tf.nn.relu6(x)`, `x[:, 0]`): Keras makes it a weightless node of the functional graph
   * (a Keras 3 Operation such as `add (Add)`, or a tf.keras `TFOpLambda` for tf.* functions),
   * so the tensor it returns keeps the history of every layer before it.
   */
  tensorOp(ip: Interp, ev: TensorOpEvent, result: Value): Value | undefined {
    if (this.layerCallDepth > 0) return undefined;
    const inputs = collectTensors([...ev.args, ...ev.kwargs.values()]);
    const origins = new Set(inputs.map((t) => t.origin).filter((o) => o));
    if (origins.size === 0) return undefined;
    const outs = collectTensors([result]);
    // An unmodelled framework function: a node whose output is a tensor of unknown shape.
    const opaque = result.k === 'unknown' && !!result.tensor;
    // No tensor out (`len(x)`, `x.shape`), or tensors a layer call already recorded.
    if ((outs.length === 0 && !opaque) || outs.some((t) => t.origin && !origins.has(t.origin))) return undefined;
    const kind = opKind(ev, this.names.legacy);
    if (!kind) return undefined;
    let cls = this.opClasses.get(kind.cls);
    if (!cls) {
      cls = { k: 'class', name: kind.cls, qualname: kind.isLayer ? `keras.layers.${kind.cls}` : `keras.ops.${kind.cls}`, bases: [], attrs: new Map(), family: 'keras' };
      this.opClasses.set(kind.cls, cls);
    }
    const inst: InstanceV = { k: 'instance', cls, attrs: new Map(), id: ip.newId(), node: ev.node };
    const st = this.state(inst);
    st.name = this.names.uniquify(kind.name);
    st.built = true;
    st.op = { rerun: ev.rerun, isLayer: kind.isLayer };
    // Fresh copies: an op that returns its input unchanged must not retag the input itself.
    const fresh = (v: Value): Value => (v.k === 'tensor' ? { ...v } : v.k === 'list' || v.k === 'tuple' ? ({ k: v.k, items: v.items.map(fresh) } as Value) : v);
    return this.tagOutputs(fresh(result), { id: this.nodeId++, layer: inst, ...callArgs(ev.args, ev.kwargs), output: result, inputs });
  }

  /** True for a weightless operation node (see tensorOp). */
  isOpNode(inst: InstanceV): boolean {
    return !!this.state(inst).op;
  }

  private tagOutputs(out: Value, node: GraphNode): Value {
    const tag = (v: Value, i: number): Value => (v.k === 'tensor' ? { ...v, origin: { node, index: i } } : v);
    let result: Value;
    if (out.k === 'tensor') result = tag(out, 0);
    else if (out.k === 'list' || out.k === 'tuple') result = { k: out.k, items: out.items.map(tag) } as Value;
    // A layer returning a dict of tensors (`{"z": self.a(x), "y": self.b(x)}`): its outputs, not
    // the sub-layers inside its call(), are the graph's node.
    else if (out.k === 'dict') result = { ...out, vals: out.vals.map(tag) };
    else if (out.k === 'unknown') {
      // A layer whose output is not known (an op the engine does not model in its call()):
      // the graph goes on through a tensor of unknown shape, so the layers after it are still
      // the model's rows (with their parameters where they do not depend on it); the node
      // keeps the reason for its row.
      node.output = out;
      return tag(tensor(null), 0);
    } else result = out;
    node.output = result;
    return result;
  }

  /** Builds the functional graph from Model(inputs, outputs): nodes reachable backwards from the outputs. */
  private buildGraph(ip: Interp, inputs: Value, outputs: Value): KerasState['graph'] {
    const ins = collectTensors([inputs]);
    const outs = collectTensors([outputs]);
    const inputSet = new Set(ins.map((t) => t.origin?.input));
    // Keras' map_graph: DFS from the outputs (pre-order operation indices), node depths, then layers by depth.
    const opIndex = new Map<InstanceV, number>();
    const finished = new Set<GraphNode>();
    const order: GraphNode[] = [];
    const visit = (t: TensorV, depth: number) => {
      const node: GraphNode | undefined = t.origin?.node;
      if (!node || finished.has(node) || depth > 5000) return;
      if (!opIndex.has(node.layer)) opIndex.set(node.layer, opIndex.size);
      for (const it of node.inputs) if (!(it.origin?.input && inputSet.has(it.origin.input))) visit(it, depth + 1);
      finished.add(node);
      order.push(node);
    };
    for (const t of outs) visit(t, 0);
    const nodeDepth = new Map<GraphNode, number>();
    const layerDepth = new Map<InstanceV, number>();
    for (const node of [...order].reverse()) {
      let depth = nodeDepth.get(node) ?? 0;
      depth = Math.max(depth, layerDepth.get(node.layer) ?? 0);
      layerDepth.set(node.layer, depth);
      nodeDepth.set(node, depth);
      for (const it of node.inputs) {
        const parent: GraphNode | undefined = it.origin?.node;
        if (parent) nodeDepth.set(parent, Math.max(depth + 1, nodeDepth.get(parent) ?? 0));
      }
    }
    const layers = [...layerDepth.keys()].sort((x, y) => layerDepth.get(y)! - layerDepth.get(x)! || opIndex.get(x)! - opIndex.get(y)!);
    // Built by library code (keras.applications) for a call in the analysed file: replays report there.
    return { inputs: ins, outputs, layers, nodes: order, site: ip.currentSite() };
  }

  /** Runs a functional graph on new input tensors, layer by layer, in dependency order. */
  replay(ip: Interp, g: NonNullable<KerasState['graph']>, input: Value, node: Node): Value {
    return ip.withSite(g.site, () => this.replayGraph(ip, g, input, node));
  }

  private replayGraph(ip: Interp, g: NonNullable<KerasState['graph']>, input: Value, node: Node): Value {
    const newInputs = flattenStructure(input);
    const memo = new Map<TensorV, Value>();
    g.inputs.forEach((t, i) => memo.set(t, newInputs[i] ?? unknown('missing model input')));
    const done = new Map<GraphNode, Value>();
    const valueOf = (v: Value): Value => {
      if (v.k === 'tensor') {
        const m = memo.get(v);
        if (m) return m;
        const n: GraphNode | undefined = v.origin?.node;
        if (!n) return v;
        const out = runNode(n);
        const idx = v.origin.index as number;
        const r = out.k === 'list' || out.k === 'tuple' ? out.items[idx] ?? unknown('output index') : out.k === 'dict' ? out.vals[idx] ?? unknown('output index') : out;
        memo.set(v, r);
        return r;
      }
      if (v.k === 'list' || v.k === 'tuple') return { k: v.k, items: v.items.map(valueOf) } as Value;
      if (v.k === 'dict') return { k: 'dict', keys: v.keys, vals: v.vals.map(valueOf) };
      return v;
    };
    const runNode = (n: GraphNode): Value => {
      const prev = done.get(n);
      if (prev) return prev;
      const args = n.args.map(valueOf);
      const kwargs = new Map([...n.kwargs].map(([k, v]) => [k, valueOf(v)] as const));
      const out = this.callLayer(ip, n.layer, args, kwargs, node);
      done.set(n, out);
      return out;
    };
    return valueOf(g.outputs);
  }

  // ------------------------------------------------------------ model structure

  /** `model.layers`: Sequential's list, the functional graph's layers, or a subclassed model's tracked layers. */
  modelLayers(inst: InstanceV): InstanceV[] {
    const st = this.state(inst);
    if (st.kind === 'sequential') return st.layers ?? [];
    if (st.kind === 'functional') return st.graph?.layers ?? [];
    return this.trackedLayers(inst);
  }

  /**
   * `model.layers` as Python sees it: Keras 3 operation nodes are graph nodes, not layers;
   * a functional model's InputLayers come first (`model.layers[1]` is its first real layer).
   */
  pythonLayers(inst: InstanceV): InstanceV[] {
    const own = this.modelLayers(inst).filter((l) => !(this.state(l).op && !this.state(l).op!.isLayer));
    const st = this.state(inst);
    if (st.kind !== 'functional' || !st.graph) return own;
    return [...st.graph.inputs.map((t) => this.inputLayerOf(t)), ...own];
  }

  private readonly inputLayers = new WeakMap<object, InstanceV>();

  /** The InputLayer object behind a `keras.Input` tensor (made on first use; no weights, its output the tensor). */
  private inputLayerOf(t: TensorV): InstanceV {
    const key = t.origin as object;
    let l = this.inputLayers.get(key);
    if (l) return l;
    l = { k: 'instance', cls: this.inputLayerClass, attrs: new Map(), id: this.nextInputLayerId-- };
    const st = this.state(l);
    st.name = (t.origin as { name?: string }).name ?? 'input_layer';
    st.built = true;
    st.firstCall = { input: t, output: t };
    this.inputLayers.set(key, l);
    return l;
  }

  private nextInputLayerId = -1;
  /** The model each get_config() dict came from (Model.from_config copies it). */
  private readonly configSources = new WeakMap<object, InstanceV>();
  private readonly inputLayerClass: ClassV = { k: 'class', name: 'InputLayer', qualname: 'keras.layers.InputLayer', bases: [], attrs: new Map(), family: 'keras' };

  /** Parameters of a layer including its sub-layers: {trainable, nonTrainable}. */
  layerParams(inst: InstanceV, seen = new Set<number>()): { trainable: number | null; nonTrainable: number } {
    if (seen.has(inst.id)) return { trainable: 0, nonTrainable: 0 };
    seen.add(inst.id);
    const st = this.state(inst);
    let trainable: number | null = 0;
    let nonTrainable = 0;
    if (inst.layer) {
      const pc = st.params ?? (st.built ? { trainable: 0, nonTrainable: 0 } : this.unbuiltParams(inst));
      if (pc.trainable === null) trainable = null;
      else trainable += pc.trainable;
      nonTrainable += pc.nonTrainable;
      // Wrapped layers (Bidirectional, TimeDistributed) count inside the wrapper's own spec.
      for (const v of inst.layer.args.values()) if (this.isKeras(v)) seen.add(v.id);
    }
    for (const w of st.weights) {
      if (w.count === null) trainable = null;
      else if (w.trainable) trainable = trainable === null ? null : trainable + w.count;
      else nonTrainable += w.count;
    }
    const subs = st.kind === 'sequential' ? st.layers ?? [] : st.kind === 'functional' ? st.graph?.layers ?? [] : this.trackedLayers(inst);
    for (const s of subs) {
      // A sub-layer the (traced) call() never used is never built: no weights, whatever its
      // arguments (keras.io GatedResidualNetwork's `project` Dense when the widths already match).
      if (this.neverBuilt(inst, s)) continue;
      const pc = this.layerParams(s, seen);
      if (pc.trainable === null) trainable = null;
      else if (trainable !== null) trainable += pc.trainable;
      nonTrainable += pc.nonTrainable;
    }
    if (!st.trainable && trainable !== null) {
      nonTrainable += trainable;
      trainable = 0;
    }
    return { trainable, nonTrainable };
  }

  /** `layer.get_config()`: {name, trainable} and a built-in layer's constructor arguments (its `**kwargs` and `*args` left out). */
  private layerConfig(self: Value | undefined): DictV {
    const config: DictV = { k: 'dict', keys: [], vals: [] };
    if (!(self?.k === 'instance' && this.isKeras(self))) return config;
    const st = this.state(self);
    const put = (k: string, v: Value) => {
      config.keys.push(str(k));
      config.vals.push(v);
    };
    put('name', str(st.name));
    put('trainable', bool(st.trainable));
    if (self.layer) {
      const stars = new Set(self.layer.spec.signature.filter((p) => p.star).map((p) => p.name));
      for (const [k, v] of self.layer.args) if (!stars.has(k) && k !== 'name' && k !== 'trainable' && v.k !== 'unknown') put(k, v);
    }
    return config;
  }

  /** `cls.from_config(config)` by default: `cls(**config)` when the config's keys are known strings. */
  private configInstance(ctx: CallCtx, cls: Value | undefined, config: Value | undefined): Value {
    if (cls?.k !== 'class') return unknown('from_config of something that is not a class');
    if (config?.k !== 'dict' || !config.keys.every((k) => k.k === 'str')) return unknown(`${cls.name}.from_config of a config whose keys are not known`);
    return ctx.callValue(cls, [], new Map(config.keys.map((k, i) => [(k as { v: string }).v, config.vals[i]])));
  }

  /** A sub-layer of a subclassed layer or model whose traced call() never used (so never built) it: Keras gives it no weights ("0 (unbuilt)" in model.summary()). */
  neverBuilt(parent: InstanceV, sub: InstanceV): boolean {
    const ss = this.state(sub);
    return !!this.state(parent).callRan && (!!sub.layer || ss.kind === 'subclassed') && !ss.built && !ss.buildCalled && !ss.params && !ss.weights.length;
  }

  private unbuiltParams(inst: InstanceV): ParamCount {
    try {
      return inst.layer!.spec.params(new LayerArgs(inst.layer!.args, inst.layer!.spec.name), []);
    } catch {
      return { trainable: null, nonTrainable: 0 };
    }
  }

  layerType(inst: InstanceV): string {
    const st = this.state(inst);
    if (st.kind === 'functional') return 'Functional';
    return inst.cls.name;
  }

  // ------------------------------------------------------------ methods

  private installLayerMethods(): void {
    const A = this.layerBase.attrs;
    A.set('__init__', b('__init__', (ctx, [self], kwargs) => {
      if (self.k === 'instance' && this.isKeras(self)) {
        const st = this.state(self);
        const n = kwargs.get('name');
        if (n && n.k === 'str') st.name = n.v;
        else if (!st.name) st.name = this.names.next(self.cls.name);
        const t = kwargs.get('trainable');
        if (t && t.k === 'bool') st.trainable = t.v;
        this.readInputShapeKwargs(st, kwargs);
      }
      void ctx;
      return NONE;
    }));
    // Keras 3 add_weight(shape, initializer, dtype, trainable, autocast, regularizer, constraint,
    // aggregation, ..., name) and add_variable(shape, initializer, dtype, trainable, autocast,
    // regularizer, constraint, name); tf.keras 2 add_weight(name, shape, dtype, initializer,
    // regularizer, trainable, ...). A string first argument is tf.keras' name (Keras 3 takes no
    // string shape), anything else Keras 3's shape.
    const KERAS3_WEIGHT = [
      { name: 'shape', default: null }, { name: 'initializer', default: null }, { name: 'dtype', default: null }, { name: 'trainable', default: true },
      { name: 'autocast', default: true }, { name: 'regularizer', default: null }, { name: 'constraint', default: null },
    ];
    const KERAS3_ADD_WEIGHT = [...KERAS3_WEIGHT, { name: 'aggregation', default: 'none' }, { name: 'overwrite_with_gradient', default: false }, { name: 'name', default: null }, { name: 'kw', star: '**' as const }];
    const KERAS3_ADD_VARIABLE = [...KERAS3_WEIGHT, { name: 'name', default: null }, { name: 'kw', star: '**' as const }];
    const TF_KERAS_ADD_WEIGHT = [
      { name: 'name', default: null }, { name: 'shape', default: null }, { name: 'dtype', default: null }, { name: 'initializer', default: null },
      { name: 'regularizer', default: null }, { name: 'trainable', default: true }, { name: 'constraint', default: null }, { name: 'kw', star: '**' as const },
    ];
    const addWeight = (method: 'add_weight' | 'add_variable') => b(method, (ctx, [self, ...args], kwargs) => {
      const sig = args[0]?.k === 'str' ? TF_KERAS_ADD_WEIGHT : method === 'add_variable' ? KERAS3_ADD_VARIABLE : KERAS3_ADD_WEIGHT;
      const a = bindArgs(sig, args, kwargs);
      const shape = a.get('shape')!;
      const dims: Dim[] = shape.k === 'tuple' || shape.k === 'list' ? shape.items.map((x) => (x.k === 'int' ? x.v : NONE_BATCH)) : shape.k === 'int' ? [shape.v] : [];
      const c = prodDims(dims);
      const tr = a.get('trainable')!;
      const name = a.get('name')!;
      if (self.k === 'instance' && this.isKeras(self)) {
        const st = this.state(self);
        ctx.interp.structureChanged(self);
        st.weights.push({ name: name.k === 'str' ? name.v : `w${st.weights.length}`, count: typeof c === 'number' ? c : null, trainable: !(tr.k === 'bool' && !tr.v) });
      }
      return tensor(dims);
    });
    A.set('add_weight', addWeight('add_weight'));
    A.set('add_variable', addWeight('add_variable'));
    A.set('build', b('build', (_c, [self, shape], kwargs) => {
      if (!(self?.k === 'instance' && this.isKeras(self))) return NONE;
      const st = this.state(self);
      const s = shape ?? kwargs.get('input_shape');
      // A built-in layer built by hand (`self.dense.build((None, 64))` in a custom layer's
      // build()): its weights from that input shape, its kernel / bias readable from then on.
      if (self.layer && s && !st.built && !st.params) {
        this.noteBuildCall(self, s);
        const dims = st.inputShapes?.[0];
        if (dims && st.inputShapes!.length === 1) {
          try {
            st.params = self.layer.spec.params(new LayerArgs(self.layer.args, self.layer.spec.name), [tensor(dims)]);
          } catch {
            st.params = undefined;
          }
        }
      } else if (self.layer && s && st.built && !st.firstCall && !st.inputShapes) {
        // Built already (a layer of a Sequential not traced yet) and built again by a wrapper
        // (tfmot's PruneLowMagnitude): Keras keeps its weights; their shapes follow this input.
        const shapes = kerasShape(s);
        if (shapes) st.inputShapes = [shapes];
      }
      st.buildCalled = true;
      return NONE;
    }));
    // Layer.get_config(): the base config Keras gives every layer (name, trainable) and, for a
    // built-in layer, its constructor arguments; Layer.from_config(config) is the classmethod
    // `cls(**config)` (keras/src/layers/layer.py), so a custom layer rebuilt from its
    // `get_config()` (super().get_config() updated with its own arguments) is that layer again.
    A.set('get_config', b('get_config', (_c, [self]) => this.layerConfig(self)));
    A.set('from_config', { ...b('from_config', (ctx, [cls, ...args], kwargs) => this.configInstance(ctx, cls, args[0] ?? kwargs.get('config'))), classMethod: true });
    // StringLookup / IntegerLookup / TextVectorization given their vocabulary: keras.io CTC ASR
    // sizes its output Dense with `char_to_num.vocabulary_size()`.
    const vocabulary = (self: Value | undefined): Value[] | null =>
      self?.k === 'instance' && self.layer ? lookupVocabulary(self.layer.spec.name, new LayerArgs(self.layer.args, self.layer.spec.name)) : null;
    A.set('get_vocabulary', b('get_vocabulary', (_c, [self]) => {
      const v = vocabulary(self);
      return v ? list(v) : unknown('get_vocabulary() of an adapted layer');
    }));
    A.set('vocabulary_size', b('vocabulary_size', (_c, [self]) => {
      const v = vocabulary(self);
      return v ? int(v.length) : unknown('vocabulary_size() of an adapted layer');
    }));
    for (const n of ['get_weights', 'set_weights', 'compute_output_shape', 'add_loss', 'add_metric']) A.set(n, b(n, () => unknown(n)));
    A.set('count_params', b('count_params', (_c, [self]) => {
      if (self.k !== 'instance') return unknown('count_params');
      const pc = this.layerParams(self);
      return pc.trainable === null ? unknown('count_params') : int(pc.trainable + pc.nonTrainable);
    }));
  }

  /**
   * keras.ops control flow, as a symbolic trace runs it: the body once on the initial values
   * (so the layers it calls are built), its result standing for the loop's (fori_loop,
   * while_loop: the carried values keep their shapes); cond takes the branch a concrete
   * predicate picks, else the true branch; scan / map / vectorized_map stack the per-step
   * outputs along a new leading axis of the sequence's length.
   */
  private installControlFlowOps(): void {
    const reg = this.registry;
    const set = (name: string, fn: BuiltinV['call']): void => {
      for (const path of [`keras.ops.${name}`, `keras.ops.core.${name}`]) reg.set(path, b(name, fn));
    };
    const arg = (args: Value[], kwargs: Map<string, Value>, i: number, name: string): Value | undefined => args[i] ?? kwargs.get(name);
    const step = (v: Value): Value => (v.k === 'tensor' && v.shape && v.shape.length ? tensor(v.shape.slice(1), v.dtype) : unknown('a sequence of unknown shape'));
    const stack = (v: Value, n: Dim): Value => {
      if (v.k === 'tensor') return v.shape ? tensor([n, ...v.shape], v.dtype) : tensor(null, v.dtype);
      if (v.k === 'tuple' || v.k === 'list') return { k: v.k, items: v.items.map((x) => stack(x, n)) } as Value;
      return v.k === 'none' ? v : unknown('a stacked result that is not a tensor');
    };
    const sameAs = (init: Value, out: Value): Value => (out.k === 'unknown' ? init : out);
    set('fori_loop', (ctx, args, kwargs) => {
      const lower = arg(args, kwargs, 0, 'lower') ?? int(0);
      const body = arg(args, kwargs, 2, 'body_fun');
      const init = arg(args, kwargs, 3, 'init_val');
      if (!body || !init) return unknown('fori_loop without a body or initial value');
      return sameAs(init, ctx.callValue(body, [lower, init]));
    });
    set('while_loop', (ctx, args, kwargs) => {
      const body = arg(args, kwargs, 1, 'body');
      const vars = arg(args, kwargs, 2, 'loop_vars');
      if (!body || !vars) return unknown('while_loop without a body or loop variables');
      const out = ctx.callValue(body, vars.k === 'tuple' || vars.k === 'list' ? vars.items : [vars]);
      return sameAs(vars, out);
    });
    set('cond', (ctx, args, kwargs) => {
      const pred = arg(args, kwargs, 0, 'pred');
      const yes = arg(args, kwargs, 1, 'true_fn');
      const no = arg(args, kwargs, 2, 'false_fn');
      if (!pred || !yes || !no) return unknown('cond without a predicate and two branches');
      const t = pred.k === 'tensor' ? null : ctx.interp.truthy(pred);
      return ctx.callValue(t === false ? no : yes, []);
    });
    set('scan', (ctx, args, kwargs) => {
      const f = arg(args, kwargs, 0, 'f');
      const init = arg(args, kwargs, 1, 'init');
      const xs = arg(args, kwargs, 2, 'xs') ?? NONE;
      const length = arg(args, kwargs, 3, 'length') ?? NONE;
      if (!f || !init) return unknown('scan without a function or initial carry');
      const first = xs.k === 'tensor' ? xs : (xs.k === 'tuple' || xs.k === 'list') && xs.items[0]?.k === 'tensor' ? xs.items[0] : undefined;
      const n: Dim = first?.shape?.length ? first.shape[0] : length.k === 'int' ? length.v : UNKNOWN_DIM;
      const x = xs.k === 'none' ? NONE : xs.k === 'tuple' || xs.k === 'list' ? { k: xs.k, items: xs.items.map(step) } as Value : step(xs);
      const out = ctx.callValue(f, [init, x]);
      if ((out.k !== 'tuple' && out.k !== 'list') || out.items.length !== 2) return unknown('scan: the function does not return (carry, y)');
      return tuple([sameAs(init, out.items[0]), stack(out.items[1], n)]);
    });
    for (const name of ['map', 'vectorized_map']) {
      set(name, (ctx, args, kwargs) => {
        const f = arg(args, kwargs, 0, name === 'map' ? 'f' : 'function');
        const xs = arg(args, kwargs, 1, name === 'map' ? 'xs' : 'elements');
        if (!f || !xs || xs.k !== 'tensor' || !xs.shape?.length) return unknown(`${name} over a sequence of unknown shape`);
        return stack(ctx.callValue(f, [step(xs)]), xs.shape[0]);
      });
    }
  }

  /**
   * keras.layers.Wrapper(layer): `self.layer` is the wrapped layer (tracked, its weights the
   * wrapper's); build(input_shape) builds it when not yet built; call() is its call.
   */
  private installWrapperMethods(): void {
    const W = this.wrapperBase.attrs;
    W.set('__init__', b('__init__', (ctx, [self, layer, ...rest], kwargs) => {
      const kw = new Map(kwargs);
      const inner = layer ?? kw.get('layer');
      kw.delete('layer');
      const base = this.layerBase.attrs.get('__init__')!;
      ctx.callValue(base, [self, ...rest], kw);
      if (self?.k === 'instance' && inner) this.setAttr(ctx.interp, self, 'layer', inner);
      return NONE;
    }));
    W.set('build', b('build', (ctx, [self, shape], kwargs) => {
      if (!(self?.k === 'instance' && this.isKeras(self))) return NONE;
      const inner = self.attrs.get('layer');
      const s = shape ?? kwargs.get('input_shape');
      if (inner && this.isKeras(inner) && s && s.k !== 'none' && !this.state(inner).built && !this.state(inner).buildCalled) {
        const build = ctx.interp.getAttr(inner, 'build');
        ctx.callValue(build, [s]);
      }
      this.state(self).buildCalled = true;
      return NONE;
    }));
    W.set('call', b('call', (ctx, [self, ...args], kwargs) => {
      const inner = self?.k === 'instance' ? self.attrs.get('layer') : undefined;
      if (!inner || !this.isKeras(inner)) return unknown('Wrapper.call without a wrapped layer');
      return ctx.callValue(inner, args, kwargs);
    }));
  }

  private installModelMethods(): void {
    const A = this.modelBase.attrs;
    A.set('__init__', b('__init__', (ctx, [self, ...args], kwargs) => {
      if (self.k === 'instance' && this.isKeras(self)) {
        const st = this.state(self);
        // Model(inputs, outputs) called through super().__init__ in a subclass: a functional model.
        const inputs = args[0] ?? kwargs.get('inputs');
        const outputs = args[1] ?? kwargs.get('outputs');
        if (inputs && outputs) {
          st.kind = 'functional';
          st.graph = this.buildGraph(ctx.interp, inputs, outputs);
          st.built = true;
        }
        const n = kwargs.get('name');
        if (n && n.k === 'str') st.name = n.v;
        else if (!st.name) st.name = this.names.next(self.cls.name);
      }
      return NONE;
    }));
    // model.get_config() of a Sequential or functional model, then Model.from_config(config) /
    // Sequential.from_config(config): a copy of that model, as clone_model makes (the config dict
    // remembers its model; a config from anywhere else gives an unknown model).
    A.set('get_config', b('get_config', (_c, [self]) => {
      const config: DictV = { k: 'dict', keys: [], vals: [] };
      if (self?.k === 'instance' && this.isKeras(self) && this.state(self).kind !== 'subclassed') this.configSources.set(config, self);
      return config;
    }));
    A.set('from_config', { ...b('from_config', (ctx, [cls, ...args], kwargs) => {
      const config = args[0] ?? kwargs.get('config');
      const source = config && this.configSources.get(config);
      if (source) return this.cloneModel(ctx, source);
      // A subclassed model's own class: the default `cls(**config)`, as for layers.
      if (cls?.k === 'class' && cls.file !== undefined) return this.configInstance(ctx, cls, config);
      return unknown('from_config of a config that is not a model.get_config() here');
    }), classMethod: true });
    const noop = (n: string) => A.set(n, b(n, () => NONE));
    for (const n of ['compile', 'summary', 'save', 'save_weights', 'load_weights', 'fit_generator', 'reset_states']) noop(n);
    const example = (n: string) => A.set(n, b(n, (_c, [self, x]) => {
      if (self.k === 'instance' && this.isKeras(self) && x) {
        const st = this.state(self);
        const xs = x.k === 'list' || x.k === 'tuple' ? x.items : [x];
        if (!st.exampleInputs && xs.every((v) => v.k === 'tensor')) st.exampleInputs = xs.map((v) => batchless(v as TensorV));
      }
      return unknown(`${n}() result`);
    }));
    for (const n of ['fit', 'predict', 'evaluate', 'train_on_batch', 'predict_on_batch']) example(n);
    A.set('build', b('build', (_ctx, [self, shape], kwargs) => {
      if (self.k === 'instance' && this.isKeras(self)) this.noteBuildCall(self, shape ?? kwargs.get('input_shape'));
      return NONE;
    }));
    A.set('get_layer', b('get_layer', (_c, [self, name, index], kwargs) => {
      if (self.k !== 'instance') return unknown('get_layer');
      const nm = name ?? kwargs.get('name');
      const layers = this.pythonLayers(self);
      if (nm && nm.k === 'str') return layers.find((l) => this.state(l).name === nm.v) ?? unknown(`no layer named ${nm.v}`);
      const idx = index ?? kwargs.get('index');
      const i = idx ? concreteInt(idx) : nm ? concreteInt(nm) : null;
      return i !== null ? layers[i] ?? unknown('layer index') : unknown('get_layer');
    }));
    const S = this.sequentialClass.attrs;
    S.set('add', b('add', (ctx, [self, l]) => {
      if (self.k === 'instance' && l) this.sequentialAdd(ctx.interp, self, l);
      return NONE;
    }));
    S.set('pop', b('pop', (_c, [self]) => {
      if (self.k === 'instance') this.state(self).layers?.pop();
      return NONE;
    }));
  }
}

/** A value and everything inside it through nested lists, tuples and dicts, in order (depth-first, bounded). */
function layersIn(root: Value): Value[] {
  const out: Value[] = [];
  const visit = (v: Value, depth: number) => {
    out.push(v);
    if (depth > 8 || out.length > 10000) return;
    if (v.k === 'list' || v.k === 'tuple') v.items.forEach((x) => visit(x, depth + 1));
    else if (v.k === 'dict') v.vals.forEach((x) => visit(x, depth + 1));
  };
  visit(root, 0);
  return out;
}

/** Tensors inside a value (lists, tuples, dicts), in order. */
export function collectTensors(vals: Value[]): TensorV[] {
  const out: TensorV[] = [];
  const visit = (v: Value, depth: number) => {
    if (depth > 20) return;
    if (v.k === 'tensor') out.push(v);
    else if (v.k === 'list' || v.k === 'tuple') v.items.forEach((x) => visit(x, depth + 1));
    else if (v.k === 'dict') dictValuesFlat(v).forEach((x) => visit(x, depth + 1));
  };
  vals.forEach((v) => visit(v, 0));
  return out;
}

/** A call's input structure flattened as Keras flattens it (nested lists, tuples and dicts; dict values by sorted key), as the model's inputs were (collectTensors). */
function flattenStructure(v: Value, depth = 0): Value[] {
  if (depth > 20) return [v];
  if (v.k === 'list' || v.k === 'tuple') return v.items.flatMap((x) => flattenStructure(x, depth + 1));
  if (v.k === 'dict') return dictValuesFlat(v).flatMap((x) => flattenStructure(x, depth + 1));
  return [v];
}

/**
 * A dict's values in the order Keras flattens a nested structure (`tree.flatten`, as
 * `keras.Model(inputs={...})` orders `model.inputs` and a call's dict of inputs): by sorted
 * key when every key is a string, else as inserted.
 */
export function dictValuesFlat(d: DictV): Value[] {
  if (!d.keys.every((k) => k.k === 'str')) return d.vals;
  const idx = d.keys.map((_, i) => i);
  const key = (i: number) => (d.keys[i] as { v: string }).v;
  idx.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return idx.map((i) => d.vals[i]);
}

/** A shape as the Python tuple Keras gives (the batch as None). */
function pyShape(shape: Shape): Value {
  return tuple(shape.map((d) => (d === NONE_BATCH ? NONE : int(d))));
}

/** A tensor's shape as a Python tuple (the batch as None); a list of tensors gives a list of them. */
function shapeTupleOf(v: Value, what: string): Value {
  if (v.k === 'tensor' && v.shape) return pyShape(v.shape);
  if ((v.k === 'list' || v.k === 'tuple') && v.items.every((it) => it.k === 'tensor' && it.shape)) return list(v.items.map((it) => shapeTupleOf(it, what)));
  return unknown(what);
}

/**
 * What build(input_shape) is given for a call's first argument: a tensor's shape as a tuple (the
 * batch as None); a list / tuple of tensors gives a list / tuple of shapes, as Keras maps the
 * input structure to shapes (a two-input layer unpacks `a_shape, b_shape = input_shape`).
 */
/**
 * The shapes of a user call()'s tensor arguments, by parameter name in signature order, however
 * they were passed (`layer(x)`, `layer(inputs=x)`, `dec(decoder_sequence=x, encoder_sequence=y)`);
 * masks, `training` and star parameters are left out, as Keras 3's get_shapes_dict does.
 */
function callArgShapes(call: FuncV, args: Value[], kwargs: Map<string, Value>): Array<[string, Value]> {
  const out: Array<[string, Value]> = [];
  let i = 0;
  for (const prm of call.params.slice(1)) {
    if (prm.star) {
      if (prm.star === '*') i = args.length;
      continue;
    }
    const v = !prm.kwOnly && i < args.length ? args[i++] : kwargs.get(prm.name);
    if (!v || prm.name === 'mask' || prm.name.endsWith('_mask') || prm.name === 'training') continue;
    const shape = buildShapeOf(v);
    if (shape.k !== 'unknown') out.push([prm.name, shape]);
  }
  return out;
}

/**
 * The arguments build() gets on the first call (keras/src/layers/layer.py _maybe_build and
 * update_shapes_dict_for_target_fn): one parameter takes the first tensor argument's shape; in
 * Keras 3, several `<arg>_shape` parameters take the shapes of the call arguments of those names
 * (TransformerDecoder.build(decoder_sequence_shape, encoder_sequence_shape)). tf.keras passes the
 * first argument's shape only. Without any known tensor argument: the first positional one, as before.
 */
function buildArguments(build: FuncV, shapes: Array<[string, Value]>, first: Value | undefined, legacy: boolean): { args: Value[]; kwargs: Map<string, Value> } {
  const named = build.params.slice(1).filter((prm) => !prm.star);
  const firstShape = shapes.length ? shapes[0][1] : buildShapeOf(first);
  const byName = new Map(shapes.map(([n, v]) => [`${n}_shape`, v]));
  if (legacy || named.length <= 1 || !named.every((prm) => prm.name.endsWith('_shape')) || !byName.size) return { args: [firstShape], kwargs: new Map() };
  const kwargs = new Map<string, Value>();
  for (const prm of named) {
    const v = byName.get(prm.name);
    if (v) kwargs.set(prm.name, v);
  }
  return { args: [], kwargs };
}

function buildShapeOf(v: Value | undefined): Value {
  if (v && v.k === 'tensor' && v.shape) return pyShape(v.shape);
  if (v && (v.k === 'list' || v.k === 'tuple') && v.items.length && v.items.every((it) => it.k === 'tensor' && it.shape)) {
    const items = v.items.map((it) => buildShapeOf(it));
    return v.k === 'list' ? list(items) : tuple(items);
  }
  return unknown('input shape');
}

/** An example array given to fit/predict keeps its own batch size. */
function batchless(t: TensorV): TensorV {
  return t;
}

/** Keras 3 operation class per Python operator (KerasTensor's dunder methods). */
const OPERATOR_OPS: Record<string, string> = {
  '+': 'Add', '-': 'Subtract', '*': 'Multiply', '/': 'TrueDivide', '//': 'FloorDivide', '%': 'Mod', '**': 'Power', '@': 'Matmul',
  '&': 'LogicalAnd', '|': 'LogicalOr', '^': 'LogicalXor',
};
const UNARY_OPS: Record<string, string> = { '-': 'Negative', '~': 'LogicalNot' };
/** tf.keras (TensorFlow 2): the TensorFlow function each operator on Keras tensors becomes. */
const TF_OPERATOR_OPS: Record<string, string> = {
  '+': 'tf.__operators__.add', '-': 'tf.math.subtract', '*': 'tf.math.multiply', '/': 'tf.math.truediv', '//': 'tf.math.floordiv',
  '%': 'tf.math.floormod', '**': 'tf.math.pow', '@': 'tf.linalg.matmul',
};

/**
 * tf.keras names a TFOpLambda layer after the function's canonical TensorFlow name (the first
 * of its `tf_export` names): `tf.reduce_mean` is `tf.math.reduce_mean`, `tf.matmul` is
 * `tf.linalg.matmul`, `tf.math.softmax` is `tf.nn.softmax`.
 */
const TF_CANONICAL: Record<string, string> = {
  ...Object.fromEntries(
    ['reduce_mean', 'reduce_sum', 'reduce_max', 'reduce_min', 'reduce_prod', 'reduce_all', 'reduce_any', 'reduce_logsumexp', 'sigmoid', 'tanh',
      'exp', 'log', 'sqrt', 'square', 'abs', 'pow', 'maximum', 'minimum', 'add', 'subtract', 'multiply', 'divide', 'truediv', 'negative', 'sign',
      'round', 'floor', 'argmax', 'argmin', 'equal', 'not_equal', 'greater', 'less', 'greater_equal', 'less_equal', 'logical_and', 'logical_or',
      'logical_not', 'cumsum', 'cumprod', 'add_n'].map((n) => [`tf.${n}`, `tf.math.${n}`]),
  ),
  'tf.nn.sigmoid': 'tf.math.sigmoid', 'tf.nn.tanh': 'tf.math.tanh', 'tf.nn.softplus': 'tf.math.softplus', 'tf.nn.top_k': 'tf.math.top_k',
  'tf.nn.l2_normalize': 'tf.math.l2_normalize', 'tf.linalg.l2_normalize': 'tf.math.l2_normalize',
  'tf.matmul': 'tf.linalg.matmul', 'tf.math.softmax': 'tf.nn.softmax', 'tf.math.log_softmax': 'tf.nn.log_softmax',
};

/**
 * tf.keras: a keras.backend function on Keras tensors is a TFOpLambda of the TensorFlow function
 * it calls (backend.py: `mean` is math_ops.reduce_mean, `concatenate` array_ops.concat...).
 */
const BACKEND_TF: Record<string, string> = {
  mean: 'tf.math.reduce_mean', sum: 'tf.math.reduce_sum', max: 'tf.math.reduce_max', min: 'tf.math.reduce_min', prod: 'tf.math.reduce_prod',
  any: 'tf.math.reduce_any', all: 'tf.math.reduce_all', logsumexp: 'tf.math.reduce_logsumexp', square: 'tf.math.square', abs: 'tf.math.abs',
  exp: 'tf.math.exp', log: 'tf.math.log', sign: 'tf.math.sign', sigmoid: 'tf.math.sigmoid', tanh: 'tf.math.tanh', softplus: 'tf.math.softplus',
  softsign: 'tf.nn.softsign', softmax: 'tf.nn.softmax', l2_normalize: 'tf.math.l2_normalize', concatenate: 'tf.concat', stack: 'tf.stack',
  expand_dims: 'tf.expand_dims', reshape: 'tf.reshape', tile: 'tf.tile', batch_flatten: 'tf.reshape', cast: 'tf.cast', argmax: 'tf.math.argmax',
  argmin: 'tf.math.argmin', maximum: 'tf.math.maximum', minimum: 'tf.math.minimum', one_hot: 'tf.one_hot', dot: 'tf.linalg.matmul',
  bias_add: 'tf.nn.bias_add',
};

/** Keras 3 names a few ops after another function (`keras.ops.swish` is `silu`). */
const OP_ALIASES: Record<string, string> = { swish: 'silu', abs: 'absolute', true_divide: 'true_divide' };

const camel = (snake: string): string => snake.split('_').filter(Boolean).map((p) => p[0].toUpperCase() + p.slice(1)).join('');

/**
 * Class and name prefix of the graph node an operation becomes: Keras 3 operations are named
 * after their class (`Add` → `add`, `Relu6` → `relu6`); tf.* functions on Keras tensors are
 * tf.keras `TFOpLambda` layers named after the function (`tf.nn.relu6`).
 */
function opKind(ev: TensorOpEvent, legacy: boolean): { cls: string; name: string; isLayer: boolean } | undefined {
  let cls: string | undefined;
  // tf.keras: an operator is the TensorFlow function it dispatches to, a TFOpLambda layer (SlicingOpLambda for x[...]).
  if (legacy && ev.kind === 'binop' && TF_OPERATOR_OPS[ev.name]) return { cls: 'TFOpLambda', name: TF_OPERATOR_OPS[ev.name], isLayer: true };
  if (legacy && ev.kind === 'unary' && ev.name === '-') return { cls: 'TFOpLambda', name: 'tf.math.negative', isLayer: true };
  if (legacy && ev.kind === 'getitem') return { cls: 'SlicingOpLambda', name: 'tf.__operators__.getitem', isLayer: true };
  if (ev.kind === 'binop') cls = OPERATOR_OPS[ev.name];
  else if (ev.kind === 'unary') cls = UNARY_OPS[ev.name];
  else if (ev.kind === 'getitem') cls = 'GetItem';
  else {
    const path = ev.name;
    if (legacy && path.startsWith('keras.backend.') && !ev.method) {
      const fn = path.slice('keras.backend.'.length);
      return { cls: 'TFOpLambda', name: BACKEND_TF[fn] ?? `tf.keras.backend.${fn}`, isLayer: true };
    }
    if (path.startsWith('tensorflow.') && !ev.method) {
      const name = `tf.${path.slice('tensorflow.'.length)}`;
      return { cls: 'TFOpLambda', name: TF_CANONICAL[name] ?? name, isLayer: true };
    }
    const last = path.slice(path.lastIndexOf('.') + 1);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(last)) return undefined;
    cls = camel(OP_ALIASES[last] ?? last);
  }
  if (!cls) return undefined;
  return { cls, name: kerasAutoName(cls, legacy), isLayer: false };
}
