// The abstract values of the evaluator: Python values as far as model code needs
// them, framework layer objects, abstract tensors (shape + dtype) and Unknown.
// Plain tagged objects (`k`) so that the interpreter's hot loop stays cheap.

import type { Dim, Shape } from '../shapes/dim';
import type { Node } from '../python/ast';
import type { LayerSpec } from '../frameworks/spec';

export type Value =
  | NoneV
  | BoolV
  | IntV
  | FloatV
  | StrV
  | TupleV
  | ListV
  | DictV
  | SliceV
  | FuncV
  | BuiltinV
  | ClassV
  | InstanceV
  | BoundMethodV
  | ModuleRefV
  | LayerV
  | TensorV
  | UnknownV;

export interface NoneV { k: 'none' }
export interface BoolV { k: 'bool'; v: boolean }
/** An int may be symbolic (`x.size(0)` on a symbolic batch). */
export interface IntV { k: 'int'; v: Dim }
export interface FloatV { k: 'float'; v: number }
export interface StrV { k: 'str'; v: string }
export interface TupleV {
  k: 'tuple';
  items: Value[];
  /** A library named tuple's field names (torch.return_types: `torch.aminmax(x).max`, `torch.linalg.slogdet(a).logabsdet`). */
  fields?: readonly string[];
}
export interface ListV {
  k: 'list';
  items: Value[];
  /**
   * Set when items of unknown number were added (`extend` of an unknown iterable): the list
   * holds `items` and more, so it cannot be iterated or measured (the reason is kept).
   */
  partial?: string;
  /** A Python set (kept as a list of distinct items): compared without regard to order. */
  isSet?: true;
  /** An iterator made by iter(): the position of its next item (next(), zip() and loops move it on). */
  iterPos?: number;
}
export interface DictV {
  k: 'dict';
  keys: Value[];
  vals: Value[];
  /** A defaultdict's default_factory (a Counter's is 0): a missing key gets its result. */
  factory?: Value;
  /** A config dict read and written by attribute (EasyDict, OmegaConf, ConfigDict, Box): `cfg.model.width`. */
  attrAccess?: true;
  /** An instance of a dict subclass (`class AttrDict(dict)`): its class, whose attributes come before the dict's methods. */
  cls?: ClassV;
  /** Such an instance's attributes that are not items (set while its class does not route attributes to items). */
  attrs?: Map<string, Value>;
  /** A view of an object's entries (a module's `_modules`): an item set in it is set on the object too. */
  onSet?: (key: Value, v: Value) => void;
}
export interface SliceV { k: 'slice'; start: Value; stop: Value; step: Value }

export interface FuncParam {
  name: string;
  default?: Node;
  star?: '*' | '**';
  kwOnly?: boolean;
}
/** A user function or method defined in Python source (the file or a built-in stub). */
export interface FuncV {
  k: 'func';
  name: string;
  params: FuncParam[];
  body: Node[];
  /** Defaults are evaluated once, at definition time, as in Python. */
  defaults: Map<string, Value>;
  closure: Scope;
  node: Node;
  isStatic?: boolean;
  isClassMethod?: boolean;
  isProperty?: boolean;
  /** A property's setter (`@dim.setter`): run by `obj.dim = v`. */
  setter?: FuncV;
  /** For a lambda: the single expression body. */
  expr?: Node;
  /** The file that defines it: relative imports inside it resolve from there. */
  file?: string;
}

/** A function implemented in TypeScript (builtins, `torch.cat`, `F.relu`...). */
export interface BuiltinV {
  k: 'builtin';
  name: string;
  call: (ctx: CallCtx, args: Value[], kwargs: Map<string, Value>) => Value;
  /** Bound receiver for methods of values (tensor.view, list.append...). */
  self?: Value;
  /** Attributes of the function object itself (`itertools.chain.from_iterable`). */
  attrs?: Map<string, Value>;
  /** A method bound to an object (Interp.bindFound): the Python function it runs, and the object (not passed again: the call binds it). */
  method?: { func: FuncV; self: Value };
  /** A classmethod of a framework base class (`Layer.from_config`): bound to the class it is read from (or the class of the object it is read from). */
  classMethod?: true;
  /** A built-in type (`int`, `tuple`, `type`, `functools.partial`): equal to itself only, whatever it is compared with. */
  isType?: true;
  /** An object implemented by a builtin whose class is a built-in type (a `functools.partial(...)` object): that type. */
  typeOf?: BuiltinV;
}

export interface ClassV {
  k: 'class';
  name: string;
  /** Qualified origin, e.g. `torch.nn.Module` for framework base classes. */
  qualname: string;
  bases: ClassV[];
  attrs: Map<string, Value>;
  node?: Node;
  /** Set when instances of this class are framework leaf layers. */
  spec?: LayerSpec;
  /** The framework family the class belongs to: 'torch' modules, 'keras' layers/models, 'tf' modules. */
  family?: 'torch' | 'keras' | 'tf';
  /** Source file for classes defined in user code or stubs. */
  file?: string;
  /** A record class (@dataclass, typing.NamedTuple, collections.namedtuple): its fields in order, bound by the generated __init__. */
  fields?: RecordField[];
  /** A record class that is a tuple too (collections.namedtuple, typing.NamedTuple): its instances unpack and index as their fields. */
  tupleRecord?: boolean;
  /** An enum.Enum subclass: its members are objects with `.value` and `.name` (Interp.makeEnum). */
  enumClass?: boolean;
  /** A subclass of dict / OrderedDict: its instances are dicts with this class (DictV.cls). */
  dictBase?: true;
  /** A user metaclass (`metaclass=RegistryMeta`, or a base's): its `__new__` / `__init__` run when a class statement ends. */
  metaclass?: ClassV;
}

/** A field of a record class: its default value, or the callable that makes one (`field(default_factory=list)`). */
export interface RecordField {
  name: string;
  default?: Value;
  factory?: Value;
}

/** An object: user class instances, including nn.Module subclasses (with their registered children). */
export interface InstanceV {
  k: 'instance';
  cls: ClassV;
  attrs: Map<string, Value>;
  id: number;
  /** Registered child modules in registration order (torch semantics: assignment order). */
  children?: Map<string, Value>;
  /** Where the object was constructed (for source links). */
  node?: Node;
  /** Set on framework layers: the spec and its bound arguments. */
  layer?: LayerInfo;
  /** Parameters owned directly (tf.Variable, register_parameter, add_weight). */
  ownParams?: OwnParam[];
  /** Layer parameters replaced by another layer's (weight tying, `wte.weight = lm_head.weight`): by name, the parameter now used. */
  tiedParams?: Map<string, ParamRef>;
  /** Every parameter of this layer is frozen (`requires_grad_(False)`). */
  frozen?: boolean;
  /** Individual layer parameters frozen by name (`layer.bias.requires_grad = False`). */
  frozenParams?: Set<string>;
  /** For containers implemented natively (Sequential, ModuleList, ModuleDict, keras Sequential). */
  container?: 'sequential' | 'modulelist' | 'moduledict' | 'keras-sequential' | 'keras-functional';
  /** Native payload (keras functional graph etc.). */
  extra?: any;
}

export interface OwnParam {
  name: string;
  count: number | null;
  trainable: boolean;
  /** A layer's parameter registered here too (`self.w = fc.weight`, a ParameterList of `block.parameters()`): counted once, under its layer when that is in the model. */
  alias?: ParamRef;
}

export interface LayerInfo {
  spec: LayerSpec;
  args: Map<string, Value>;
  /** The construction call node (line of the layer). */
  node?: Node;
  /**
   * What the runtime works out once per record (its parameter count and shapes, torch
   * runtime.ts layerFacts). The arguments are bound once and never changed after; running
   * __init__ again makes a new record, and so new facts.
   */
  facts?: { count?: { trainable: number | null; nonTrainable: number }; shapes?: { of: Record<string, Dim[]> | undefined } };
  /**
   * The arguments the layer's parameters and forward follow once a tied parameter of another
   * shape replaced one of its own (AWD-LSTM's `decoder.weight = encoder.weight` with
   * nhid != emsize): torch computes with the new weight while the module keeps its
   * constructor attributes (`in_features`), which `args` still answers.
   */
  weightArgs?: Map<string, Value>;
}

/** An instance's method looked up through the instance. */
export interface BoundMethodV { k: 'bound'; self: Value; func: FuncV | BuiltinV }

/** A reference to a framework or library module object: `torch`, `torch.nn`, `keras.layers`, `math`. */
export interface ModuleRefV {
  k: 'modref';
  path: string;
  /** For a Python module that was run (a project file or a library stub): its globals. */
  scope?: Scope;
  /** The file it came from (project modules). */
  file?: string;
}

/** Deprecated alias kept for readability: framework layers are InstanceV with `layer` set. */
export type LayerV = InstanceV & { layer: LayerInfo };

export interface TensorV {
  k: 'tensor';
  /** null: rank unknown. */
  shape: Shape | null;
  dtype: string;
  /** For Keras functional graphs: the layer call that produced it. */
  origin?: any;
  /** Set when the tensor is a parameter (nn.Parameter, a layer's weight): what freezing it changes. */
  param?: ParamRef;
  /** Dataflow provenance during a summary run: the id of the graph node that produced it. */
  flow?: string;
  /**
   * Element strides, set only when they are known (every dim a number): the result of a
   * transpose / permute / expand, or a non-contiguous view of one (shapes/strides.ts).
   * Absent: laid out row-major, or not known.
   */
  strides?: readonly number[];
  /**
   * A PackedSequence (pack_padded_sequence, pack_sequence): `shape` is its data, (total
   * steps, *features), and `batch` the number of sequences it packs. RNN layers take it
   * (their states have `batch` rows) and give one back; pad_packed_sequence pads it again,
   * to `steps` (the longest length) when the lengths were known, and gives them back.
   */
  packed?: { batch: Dim; steps?: Dim; lengths?: readonly number[] };
  /** The dtype is a guess (`torch.from_numpy(a)`, `torch.tensor(xs)` of values not known): no dtype error is claimed from it. */
  dtypeGuessed?: true;
  /** A numpy array (frameworks/numpy.ts): `.size` is its element count, `a[i]` of a 1-D one a number. */
  ndarray?: true;
}

/** A parameter tensor's identity: its size, whether it trains, and which module owns it. */
export interface ParamRef {
  count: number | null;
  trainable: boolean;
  /** The module that owns it as an attribute (`self.cls_token = nn.Parameter(...)`). */
  owner?: InstanceV;
  /** Attribute name on the owner, or the parameter name inside a layer (`weight`, `bias`). */
  name?: string;
  /** The layer whose built-in parameter this is; `name` undefined = all of the layer's parameters. */
  layerOwner?: InstanceV;
}

export interface UnknownV {
  k: 'unknown';
  why: string;
  /** The result of a tensor function the engine does not model (`torch.fft.fft(x)`): a tensor of unknown shape, not a scalar. */
  tensor?: true;
  /**
   * What a loader returned (`torch.load`, `np.load`, `pickle.load`): maybe an array or a
   * tensor, maybe anything else. An operator between it and a tensor gives a tensor of
   * unknown shape (not the tensor's shape, as for a number of unknown value).
   */
  loaded?: true;
}

/** Lexical scope of the interpreter. */
export interface Scope {
  vars: Map<string, Value>;
  parent?: Scope;
  /** The scope of the enclosing module (file) for `global`. */
  globals?: Scope;
  /** Names declared `global` in a function body. */
  globalNames?: Set<string>;
  /** Names a `nonlocal` statement binds to an enclosing function's scope. */
  nonlocalNames?: Set<string>;
}

/** What a builtin gets besides its arguments: the interpreter's services. */
export interface CallCtx {
  node: Node;
  /** The interpreter itself, for natives that need its services (iteration, attribute access). */
  interp: import('./interp').Interp;
  callValue(fn: Value, args: Value[], kwargs?: Map<string, Value>): Value;
  warn(message: string): void;
  /** Record that the current call failed a shape check (becomes a diagnostic). */
  shapeError(message: string, code?: string): UnknownV;
  newInstanceId(): number;
}

/**
 * The keyword a call's `**value` adds when the value is not a dict of known keys: any
 * parameter may come from it, so none takes its default (Interp.bindParams, spec bindArgs).
 */
export const OPEN_KWARGS = '**';

export const NONE: NoneV = { k: 'none' };
export const TRUE: BoolV = { k: 'bool', v: true };
export const FALSE: BoolV = { k: 'bool', v: false };

export const int = (v: Dim): IntV => ({ k: 'int', v });
export const float = (v: number): FloatV => ({ k: 'float', v });
export const str = (v: string): StrV => ({ k: 'str', v });
export const bool = (v: boolean): BoolV => (v ? TRUE : FALSE);
export const tuple = (items: Value[]): TupleV => ({ k: 'tuple', items });
/** A library named tuple: a tuple whose items are read by field name too. */
export const namedTuple = (fields: readonly string[], items: Value[]): TupleV => ({ k: 'tuple', items, fields });
export const list = (items: Value[]): ListV => ({ k: 'list', items });
/** A Python set: its distinct items (first occurrence kept) as a list marked as a set. */
export function setOf(items: Value[], equal: (a: Value, b: Value) => boolean | null): ListV {
  const out: Value[] = [];
  for (const it of items) if (!out.some((o) => equal(o, it) === true)) out.push(it);
  return { k: 'list', items: out, isSet: true };
}
export const unknown = (why: string): UnknownV => ({ k: 'unknown', why });
export const tensor = (shape: Shape | null, dtype = 'float32'): TensorV => ({ k: 'tensor', shape, dtype });

/**
 * The code of a ShapeError that proves nothing (a layer handed an unknown value, or a tensor
 * of unknown rank): the result is Unknown, and no diagnostic is filed.
 */
export const UNPROVEN_SHAPE = 'unproven';

/**
 * An item of a tuple / list literal standing for a starred value that could not be unpacked
 * (`(*image_size, 3)` with image_size unknown): an unknown number of items, so the sequence's
 * length is not known (Interp.evalElts marks it with a '*' reason).
 */
export function isStarUnknown(v: Value): boolean {
  return v.k === 'unknown' && v.why.startsWith('*');
}

export function isUnknown(v: Value): v is UnknownV {
  return v.k === 'unknown';
}

/** Converts a plain JS literal (from a spec's signature defaults) to a Value. */
export function fromJs(x: unknown): Value {
  if (x === null || x === undefined) return NONE;
  if (typeof x === 'boolean') return bool(x);
  if (typeof x === 'number') return Number.isInteger(x) ? int(x) : float(x);
  if (typeof x === 'string') return str(x);
  if (Array.isArray(x)) return tuple(x.map(fromJs));
  return unknown('unsupported default');
}

/**
 * The element values of a small constant tensor (`torch.linspace(0, 0.1, 12)`, `torch.arange(4)`),
 * flattened, for the exact tensor object the op returned: a tensor made from it by any other
 * op is another object, so its values are never taken for the wrong tensor. Read by
 * iteration, `.item()`, `.tolist()`, `float()` and `int()` (timm's `dpr = [x.item() for x in
 * torch.linspace(0, rate, depth)]`).
 */
export const TENSOR_VALUES = new WeakMap<TensorV, readonly number[]>();

/** The most elements a constant tensor keeps its values for. */
export const MAX_TENSOR_VALUES = 4096;

/** A tensor whose element values are known (see TENSOR_VALUES). */
export function withValues(t: TensorV, values: readonly number[]): TensorV {
  if (values.length <= MAX_TENSOR_VALUES) TENSOR_VALUES.set(t, values);
  return t;
}

/** One element value as a Python number of the tensor's kind. */
export function scalarOf(t: TensorV, x: number): Value {
  return /^(?:u?int|long)/.test(t.dtype) ? int(x) : t.dtype === 'bool' ? bool(x !== 0) : float(x);
}
