// The bounded abstract interpreter: runs the subset of Python that model code uses
// (module code, imports, classes, functions, loops, comprehensions) over abstract
// values. Framework behaviour (torch modules, keras layers, tensor ops) plugs in
// through `Runtime` hooks and the qualified-name registry; nothing here knows a layer.

import type { Arg, Module, Node, NodeOf, Param, Pattern } from '../python/ast';
import { BudgetExceeded, DEFAULT_BUDGET, type Budget } from './budget';
import { type ModuleResolver, type ParseModule, type StubModule, markNodes, stubAst, stubFileName, stubNodeFile } from './modules';
import type { RegistryView } from './registry';
import {
  type BuiltinV, type CallCtx, type ClassV, type DictV, type RecordField, type FuncV, type InstanceV, type ModuleRefV, type Scope, type TensorV, type UnknownV, type Value,
  FALSE, NONE, OPEN_KWARGS, TENSOR_VALUES, TRUE, UNPROVEN_SHAPE, bool, float, int, isUnknown, list, setOf, str, tuple, unknown, withValues,
} from './values';
import { type Dim, addDims, dimsEqual, floorDivDims, isUnknownDim, mulDims, subDims, formatDim, UNKNOWN_DIM } from '../shapes/dim';
import { layoutOf } from '../shapes/strides';

/** Framework hooks: each returns undefined when the value is not theirs. */
export interface Runtime {
  instantiate?(ip: Interp, cls: ClassV, args: Value[], kwargs: Map<string, Value>, node: Node): Value | undefined;
  callInstance?(ip: Interp, inst: InstanceV, args: Value[], kwargs: Map<string, Value>, node: Node): Value | undefined;
  getAttr?(ip: Interp, obj: Value, name: string, node: Node): Value | undefined;
  setAttr?(ip: Interp, obj: Value, name: string, value: Value): boolean;
  /** `del obj.name`; true when the runtime took it. */
  delAttr?(ip: Interp, obj: Value, name: string): boolean;
  /** Called when a user class derived from a framework class is defined. */
  binop?(ip: Interp, op: string, a: Value, b: Value): Value | undefined;
  unary?(ip: Interp, op: string, a: Value): Value | undefined;
  getItem?(ip: Interp, obj: Value, index: Value): Value | undefined;
  /** Lets a runtime resolve `modref` attributes and calls (torch.cat, keras.layers.Dense...). */
  resolve?(ip: Interp, path: string): Value | undefined;
  /**
   * A tensor operation (operator, indexing, framework function or tensor method) applied to
   * tensors that carry graph history (`origin`): lets a runtime record it as a graph node.
   * Returns the value to use instead of `result`, or undefined to keep it.
   */
  tensorOp?(ip: Interp, op: TensorOpEvent, result: Value): Value | undefined;
  /** True while the runtime records a summary run (its rows and graph): loops then run in full (Interp.repeated). */
  recording?(): boolean;
}

/** One tensor operation whose inputs carry graph history (see Runtime.tensorOp). */
export interface TensorOpEvent {
  kind: 'binop' | 'unary' | 'getitem' | 'call';
  /** The operator (`+`, `-`, `[]`...) or the called function's name (`keras.ops.relu6`, a tensor method). */
  name: string;
  args: Value[];
  kwargs: Map<string, Value>;
  /** The expression that applied it. */
  node: Node | undefined;
  /** True when the callee is a bound tensor method (`x.reshape(...)`): args[0] is the receiver. */
  method?: boolean;
  /** Applies the same operation to other argument values (graph replays); never reports another event. */
  rerun: (args: Value[], kwargs: Map<string, Value>) => Value;
}

/** A map that refuses changes: the one NO_KWARGS is, shared by every call without keywords. */
class SharedEmptyKwargs extends Map<string, Value> {
  override set(): this {
    return refuseChange();
  }
  override delete(): boolean {
    return refuseChange();
  }
  override clear(): void {
    refuseChange();
  }
}

function refuseChange(): never {
  throw new Error('the shared empty kwargs map was changed (copy it first)');
}

/** The keyword arguments of a call that has none: shared, never changed (a callee copies before adding). */
const NO_KWARGS: Map<string, Value> = new SharedEmptyKwargs();

/** Whether a tensor with graph history (`origin`) is among the values (one level into containers). */
function hasHistory(vals: Iterable<Value>): boolean {
  for (const v of vals) {
    if (v.k === 'tensor') {
      if (v.origin) return true;
    } else if (v.k === 'list' || v.k === 'tuple') {
      for (const x of v.items) if (x.k === 'tensor' && x.origin) return true;
    } else if (v.k === 'dict') {
      for (const x of v.vals) if (x.k === 'tensor' && x.origin) return true;
    }
  }
  return false;
}

/** Results of Interp.topStep: too deep a nesting ended the statement; the step budget ended the file. */
export const SKIPPED = Symbol('skipped');
export const STOPPED = Symbol('stopped');

/**
 * A function definition watched while a run goes on past it (analyze.ts, bodyEdit): whether it
 * was called, and the values made from it (the functions, with their decorators applied, and
 * the class of the top-level statement `stmt` holding it) for the resumed run to point at the
 * edited definition.
 */
export interface FunctionTrap {
  def: Node;
  stmt: Node;
  called: boolean;
  made: FuncV[];
  classes: ClassV[];
}

export type Signal = null | { t: 'return'; v: Value } | { t: 'break' } | { t: 'continue' } | { t: 'raise' };
const BREAK: Signal = { t: 'break' };
const CONTINUE: Signal = { t: 'continue' };
const RAISE: Signal = { t: 'raise' };
/**
 * An exception Python certainly raises (a key missing from a dict the file wrote out) inside a
 * try body with handlers: it leaves the statement and the blocks around it for the handler.
 */
const RAISED: Signal = { t: 'raise' };

export interface ShapeIssue {
  message: string;
  /** DL4xx code from the ShapeError, when the spec gave one. */
  code?: string;
  /** The file whose code raised it (the analysed file, or an imported project module). */
  file: string;
  node: Node;
  /** Construction node of the layer involved, when known. */
  defNode?: Node;
  /**
   * For a problem found in another module's code and reported at the analysed file's call:
   * where it really happened (an editor can link there), with the plain message.
   */
  origin?: { node: Node; file: string; message: string; defNode?: Node };
}

/**
 * Where the analysed file handed control to another module's code (a library stub or
 * another project file): the call there, and what it called (`torchvision.models.vgg16`).
 * Problems found while that code runs are reported at this call.
 */
export interface CallSite {
  node: Node;
  where: string;
  /**
   * The object whose code runs (`model(x)`, a summary run of `model`): one problem of the
   * same object at the same place is reported once, from whichever call found it first.
   */
  obj?: InstanceV;
}

/** How the interpreter finds modules other than the framework registry. */
export interface ModuleEnv {
  parse: ParseModule;
  /** Library stubs by dotted path (and their aliases). */
  stubs: ReadonlyMap<string, StubModule>;
  /** The host's resolver for project files; absent = single-file analysis. */
  resolver?: ModuleResolver;
}

/** Top-level packages that are never project files (frameworks and the standard library we model). */
const LIBRARY_ROOTS = new Set(['torch', 'keras', 'tensorflow', 'numpy', 'math', 'collections', 'functools', 'itertools', 'operator', 'copy', 'typing', 'os', 'sys', 're', 'json', 'random', 'dataclasses', 'abc', 'enum', 'pathlib', 'logging', 'time', 'argparse', 'warnings', 'tf_keras', 'torchinfo', 'torchsummary', '__future__']);

/** Standard-library modules not in LIBRARY_ROOTS: an import of one never fails (importFails). */
const STDLIB_ROOTS = new Set(['types', 'string', 'io', 'gc', 'inspect', 'importlib', 'contextlib', 'weakref', 'heapq', 'bisect', 'statistics', 'fractions',
  'decimal', 'datetime', 'glob', 'shutil', 'pickle', 'csv', 'textwrap', 'pprint', 'traceback', 'platform', 'subprocess', 'threading', 'multiprocessing',
  'queue', 'hashlib', 'uuid', 'struct', 'array', 'zipfile', 'tempfile', 'socket', 'signal', 'unittest', 'numbers', 'builtins', 'ast', 'timeit', 'cProfile',
  'pdb', 'tarfile', 'gzip', 'base64', 'secrets', 'urllib', 'http', 'email', 'html', 'xml', 'sqlite3', 'ctypes', 'concurrent', 'asyncio', 'codecs',
  'unicodedata', 'locale', 'getpass', 'configparser', 'errno', 'stat', 'fnmatch', 'zlib', 'mmap', 'select', 'shlex', 'cmath', 'site', 'sysconfig']);

/** Longest dotted path followed on a module reference, and longest stub-module prefix tried. */
const MAX_MODULE_PATH_DEPTH = 12;
const MAX_STUB_PREFIX = 6;

/**
 * What a native function is handed: the call's node and the interpreter. One object per
 * call, its services on the prototype (natives are called very often; a literal of five
 * closures cost five allocations each time).
 */
class NativeCall implements CallCtx {
  constructor(readonly interp: Interp, readonly node: Node) {}
  callValue(fn: Value, args: Value[], kwargs?: Map<string, Value>): Value {
    return this.interp.call(fn, args, kwargs, this.node);
  }
  warn(message: string): void {
    this.interp.note(message);
  }
  shapeError(message: string, code?: string): UnknownV {
    return this.interp.reportShapeError(message, this.node, undefined, code);
  }
  newInstanceId(): number {
    return this.interp.newId();
  }
}

/** The longest first dim a loop or an unpacking follows item by item when it iterates a tensor. */
const MAX_TENSOR_ITEMS = 256;

/** Methods that change the list, dict or set they are called on. */
/** Functions whose results are tensors: torch.<op>, torch.fft / special / linalg / nn.functional ops, keras.ops, tf.nn / math / linalg / image / signal. */
const TENSOR_FUNCTION = /^(?:torch\.(?:(?:fft|special|linalg|nn\.functional)\.)?|keras\.ops\.(?:(?:nn|numpy|math|linalg|image)\.)?|tensorflow\.(?:nn|math|linalg|image|signal)\.)[a-z_][a-z0-9_]*$/;
/** ... except those that tell or set something else (torch.is_tensor, torch.get_default_dtype, torch.load, torch.numel, keras.ops.shape). */
const NOT_TENSOR_FUNCTION = /^(?:torch\.(?:is_|get_|set_|use_|load$|save$|compile$|numel$|typename$|device$|dtype$|finfo$|iinfo$|Size$)|keras\.ops\.(?:is_|shape$|dtype$|convert_to_numpy$|size$|ndim$|cond$|while_loop$|fori_loop$|scan$|vectorized_map$|map$|custom_gradient$|stop_gradient$|core\.))/;

/** TensorFlow and keras.ops functions: on tensors with graph history they are graph nodes even when not modelled. */
const GRAPH_FUNCTION = /^(?:tensorflow\.(?:(?:nn|math|linalg|image|signal|strings|sparse|random)\.)?|keras\.ops\.(?:(?:nn|numpy|math|linalg|image|core)\.)?)[a-z_][a-z0-9_]*$/;

/** Functions that read a value from a file: it may be an array or a tensor (UnknownV.loaded). */
const LOADER_FUNCTION = /^(?:torch\.load|numpy\.(?:load|loadtxt|genfromtxt|fromfile)|pickle\.loads?|joblib\.load)$/;

/** What a generator function yields, as it runs (Interp.runGenerator). */
interface Generator {
  items: Value[];
  /** Why the items are not all of them (more than MAX_GENERATOR_ITEMS, or `yield from` something not iterable). */
  partial?: string;
}

/** Most items a generator function's call collects (an endless data generator stops there). */
const MAX_GENERATOR_ITEMS = 2_000;

/** Ends a generator function's body once it has yielded MAX_GENERATOR_ITEMS (no Error: it is control flow). */
class GeneratorFull {
  constructor(readonly gen: Generator) {}
}

const GENERATOR_DEFS = new WeakMap<Node, boolean>();

/** Whether a `def` is a generator function: a `yield` in its body, outside nested functions, lambdas and classes. */
function isGeneratorDef(def: Node): boolean {
  if (def.t !== 'FunctionDef') return false;
  let known = GENERATOR_DEFS.get(def);
  if (known === undefined) GENERATOR_DEFS.set(def, (known = holdsNode(def.body, YIELD)));
  return known;
}

const YIELD: ReadonlySet<string> = new Set(['Yield']);

/** What ends a loop's iteration early or leaves the loop (Interp.loopInfo). */
const LOOP_EXITS: ReadonlySet<string> = new Set(['Break', 'Continue', 'Return', 'Yield', 'Raise']);

/** Whether `n` (a node or a list of nodes) holds a node of one of `types`, outside nested functions, lambdas and classes. */
function holdsNode(n: unknown, types: ReadonlySet<string>): boolean {
  if (Array.isArray(n)) return n.some((x) => holdsNode(x, types));
  if (!n || typeof n !== 'object' || typeof (n as Node).t !== 'string') return false;
  const node = n as Node;
  if (types.has(node.t)) return true;
  if (node.t === 'FunctionDef' || node.t === 'ClassDef' || node.t === 'Lambda') return false;
  for (const k in node) {
    const v = (node as unknown as Record<string, unknown>)[k];
    if (v && typeof v === 'object' && holdsNode(v, types)) return true;
  }
  return false;
}

/** The last name of a dotted reference or of the callee of a call (`dataclasses.dataclass(frozen=True)` -> dataclass). */
function lastName(n: Node): string {
  return n.t === 'Name' ? n.id : n.t === 'Attr' ? n.attr : n.t === 'Call' ? lastName(n.fn) : '';
}

/** The field values of a named tuple's instance (collections.namedtuple, typing.NamedTuple), in order; undefined for other objects. */
function tupleRecordItems(v: InstanceV): Value[] | undefined {
  if (!v.cls.tupleRecord || !v.cls.fields) return undefined;
  return v.cls.fields.map((f) => v.attrs.get(f.name) ?? unknown(`${v.cls.name}.${f.name} not set`));
}

/** A class written as a typing.NamedTuple subclass. */
function namedTupleBase(s: NodeOf<'ClassDef'>): boolean {
  return s.bases.some((a) => a.kind === 'pos' && lastName(a.value) === 'NamedTuple');
}

/** Per loop node, the names it binds or fills (Interp.loopInfo). */
const LOOP_INFO = new WeakMap<Node, LoopInfo>();

/** What a loop binds or fills (Interp.loopInfo). */
interface LoopInfo {
  /** Names it binds or fills, and `obj.attr` for an attribute it fills (`self.samples.append(...)`). */
  names: Set<string>;
  /**
   * Those of `names` every iteration appends to or extends (a statement of the body, not under
   * an if or a nested loop) in a loop that never breaks, continues or returns: what a loop cut
   * after an iteration that repeated the one before can fill for the iterations left (cutLoop).
   */
  steady: Set<string>;
}

/** A name's value as the scope chain holds it, without recording a global read (Interp.lookup does). */
/** The module scope a function's `global` names live in: the outermost scope of its chain. */
function moduleScope(scope: Scope): Scope {
  let s = scope;
  while (!s.globals && s.parent) s = s.parent;
  return s.globals ?? s;
}

/** The enclosing function scope a `nonlocal` name lives in: the nearest one above `scope` that binds it. */
function enclosingWith(scope: Scope, name: string): Scope | undefined {
  for (let s = scope.parent; s && !s.globals; s = s.parent) if (s.vars.has(name)) return s;
  return undefined;
}

function peekVar(scope: Scope, name: string): Value | undefined {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    const v = s.vars.get(name);
    if (v !== undefined) return v;
  }
  return undefined;
}

/**
 * What tells whether a loop's iteration changed a name (Interp.cutLoop): a number, string
 * or flag by its value, a tensor by its shape and dtype (each iteration makes a new one), a
 * list or dict by identity and size (appending changes it in place), anything else by identity.
 */
function loopSnapshot(v: Value | undefined): unknown {
  if (!v) return undefined;
  switch (v.k) {
    case 'int': case 'float': case 'str': case 'bool': return `${v.k}:${String(v.v)}`;
    case 'tensor': return `tensor:${v.dtype}:${v.shape ? v.shape.map(String).join(',') : '?'}`;
    case 'unknown': return 'unknown';
    case 'list': return [v, v.items.length, v.partial];
    case 'dict': return [v, v.keys.length];
    case 'tuple': return `(${v.items.map((x) => { const t = loopSnapshot(x); return typeof t === 'string' ? t : '#'; }).join(';')})`;
    default: return v;
  }
}

/**
 * What tells whether a loop iteration repeated the one before it (Interp.repeated): numbers,
 * strings and flags may change (a step counter, a running loss); a tensor must keep its shape
 * and dtype, a parameter is itself; a list or dict must be the same object and may only have
 * gained plain values (a list of losses); anything else must be the same object.
 */
function quietSnapshot(v: Value | undefined): unknown {
  if (!v) return undefined;
  switch (v.k) {
    case 'int': case 'float': case 'str': case 'bool': case 'none': return 'scalar';
    case 'tensor': return v.param ?? `tensor:${v.dtype}:${v.shape ? v.shape.map(String).join(',') : '?'}`;
    case 'unknown': return v.tensor ? 'unknown tensor' : 'unknown';
    case 'tuple': return v.items.map(quietSnapshot);
    case 'list': return { of: v, n: v.items.length };
    case 'dict': return { of: v, n: v.vals.length };
    default: return v;
  }
}

const PLAIN_KINDS = new Set(['int', 'float', 'str', 'bool', 'none']);

function isPlain(v: Value): boolean {
  return PLAIN_KINDS.has(v.k) || (v.k === 'unknown' && !v.tensor) || (v.k === 'tuple' && v.items.every(isPlain));
}

/**
 * Whether two quiet snapshots are alike. With `alike`, so are two objects (not layers) of one
 * class made by the same call: a name bound to a new distribution in each iteration.
 */
function sameQuiet(a: unknown, b: unknown, alike = false): boolean {
  if (a === b) return true;
  if (alike && isInstance(a) && isInstance(b)) return a.cls === b.cls && !a.layer && !b.layer && BORN_AT.get(a) !== undefined && BORN_AT.get(a) === BORN_AT.get(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameQuiet(x, b[i], alike));
  if (a && b && typeof a === 'object' && typeof b === 'object' && 'of' in a && 'of' in b) {
    const x = a as { of: Value; n: number };
    const y = b as { of: Value; n: number };
    // The same list, appended to: plain values (a list of losses), or items like those the
    // iteration before appended (a list of per-batch outputs, each a tensor of one shape).
    if (x.of === y.of) {
      if (y.n < x.n) return false;
      const items = containerItems(y.of);
      const k = y.n - x.n;
      for (let i = x.n; i < y.n; i++) {
        if (!isPlain(items[i]) && !(alike && x.n >= k && sameQuiet(quietSnapshot(items[i - k]), quietSnapshot(items[i]), true))) return false;
      }
      return true;
    }
    // A new list each iteration (`log_probs = []`, then filled): like the last one if it holds the same things.
    if (x.of.k !== y.of.k || x.n !== y.n || x.n > MAX_QUIET_ITEMS) return false;
    const xs = containerItems(x.of).slice(0, x.n);
    const ys = containerItems(y.of);
    return xs.every((v, i) => sameQuiet(quietSnapshot(v), quietSnapshot(ys[i]), alike));
  }
  return false;
}

/**
 * The call that made each instance (Interp.instantiate). Two instances of one class made by
 * the same call are alike for the quiet test of a loop's names (sameQuiet): a loop that binds
 * a new distribution or a new data batch object in each iteration repeats itself.
 */
const BORN_AT = new WeakMap<InstanceV, Node>();

function isInstance(x: unknown): x is InstanceV {
  return typeof x === 'object' && x !== null && (x as Value).k === 'instance';
}

/**
 * A copy of `v` standing for an item made by a later iteration that was not followed: its
 * structure, tensor shapes, floats and objects, but ints of unknown value and no strings or
 * flags (the later items' labels, token ids and words need not be the last ones), and tensors
 * without known element values.
 */
function repeatLike(v: Value, why: string, depth = 0): Value {
  switch (v.k) {
    case 'int': return int(UNKNOWN_DIM);
    case 'str': case 'bool': return unknown(why);
    case 'tensor': return { ...v };
    case 'tuple': return depth > 4 ? unknown(why) : tuple(v.items.map((x) => repeatLike(x, why, depth + 1)));
    case 'list': return depth > 4 ? unknown(why) : { ...v, items: v.items.map((x) => repeatLike(x, why, depth + 1)) };
    case 'dict': return depth > 4 ? unknown(why) : { ...v, keys: [...v.keys], vals: v.vals.map((x) => repeatLike(x, why, depth + 1)) };
    default: return v;
  }
}

/**
 * Whether the last three items of a list being made by a comprehension hold data (opaque) and
 * are alike in all that later code can see (sameItem): the same numbers and strings, tensors
 * of one shape and dtype (not parameters), containers of such items, unknown values; no
 * layers, modules or other objects. The items after them would be made the same way
 * (Interp.evalComp).
 */
function repeatedItem(out: readonly Value[]): boolean {
  return out.length >= 3 && opaque(out[out.length - 1], 0) && sameItem(out[out.length - 1], out[out.length - 2], 0) && sameItem(out[out.length - 2], out[out.length - 3], 0);
}

/** Whether `v` holds a tensor or an unknown value: an item of data, not a number a model's config may be worked out from. */
function opaque(v: Value, depth: number): boolean {
  if (v.k === 'tensor' || v.k === 'unknown') return true;
  if (depth > 4) return false;
  if (v.k === 'tuple' || v.k === 'list') return v.items.some((x) => opaque(x, depth + 1));
  if (v.k === 'dict') return v.vals.some((x) => opaque(x, depth + 1));
  return false;
}

function sameItem(a: Value, b: Value, depth: number): boolean {
  if (a.k !== b.k || depth > 4) return false;
  switch (a.k) {
    case 'int': case 'float': case 'str': case 'bool': return a.v === (b as typeof a).v;
    case 'none': return true;
    case 'unknown': return !!a.tensor === !!(b as typeof a).tensor;
    case 'tensor': {
      const t = b as typeof a;
      if (a.param || t.param || a.dtype !== t.dtype) return false;
      if (!a.shape || !t.shape) return !a.shape && !t.shape;
      return a.shape.length === t.shape.length && a.shape.every((d, i) => String(d) === String(t.shape![i]));
    }
    case 'tuple': case 'list': {
      const y = b as typeof a;
      return !('partial' in a && a.partial) && a.items.length === y.items.length && a.items.length <= MAX_QUIET_ITEMS && a.items.every((v, i) => sameItem(v, y.items[i], depth + 1));
    }
    case 'dict': {
      const y = b as typeof a;
      return a.keys.length === y.keys.length && a.keys.length <= MAX_QUIET_ITEMS && a.keys.every((k, i) => sameItem(k, y.keys[i], depth + 1) && sameItem(a.vals[i], y.vals[i], depth + 1));
    }
    default: return false;
  }
}

/** The longest new list or dict that the quiet test compares item by item. */
const MAX_QUIET_ITEMS = 64;

/** The items of a list, or the values of a dict (what Python code puts in them); nothing for anything else. */
export function containerItems(v: Value): readonly Value[] {
  return v.k === 'list' ? v.items : v.k === 'dict' ? v.vals : [];
}

/** Kinds of value a loop's later iterations may change though the last one did not (Interp.cutLoop). */
const MAY_CHANGE_LATER = new Set(['int', 'float', 'str', 'bool', 'none', 'list', 'dict']);

/** Where a loop started in Interp.tensorWork and Interp.instanceCalls (Interp.trainingWork). */
interface LoopWork {
  tensors: number;
  calls: number;
}

/** What Interp.quietState takes before an iteration. */
interface QuietState {
  effects: number;
  quiet: Map<string, unknown>;
  exact: Map<string, unknown>;
}

function sameSnapshot(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

const CONTAINER_MUTATORS = new Set(['append', 'extend', 'insert', 'pop', 'remove', 'clear', 'update', 'setdefault', 'add', 'discard', 'sort', 'reverse', 'popitem', 'appendleft', 'extendleft']);

/** The name of each augmented assignment's in-place method (`x += y` calls `x.__iadd__(y)`). */
const INPLACE_OPS: Record<string, string> = {
  '+': 'add', '-': 'sub', '*': 'mul', '/': 'truediv', '//': 'floordiv', '%': 'mod', '**': 'pow', '@': 'matmul',
  '&': 'and', '|': 'or', '^': 'xor', '<<': 'lshift', '>>': 'rshift',
};

const METHOD_TABLES = new WeakMap<ReadonlyMap<string, Value>, Map<string, Map<string, BuiltinV>>>();
const STUB_ROOTS = new WeakMap<ReadonlyMap<string, StubModule>, ReadonlySet<string>>();
const REGISTRY_ROOTS = new WeakMap<RegistryView, ReadonlySet<string>>();
const NO_ROOTS: ReadonlySet<string> = new Set();

export class Interp {
  steps = 0;
  /** Calls so far that returned a tensor (a layer, a torch function, a tensor method): what tells a training loop from a config loop (quietState). */
  tensorWork = 0;
  /** Calls of objects (a model, a layer, a loss) so far: with tensorWork, what tells a training loop (trainingWork). */
  instanceCalls = 0;
  callDepth = 0;
  /** The Python functions running, innermost last (`locals()`, `inspect.currentframe()`). */
  readonly frames: { func: FuncV; scope: Scope }[] = [];
  readonly budget: Budget;
  /** When the wall-clock backstop stops the run (resumeClock). */
  private deadline: number;
  /** Running time before the clock was last paused, and when it last started. */
  private spentMs = 0;
  private clockStart: number;
  private nextId = 1;
  readonly globals: Scope;
  readonly shapeIssues: ShapeIssue[] = [];
  /** Shape errors met so far, including those already in shapeIssues (met again), and the last one's text. */
  shapeErrorCount = 0;
  lastShapeError: string | undefined;
  /** Tuple assignments that unpacked a sequence of known length into a different number of names (Python raises ValueError there). */
  unpackMismatches = 0;
  readonly notes: string[] = [];
  /**
   * Counts what a loop iteration can do beyond changing its own names: make an object, set an
   * attribute, call a function or module not called before (or a method on another object),
   * add to a graph, meet a new shape problem. An iteration that does none of it and leaves its
   * names as they were, numbers aside, repeats the one before (repeated).
   */
  effects = 0;
  private readonly callsSeen = new WeakMap<Node, Set<unknown>>();
  private readonly instancesCalled = new WeakSet<InstanceV>();
  /** The definitions of the functions called so far (analyze.ts calls the model builders the file never called). */
  readonly calledFuncs = new Set<Node>();
  /**
   * While set, every name looked up in the analysed file's globals, with the value found
   * (undefined: not a global then). A recorded forward pass (torch runtime) keeps it to tell
   * whether a later run would read the same globals.
   */
  globalReads: Map<string, Value | undefined> | undefined;
  /** The innermost node being evaluated (for messages and lines). */
  curNode: Node | undefined;
  /** Names every import bound, with the canonical module path. */
  readonly importedPaths = new Map<string, string>();
  /** Definition nodes of layer instances currently being called (for DL4xx related info). */
  layerDefStack: Array<Node | undefined> = [];
  /** The file whose code is running now (the analysed file, or an imported project module). */
  currentFile: string;
  /** Modules already run in this analysis, by dotted path or resolved file path. */
  private readonly moduleCache = new Map<string, ModuleRefV>();
  /** Project files imported by this analysis (for dependency tracking by hosts). */
  readonly importedFiles = new Set<string>();
  /** Set while another module's code runs on behalf of a call in the analysed file. */
  private site: CallSite | undefined;
  /** Objects built while another module's code ran, with the analysed file's call that built them. */
  private readonly instSites = new WeakMap<InstanceV, CallSite>();
  /** The class each call node last instantiated (instantiate: what counts as an effect). */
  private readonly instantiatedAt = new Map<Node, ClassV>();
  /** Problems found in other modules' code, by their own node, with their messages (repeat check). */
  private readonly foreignIssues = new WeakMap<Node, Set<string>>();
  /** Files of the nodes of project modules imported by this analysis. */
  private readonly projectNodeFiles = new WeakMap<object, string>();
  /** Watches one function definition while a run is prepared past it (analyze.ts, bodyEdit); unset = no cost. */
  trap: FunctionTrap | undefined;
  /** Called for every assignment to a plain name (hover and inlay-hint facts); unset = no cost. */
  onAssign: ((target: NodeOf<'Name'>, value: Value) => void) | undefined;
  /** Inside the body of a try statement with except handlers (reportShapeError files nothing there). */
  private handledErrors = 0;
  /** Set when an expression inside a try body with handlers certainly raised (RAISED); the statement ends there. */
  private raising = false;

  constructor(
    readonly runtimes: Runtime[],
    readonly builtins: Map<string, Value>,
    readonly registry: RegistryView,
    readonly fileName: string,
    budget: Partial<Budget> = {},
    readonly modules?: ModuleEnv,
  ) {
    this.currentFile = fileName;
    this.budget = { ...DEFAULT_BUDGET, ...budget };
    this.clockStart = Date.now();
    this.deadline = this.clockStart + this.budget.maxMillis;
    this.globals = { vars: new Map() };
    this.globals.globals = this.globals;
  }

  newId(): number {
    return this.nextId++;
  }

  /**
   * The first instance id made in the loop iteration being run (Infinity outside loops): an
   * object made since is new in this iteration, and what is done to it (its attributes set,
   * its methods called) is no effect beyond the iteration (quietState).
   */
  private freshFrom = Infinity;

  private isFresh(v: Value | undefined): boolean {
    return v?.k === 'instance' && v.id >= this.freshFrom;
  }

  /**
   * For the runtimes: `obj` gained a parameter, buffer, weight or child module by a method
   * (`register_buffer`, `ParameterList.append`, `add_weight`). On an object made before the
   * loop iteration being run, that is an effect beyond it (repeated): a loop that builds a
   * model this way runs in full.
   */
  structureChanged(obj: Value | undefined): void {
    if (!this.isFresh(obj)) this.effects++;
  }

  tick(): void {
    if (++this.steps > this.budget.maxSteps) throw new BudgetExceeded('step limit');
    if ((this.steps & 0x3ff) === 0 && Date.now() > this.deadline) throw new BudgetExceeded('time limit');
  }

  /**
   * The wall-clock backstop counts running time only. A run made in steps while the user
   * pauses (analyze.ts prepareRun) stops the clock between its steps and when it is handed to
   * the next analysis, which may come minutes later.
   */
  pauseClock(): void {
    this.spentMs += Date.now() - this.clockStart;
  }

  resumeClock(): void {
    this.clockStart = Date.now();
    this.deadline = this.clockStart + this.budget.maxMillis - this.spentMs;
  }

  note(message: string): void {
    if (this.notes.length < 200 && !this.notes.includes(message)) this.notes.push(message);
  }

  // ---------------------------------------------------------------- modules

  /**
   * Runs the top-level statements [from, to) of a module, one by one: a failing statement
   * does not stop the rest. False when the step budget stopped it (noted).
   */
  runModule(mod: Module, scope: Scope = this.globals, from = 0, to = mod.body.length): boolean {
    for (let i = from; i < to; i++) {
      const s = mod.body[i];
      if (this.topStep(s, () => this.exec(s, scope)) === STOPPED) return false;
    }
    return true;
  }

  /**
   * One step of the module's top-level statement `s` (the whole statement, or a part of it: a
   * run prepared in steps enters a top-level `if`), as runModule takes it: the step's result,
   * SKIPPED when too deep a nesting ended the statement, STOPPED when the step budget ended
   * the file (both noted at `s`).
   */
  topStep<T>(s: Node, step: () => T): T | typeof SKIPPED | typeof STOPPED {
    try {
      return step();
    } catch (e) {
      if (e instanceof BudgetExceeded) {
        this.note(`Stopped following the file at line ${s.line + 1}: ${e.message}`);
        return STOPPED;
      }
      if (e instanceof RangeError) {
        this.note(`Stopped following line ${s.line + 1}: too deeply nested`);
        return SKIPPED;
      }
      throw e;
    }
  }

  // ---------------------------------------------------------------- statements

  execBlock(body: Node[], scope: Scope): Signal {
    for (const s of body) {
      const sig = this.exec(s, scope);
      if (this.raising) {
        this.raising = false;
        return RAISED;
      }
      if (sig) return sig;
    }
    return null;
  }

  exec(s: Node, scope: Scope): Signal {
    this.tick();
    this.curNode = s;
    switch (s.t) {
      case 'Expr':
        this.eval(s.value, scope);
        return null;
      case 'Assign': {
        const v = this.eval(s.value, scope);
        for (const t of s.targets) this.assign(t, v, scope);
        return null;
      }
      case 'AnnAssign':
        if (s.value) this.assign(s.target, this.eval(s.value, scope), scope);
        return null;
      case 'AugAssign': {
        const cur = this.eval(s.target, scope);
        const rhs = this.eval(s.value, scope);
        let v: Value;
        const inPlace = cur.k === 'instance' && INPLACE_OPS[s.op] ? this.getAttr(cur, `__i${INPLACE_OPS[s.op]}__`) : undefined;
        if (cur.k === 'list' && s.op === '+') {
          const items = this.iterate(rhs);
          if (items && cur.items.length + items.length <= this.budget.maxListLength) cur.items.push(...items);
          else cur.partial = `extended with ${describe(rhs)}`;
          v = cur;
        } else if (inPlace && inPlace.k !== 'unknown') {
          // `self.blocks += [...]` on an nn.ModuleList, or a class's own __iadd__: the object changes in place.
          v = this.call(inPlace, [rhs], NO_KWARGS, s);
        } else v = this.binop(s.op, cur, rhs);
        this.assign(s.target, v, scope);
        return null;
      }
      case 'Return':
        return { t: 'return', v: s.value ? this.eval(s.value, scope) : NONE };
      case 'If':
        return this.execBlock(this.branchOf(s, scope), scope);
      case 'For': case 'While':
        return this.loop(s, scope);
      case 'FunctionDef':
        this.setVar(scope, s.name, this.defineFunction(s, scope));
        return null;
      case 'ClassDef':
        this.setVar(scope, s.name, this.makeClass(s, scope));
        return null;
      case 'Import':
        for (const { name, asname } of s.names) {
          const project = this.loadProjectModule(name, 0);
          if (project) {
            // `import pkg.mod` binds `pkg`; `import pkg.mod as m` binds the module itself.
            this.setVar(scope, asname ?? name.split('.')[0], asname ? project : this.loadProjectModule(name.split('.')[0], 0) ?? project);
            continue;
          }
          if (this.importFails(name)) return RAISED;
          if (asname) this.bindImport(scope, asname, canonicalPath(name));
          else {
            const top = name.split('.')[0];
            this.bindImport(scope, top, canonicalPath(top));
          }
        }
        return null;
      case 'ImportFrom': {
        const project = s.level > 0 || !LIBRARY_ROOTS.has(s.module.split('.')[0]) ? this.loadProjectModule(s.module, s.level) : undefined;
        if (project) {
          for (const { name, asname } of s.names) {
            if (name === '*') {
              for (const [k, v] of project.scope?.vars ?? []) if (!k.startsWith('_')) this.setVar(scope, k, v);
              continue;
            }
            this.setVar(scope, asname ?? name, this.moduleAttr(project, name));
          }
          return null;
        }
        if (s.level > 0) {
          for (const { name, asname } of s.names) if (name !== '*') this.setVar(scope, asname ?? name, unknown(`relative import .${s.module} not found`));
          return null;
        }
        if (this.importFails(s.module)) return RAISED;
        const base = canonicalPath(s.module);
        for (const { name, asname } of s.names) {
          if (name === '*') {
            for (const k of this.registry.names()) {
              if (k.startsWith(base + '.') && !k.slice(base.length + 1).includes('.')) this.setVar(scope, k.slice(base.length + 1), this.registry.get(k)!);
            }
            const stub = this.loadStubModule(base);
            for (const [k, v] of stub?.scope?.vars ?? []) if (!k.startsWith('_')) this.setVar(scope, k, v);
            continue;
          }
          this.bindImport(scope, asname ?? name, canonicalPath(base ? `${base}.${name}` : name));
        }
        return null;
      }
      case 'Pass':
        return null;
      case 'Break':
        return BREAK;
      case 'Continue':
        return CONTINUE;
      case 'Raise':
        return RAISE;
      case 'Try': {
        // A shape error in a try body with handlers is what the handler is there for (a
        // fallback path): not reported, the value is Unknown.
        if (s.handlers.length) this.handledErrors++;
        let sig: Signal;
        try {
          sig = this.execBlock(s.body, scope);
        } finally {
          if (s.handlers.length) this.handledErrors--;
        }
        if (sig === RAISE || sig === RAISED) {
          const h = s.handlers[0];
          const hs = h ? this.execBlock(h, scope) : RAISE;
          const fs = this.execBlock(s.finalbody, scope);
          return fs ?? hs;
        }
        if (sig) {
          this.execBlock(s.finalbody, scope);
          return sig;
        }
        const es = this.execBlock(s.orelse, scope);
        return this.execBlock(s.finalbody, scope) ?? es;
      }
      case 'With':
        for (const it of s.items) {
          const v = this.eval(it.expr, scope);
          if (it.target) this.assign(it.target, v, scope);
        }
        return this.execBlock(s.body, scope);
      case 'Global':
        if (scope !== this.globals) {
          const names = s.nonlocal ? (scope.nonlocalNames ??= new Set()) : (scope.globalNames ??= new Set());
          for (const n of s.names) names.add(n);
        }
        return null;
      case 'Delete':
        for (const t of s.targets) this.deleteTarget(t, scope);
        return null;
      default:
        return null;
    }
  }

  /**
   * After a loop whose body was not followed (an iterable or a condition not known): the
   * names it binds, and the lists / dicts it fills (`probs.append(...)`, `d[k] = v`), may
   * hold anything, so they become Unknown rather than keep their values from before the loop
   * (an empty list that the loop would have filled).
   */
  private forgetLoopEffects(loop: NodeOf<'For'> | NodeOf<'While'>, scope: Scope): void {
    for (const n of this.loopNames(loop)) this.setLoopValue(scope, n, unknown(`changed in the loop at line ${loop.line + 1}, which was not followed`));
  }

  /**
   * The names a loop binds (its target, assignments, nested loops' targets) or fills
   * (`probs.append(...)`, `d[k] = v`), and the attributes it fills (`self.samples.append(...)`,
   * as `self.samples`).
   */
  private loopNames(loop: NodeOf<'For'> | NodeOf<'While'>): ReadonlySet<string> {
    return this.loopInfo(loop).names;
  }

  private loopInfo(loop: NodeOf<'For'> | NodeOf<'While'>): LoopInfo {
    let info = LOOP_INFO.get(loop);
    if (info) return info;
    const names = new Set<string>();
    const steady = new Set<string>();
    const bind = (t: Node): void => {
      if (t.t === 'Name') names.add(t.id);
      else if (t.t === 'Tuple' || t.t === 'List') t.elts.forEach(bind);
      else if (t.t === 'Starred') bind(t.value);
      else if (t.t === 'Subscript' && t.obj.t === 'Name') names.add(t.obj.id);
    };
    // `direct`: a statement every iteration runs (not under an if, a nested loop or a try).
    const mutated = (e: Node | undefined, direct: boolean): void => {
      if (!e || e.t !== 'Call' || e.fn.t !== 'Attr' || !CONTAINER_MUTATORS.has(e.fn.attr)) return;
      const o = e.fn.obj;
      const key = o.t === 'Name' ? o.id : o.t === 'Attr' && o.obj.t === 'Name' ? `${o.obj.id}.${o.attr}` : undefined;
      if (!key) return;
      names.add(key);
      if (direct && (e.fn.attr === 'append' || e.fn.attr === 'extend')) steady.add(key);
    };
    const visit = (body: readonly Node[], direct: boolean): void => {
      for (const st of body) {
        switch (st.t) {
          case 'Assign': st.targets.forEach(bind); mutated(st.value, direct); break;
          case 'AugAssign': case 'AnnAssign': bind(st.target); mutated(st.value, direct); break;
          case 'Expr': mutated(st.value, direct); break;
          case 'For': bind(st.target); visit(st.body, false); visit(st.orelse, false); break;
          case 'While': case 'If': visit(st.body, false); visit(st.orelse, false); break;
          case 'With': for (const it of st.items) if (it.target) bind(it.target); visit(st.body, direct); break;
          case 'Try': visit(st.body, false); st.handlers.forEach((h) => visit(h, false)); visit(st.orelse, false); visit(st.finalbody, false); break;
          case 'FunctionDef': case 'ClassDef': names.add(st.name); break;
          default: break;
        }
      }
    };
    if (loop.t === 'For') bind(loop.target);
    visit(loop.body, true);
    // A loop that may end early or skip part of an iteration (break, continue, return) cannot
    // be fast-forwarded: its later iterations need not fill what the last one filled.
    info = { names, steady: holdsNode(loop.body, LOOP_EXITS) ? new Set() : steady };
    LOOP_INFO.set(loop, info);
    return info;
  }

  /** A loop name's value (loopNames): a variable, or an attribute of an object (`self.samples`) as set on it. */
  private loopValue(scope: Scope, key: string): Value | undefined {
    const dot = key.indexOf('.');
    if (dot < 0) return peekVar(scope, key);
    const o = peekVar(scope, key.slice(0, dot));
    return o && (o.k === 'instance' || o.k === 'class') ? o.attrs.get(key.slice(dot + 1)) : undefined;
  }

  /** Sets a loop name (loopValue) to `v`; an attribute only where the object holds a list or dict there (what the loop filled). */
  private setLoopValue(scope: Scope, key: string, v: Value): void {
    const dot = key.indexOf('.');
    if (dot < 0) return this.setVar(scope, key, v);
    const o = peekVar(scope, key.slice(0, dot));
    const attr = key.slice(dot + 1);
    const was = o && (o.k === 'instance' || o.k === 'class') ? o.attrs.get(attr) : undefined;
    if (was && (was.k === 'list' || was.k === 'dict')) (o as InstanceV | ClassV).attrs.set(attr, v);
  }

  /** A `for` or `while` loop: the objects its iterations make are new in them (freshFrom) until it ends. */
  private loop(s: NodeOf<'For'> | NodeOf<'While'>, scope: Scope): Signal {
    const outer = this.freshFrom;
    try {
      return s.t === 'For' ? this.execFor(s, scope) : this.execWhile(s, scope);
    } finally {
      this.freshFrom = outer;
    }
  }

  private execWhile(s: NodeOf<'While'>, scope: Scope): Signal {
    let n = 0;
    const start = this.steps;
    const startWork = { tensors: this.tensorWork, calls: this.instanceCalls };
    for (;;) {
      const c = this.truthy(this.eval(s.test, scope));
      if (c === null) {
        // Not known whether (or how often more) the body runs: what it changes is not known after it.
        this.forgetLoopEffects(s, scope);
        break;
      }
      if (!c) break;
      if (++n > this.budget.maxLoopIterations) {
        this.note(`Line ${s.line + 1}: loop cut short after ${this.budget.maxLoopIterations} iterations`);
        return null;
      }
      this.freshFrom = this.nextId;
      const before = this.loopCutDue(n, start) ? this.loopState(s, scope) : undefined;
      const quiet = before ? undefined : this.quietState(s, n, start, startWork, scope);
      const sig = this.execBlock(s.body, scope);
      if (sig === BREAK) return null;
      if (sig && sig !== CONTINUE) return sig;
      if (before) {
        this.cutLoop(s, n, scope, before);
        return null;
      }
      if (quiet && this.repeated(quiet, scope)) {
        this.cutLoop(s, n, scope, quiet.exact, undefined, 'repeat');
        return null;
      }
    }
    return this.execBlock(s.orelse, scope);
  }

  private execFor(s: NodeOf<'For'>, scope: Scope): Signal {
    const it = this.eval(s.iter, scope);
    const items = this.iterate(it);
    if (!items) {
      this.note(`Line ${s.line + 1}: cannot iterate over ${describe(it)}; loop body skipped`);
      this.forgetLoopEffects(s, scope);
      return null;
    }
    let n = 0;
    const start = this.steps;
    const startWork = { tensors: this.tensorWork, calls: this.instanceCalls };
    for (const item of items) {
      if (++n > this.budget.maxLoopIterations) {
        this.note(`Line ${s.line + 1}: loop cut short after ${this.budget.maxLoopIterations} iterations`);
        return null;
      }
      this.freshFrom = this.nextId;
      const before = n < items.length && this.loopCutDue(n, start) ? this.loopState(s, scope) : undefined;
      const quiet = before || n >= items.length ? undefined : this.quietState(s, n, start, startWork, scope);
      this.assign(s.target, item, scope);
      const sig = this.execBlock(s.body, scope);
      if (sig === BREAK) return null;
      if (sig && sig !== CONTINUE) return sig;
      if (before) {
        this.cutLoop(s, n, scope, before, items.length);
        return null;
      }
      if (quiet && this.repeated(quiet, scope)) {
        this.cutLoop(s, n, scope, quiet.exact, items.length, 'repeat');
        return null;
      }
    }
    return this.execBlock(s.orelse, scope);
  }

  /**
   * Whether iteration `n` of a loop that started at step `start` is its last one followed:
   * the loop has run twice and its iterations so far took more than maxLoopSteps, as long
   * training loops do. The caller snapshots the loop's names (loopState) before that
   * iteration and, after it, cuts the loop (cutLoop).
   */
  private loopCutDue(n: number, start: number): boolean {
    return n >= 3 && this.steps - start > this.budget.maxLoopSteps;
  }

  /**
   * Before iteration `n` of a loop that started at step `start` (and at `startWork`), what
   * tells afterwards whether that iteration repeated the one before it (repeated): taken once
   * the loop has run at least once and cost more than quietLoopSteps steps or did a training
   * loop's work (trainingWork), and never while a summary run is recorded (each layer call
   * there is a row).
   */
  private quietState(loop: NodeOf<'For'> | NodeOf<'While'>, n: number, start: number, startWork: LoopWork, scope: Scope): QuietState | undefined {
    if (n < 2 || (this.steps - start <= this.budget.quietLoopSteps && !this.trainingWork(startWork) && !this.dataWork(loop, n, start, startWork, scope))) return undefined;
    if (this.runtimes.some((rt) => rt.recording?.())) return undefined;
    const quiet = new Map<string, unknown>();
    const exact = new Map<string, unknown>();
    for (const name of this.loopNames(loop)) {
      const v = this.loopValue(scope, name);
      quiet.set(name, quietSnapshot(v));
      exact.set(name, loopSnapshot(v));
    }
    return { effects: this.effects, quiet, exact };
  }

  /**
   * Whether a loop since `start` has called a model or layer and made quietLoopTensors tensors:
   * a training or evaluation loop. A loop that builds a model makes tensors too (parameters
   * appended to a ParameterList, buffers registered) but calls no module, and a loop that
   * works out a config makes no tensors: both run in full up to quietLoopSteps.
   */
  private trainingWork(start: LoopWork): boolean {
    return this.instanceCalls > start.calls && this.tensorWork - start.tensors >= this.budget.quietLoopTensors;
  }

  /**
   * Whether a loop that started at step `start` has, by iteration `n`, taken quietDataLoopSteps
   * and made quietLoopTensors tensors (a dataset built sample by sample, a manual
   * gradient-descent loop: no module called), taken quietHeavyIterationSteps an iteration (an
   * epoch loop whose batches are not known) or appended data (tensors, unknown values) to a list
   * in every iteration of more than quietDataIterations: it ends, as a training loop does, at an iteration
   * that repeats the one before it, and the lists it fills get the items of the iterations left
   * (cutLoop). A loop that builds a model makes tensors too, but each iteration's layers and
   * parameters are new (no repeat); a loop of plain numbers runs in full up to quietLoopSteps.
   */
  private dataWork(loop: NodeOf<'For'> | NodeOf<'While'>, n: number, start: number, startWork: LoopWork, scope: Scope): boolean {
    const steps = this.steps - start;
    if (steps <= this.budget.quietDataLoopSteps) return false;
    return this.tensorWork - startWork.tensors >= this.budget.quietLoopTensors || steps >= (n - 1) * this.budget.quietHeavyIterationSteps
      || (n > this.budget.quietDataIterations && this.fillsData(loop, scope));
  }

  /** Whether a list the loop appends to in every iteration (LoopInfo.steady) holds quietDataIterations items and ends in data (opaque). */
  private fillsData(loop: NodeOf<'For'> | NodeOf<'While'>, scope: Scope): boolean {
    for (const key of this.loopInfo(loop).steady) {
      const v = this.loopValue(scope, key);
      if (v?.k === 'list' && v.items.length >= this.budget.quietDataIterations && opaque(v.items[v.items.length - 1], 0)) return true;
    }
    return false;
  }

  /**
   * Whether the iteration since `state` repeated the one before it: it had no effect beyond
   * its names (effects), and those changed in numbers, strings and plain values appended only.
   * The iterations after it would do the same work again, so the loop ends there (cutLoop).
   */
  private repeated(state: QuietState, scope: Scope): boolean {
    if (this.effects !== state.effects) return false;
    for (const [name, snap] of state.quiet) if (!sameQuiet(snap, quietSnapshot(this.loopValue(scope, name)), true)) return false;
    return true;
  }

  /** The names a loop binds or fills, each with a snapshot of its value that tells whether an iteration changed it. */
  private loopState(loop: NodeOf<'For'> | NodeOf<'While'>, scope: Scope): Map<string, unknown> {
    const out = new Map<string, unknown>();
    for (const name of this.loopNames(loop)) out.set(name, loopSnapshot(this.loopValue(scope, name)));
    return out;
  }

  /**
   * Ends a loop after iteration `n` (loopCutDue): later iterations are not followed. What
   * that last iteration left unchanged (a tensor of the same shape, a model, an optimizer)
   * keeps its value; what it changed (a step counter, a list it appends to) may hold
   * anything after all the iterations, so it becomes Unknown.
   */
  private cutLoop(loop: NodeOf<'For'> | NodeOf<'While'>, n: number, scope: Scope, before: Map<string, unknown>, total?: number, reason: 'steps' | 'repeat' = 'steps'): void {
    const why = `changed in the loop at line ${loop.line + 1}, whose later iterations were not followed`;
    // After an iteration that repeated the one before, the iterations left (a `for` over a
    // known number of items) would each append what it appended: the lists it fills in every
    // iteration get those items again, one copy per iteration left (fastForward).
    const left = reason === 'repeat' && total !== undefined ? total - n : 0;
    const steady = left > 0 ? this.loopInfo(loop).steady : undefined;
    let filled = 0;
    for (const [name, snap] of before) {
      const now = this.loopValue(scope, name);
      if (steady?.has(name) && this.fastForward(now, snap, left)) {
        filled++;
        continue;
      }
      // A number, string, list or dict the loop assigns may change in a later iteration even
      // when the last one left it alone (`if epoch % 100 == 99: width *= 2`).
      if (!sameSnapshot(snap, loopSnapshot(now)) || (now && MAY_CHANGE_LATER.has(now.k))) this.setLoopValue(scope, name, unknown(why));
    }
    const because = reason === 'steps' ? 'the step limit of one loop' : 'the later ones repeat the same work';
    this.note(`Line ${loop.line + 1}: loop followed for ${n}${total === undefined ? '' : ` of ${total}`} iterations (${because}); ${filled ? 'the lists it fills every iteration get items like its last ones (ints and strings unknown) for each iteration left, and other ' : ''}names it kept changing are unknown after it`);
  }

  /**
   * Appends to `now`, a list that the last iteration of a loop grew (`snap` is its loopSnapshot
   * from before that iteration), items like those that iteration appended (repeatLike: same
   * shapes, ints and strings unknown) once for each of the `left` iterations to come; false (nothing
   * done) for anything else, or past maxListLength.
   */
  private fastForward(now: Value | undefined, snap: unknown, left: number): boolean {
    if (!now || now.k !== 'list' || now.partial || !Array.isArray(snap) || snap[0] !== now || snap[2]) return false;
    const from = snap[1] as number;
    const why = 'an item appended by a loop iteration that was not followed';
    const added = now.items.slice(from).map((v) => repeatLike(v, why));
    if (!added.length || now.items.length + added.length * left > this.budget.maxListLength) return false;
    for (let i = 0; i < left; i++) for (const v of added) now.items.push(v);
    return true;
  }

  /**
   * Inside a try with handlers, an import of a module nothing here models or finds (`apex`,
   * `flash_attn`, `xformers`: not a modelled library, a library stub, a registered name, a
   * project file, nor the standard library) raises ImportError, so the handler's fallback
   * (`except ImportError: LayerNorm = nn.LayerNorm`) is what runs, as it does wherever the
   * optional package is missing. Outside a try the name stays a module reference.
   */
  private importFails(name: string): boolean {
    if (this.handledErrors === 0) return false;
    const root = name.split('.')[0];
    if (!root || LIBRARY_ROOTS.has(root) || STDLIB_ROOTS.has(root) || this.stubRoots().has(root) || this.registryRoots().has(root)) return false;
    if (this.loadProjectModule(name, 0)) return false;
    this.note(`import ${name}: not a module TensorLens models or finds; the try's except branch is followed (as where it is not installed)`);
    return true;
  }

  /** First components of every registered qualified name (`torch`, `functools`, `types`): cheap pre-check. */
  private registryRoots(): ReadonlySet<string> {
    let roots = REGISTRY_ROOTS.get(this.registry);
    if (!roots) REGISTRY_ROOTS.set(this.registry, (roots = new Set([...this.registry.names()].map((k) => k.split('.')[0]))));
    return roots;
  }

  private bindImport(scope: Scope, local: string, path: string): void {
    this.importedPaths.set(local, path);
    this.setVar(scope, local, this.resolvePath(path));
  }

  /**
   * `nn.Conv2d`, `torch.relu`: a member of a module known by its path, resolved once per
   * analysis (the registry, the runtimes and the stubs give the same answer every time).
   */
  private memberOfPath(obj: ModuleRefV, name: string): Value {
    let members = this.pathMembers.get(obj);
    if (!members) this.pathMembers.set(obj, (members = new Map()));
    let v = members.get(name);
    if (v === undefined) members.set(name, (v = this.resolvePath(canonicalPath(`${obj.path}.${name}`))));
    return v;
  }

  private readonly pathMembers = new WeakMap<ModuleRefV, Map<string, Value>>();

  /** `importlib.import_module("pkg.mod")` with a known name: the module as `import pkg.mod as m` binds it (Hydra-style `_target_` paths). */
  importModule(name: string): Value {
    if (!name || name.startsWith('.')) return unknown(`import_module('${name}') relative to a package not known`);
    // The script itself, as it runs (`_target_: __main__.Model`): its globals by then.
    if (name === '__main__') return { k: 'modref', path: '__main__', scope: moduleScope(this.globals) };
    const project = LIBRARY_ROOTS.has(name.split('.')[0]) ? undefined : this.loadProjectModule(name, 0);
    return project ?? this.resolvePath(canonicalPath(name));
  }

  /** A qualified name: a registered value, a runtime-resolved one, a library stub module's member, or a module reference. */
  resolvePath(path: string): Value {
    const r = this.registry.get(path);
    if (r) return r;
    for (const rt of this.runtimes) {
      const v = rt.resolve?.(this, path);
      if (v) return v;
    }
    const parts = path.split('.');
    // An attribute chain on an unknown module (`x = x.parent` in a loop) must not grow forever.
    if (parts.length > MAX_MODULE_PATH_DEPTH) return unknown(`${parts.slice(0, 3).join('.')}… is not modelled`);
    if (this.modules?.stubs.size && this.stubRoots().has(parts[0])) {
      for (let i = Math.min(parts.length, MAX_STUB_PREFIX); i >= 1; i--) {
        const stub = this.loadStubModule(parts.slice(0, i).join('.'));
        if (!stub) continue;
        let v: Value = stub;
        for (const p of parts.slice(i)) v = this.getAttr(v, p);
        return v;
      }
    }
    return { k: 'modref', path };
  }

  /** First components of every stub module path (`torchvision`, `keras`): cheap pre-check. */
  private stubRoots(): ReadonlySet<string> {
    const stubs = this.modules?.stubs;
    if (!stubs) return NO_ROOTS;
    // The stub table is process-wide: its roots are worked out once, not per analysis.
    let roots = STUB_ROOTS.get(stubs);
    if (!roots) STUB_ROOTS.set(stubs, (roots = new Set([...stubs.keys()].map((k) => k.split('.')[0]))));
    return roots;
  }

  /** Runs a library stub module once per analysis; undefined when there is no stub for `path`. */
  loadStubModule(path: string): ModuleRefV | undefined {
    const stub = this.modules?.stubs.get(path);
    return stub ? this.loadStub(stub) : undefined;
  }

  /** Runs a stub module (registered or handed over by a runtime) once per analysis. */
  loadStub(stub: StubModule): ModuleRefV | undefined {
    if (!this.modules) return undefined;
    const key = `stub:${stub.module}`;
    const cached = this.moduleCache.get(key);
    if (cached) return cached;
    const mod = stubAst(stub, this.modules!.parse);
    const scope: Scope = { vars: new Map() };
    scope.globals = scope;
    const file = stubFileName(stub);
    const ref: ModuleRefV = { k: 'modref', path: stub.module, scope, file };
    this.moduleCache.set(key, ref);
    if (mod) this.withSite(this.importSite(stub.module), () => this.runInFile(file, () => this.runModule(mod, scope)));
    return ref;
  }

  /** A project module through the host's resolver, run once per analysis (cycles see the partial module). */
  loadProjectModule(dotted: string, level: number): ModuleRefV | undefined {
    const resolver = this.modules?.resolver;
    if (!resolver || (level === 0 && LIBRARY_ROOTS.has(dotted.split('.')[0]))) return undefined;
    let found;
    try {
      found = resolver(this.currentFile, dotted, level);
    } catch {
      found = undefined;
    }
    if (!found) return undefined;
    const cached = this.moduleCache.get(found.path);
    if (cached) return cached;
    const scope: Scope = { vars: new Map([['__name__', str(dotted)]]) };
    scope.globals = scope;
    const ref: ModuleRefV = { k: 'modref', path: dotted || found.path, scope, file: found.path };
    this.moduleCache.set(found.path, ref);
    this.importedFiles.add(found.path);
    const mod = this.modules!.parse(found.text);
    if (!mod) {
      this.note(`Could not parse imported module ${found.path}`);
      return ref;
    }
    markNodes(mod, found.path, this.projectNodeFiles);
    const path = found.path;
    this.withSite(this.importSite(dotted || path), () => this.runInFile(path, () => this.runModule(mod, scope)));
    return ref;
  }

  /** `from pkg import name`: an attribute of the module, else its submodule `pkg.name`. */
  private moduleAttr(mod: ModuleRefV, name: string): Value {
    const v = mod.scope?.vars.get(name);
    if (v !== undefined) return v;
    if (mod.file) {
      const file = mod.file;
      const sub = this.withSite(this.importSite(`${mod.path}.${name}`), () => this.runInFile(file, () => this.loadProjectModule(name, 1)));
      if (sub) return sub;
    }
    return unknown(`'${name}' not found in module ${mod.path}`);
  }

  // ---------------------------------------------------------------- call sites

  /** The file a node belongs to when it is not the analysed file's (a stub or an imported project file). */
  nodeFile(node: Node): string | undefined {
    return stubNodeFile(node) ?? this.projectNodeFiles.get(node);
  }

  /** The call site in the analysed file that the code running now works for, if it is another module's code. */
  currentSite(): CallSite | undefined {
    return this.site;
  }

  /** Runs `f` on behalf of `site` (kept when one is already set: the outermost call in the analysed file wins). */
  withSite<T>(site: CallSite | undefined, f: () => T): T {
    if (!site || this.site) return f();
    this.site = site;
    try {
      return f();
    } finally {
      this.site = undefined;
    }
  }

  /** The analysed file's call site recorded for an object built by another module's code. */
  siteOf(inst: InstanceV): CallSite | undefined {
    return this.instSites.get(inst);
  }

  /** An import statement of the analysed file running a module's top-level code. */
  private importSite(what: string): CallSite | undefined {
    if (this.site || this.currentFile !== this.fileName || !this.curNode || this.nodeFile(this.curNode)) return undefined;
    return { node: this.curNode, where: what };
  }

  /** A readable name for code defined in `file`: `torchvision.models.vgg16` in a stub, `Block` in a project file (whose line the message adds). */
  private codeName(file: string, name: string): string {
    return file.startsWith('<') && file.endsWith('>') ? `${file.slice(1, -1)}.${name}` : name;
  }

  private isOtherFile(file: string | undefined): file is string {
    return !!file && file !== this.fileName;
  }

  /** The site a call opens when the analysed file calls into another module's code (undefined otherwise). */
  private siteFor(fn: Value, node: Node): CallSite | undefined {
    const userNode = this.currentFile === this.fileName && !this.nodeFile(node) ? node : undefined;
    let where: string | undefined;
    let built: CallSite | undefined;
    let obj: InstanceV | undefined;
    switch (fn.k) {
      case 'func':
        if (this.isOtherFile(fn.file)) where = this.codeName(fn.file, fn.name);
        break;
      case 'class':
        if (this.isOtherFile(fn.file)) where = this.codeName(fn.file, fn.name);
        break;
      case 'bound':
        if (fn.self.k === 'instance') {
          obj = fn.self;
          built = this.instSites.get(fn.self);
        }
        if (fn.func.k === 'func' && this.isOtherFile(fn.func.file)) where = built?.where ?? this.codeName(fn.func.file, fn.func.name);
        break;
      case 'builtin':
        // A method of an object of another module's code (`decoder.forward(x)` on a library Transformer).
        if (fn.method && this.isOtherFile(fn.method.func.file)) {
          const self = fn.method.self;
          if (self.k === 'instance') {
            obj = self;
            built = this.instSites.get(self);
          }
          where = built?.where ?? (self.k === 'instance' && this.isOtherFile(self.cls.file) ? this.codeName(self.cls.file, self.cls.name) : this.codeName(fn.method.func.file, fn.method.func.name));
        }
        break;
      case 'instance':
        obj = fn;
        built = this.instSites.get(fn);
        if (built) where = built.where;
        else if (this.isOtherFile(fn.cls.file)) where = this.codeName(fn.cls.file, fn.cls.name);
        break;
      default:
        return undefined;
    }
    if (!where) return undefined;
    const at = userNode ?? built?.node;
    return at ? { node: at, where, obj } : undefined;
  }

  private runInFile<T>(file: string, f: () => T): T {
    const saved = this.currentFile;
    this.currentFile = file;
    const savedDepth = this.callDepth;
    const savedFrames = this.frames.length;
    try {
      return f();
    } finally {
      this.currentFile = saved;
      this.callDepth = savedDepth;
      this.frames.length = savedFrames;
    }
  }

  assign(target: Node, v: Value, scope: Scope): void {
    switch (target.t) {
      case 'Name':
        if (this.onAssign) this.onAssign(target, v);
        this.setVar(scope, target.id, v);
        return;
      case 'Tuple':
      case 'List': {
        const starIdx = target.elts.findIndex((e) => e.t === 'Starred');
        const items = this.iterate(v, target.elts.length);
        if (!items) {
          for (const e of target.elts) this.assign(e.t === 'Starred' ? e.value : e, unknown(`cannot unpack ${describe(v)}`), scope);
          return;
        }
        if (starIdx < 0) {
          if (items.length !== target.elts.length && (v.k === 'tuple' || v.k === 'list')) this.unpackMismatches++;
          target.elts.forEach((e, i) => this.assign(e, items[i] ?? unknown('not enough values to unpack'), scope));
          return;
        }
        const after = target.elts.length - starIdx - 1;
        target.elts.forEach((e, i) => {
          if (i < starIdx) this.assign(e, items[i] ?? unknown('unpack'), scope);
          else if (i === starIdx) this.assign((e as NodeOf<'Starred'>).value, list(items.slice(starIdx, items.length - after)), scope);
          else this.assign(e, items[items.length - (target.elts.length - i)] ?? unknown('unpack'), scope);
        });
        return;
      }
      case 'Attr': {
        const obj = this.eval(target.obj, scope);
        this.setAttr(obj, target.attr, v);
        return;
      }
      case 'Subscript': {
        const obj = this.eval(target.obj, scope);
        const idx = this.eval(target.index, scope);
        this.setItem(obj, idx, v);
        return;
      }
      case 'Starred':
        this.assign(target.value, v, scope);
        return;
      default:
        return;
    }
  }

  setVar(scope: Scope, name: string, v: Value): void {
    if (scope.globalNames?.has(name)) moduleScope(scope).vars.set(name, v);
    else if (scope.nonlocalNames?.has(name)) (enclosingWith(scope, name) ?? scope).vars.set(name, v);
    else scope.vars.set(name, v);
  }

  lookup(scope: Scope, name: string): Value | undefined {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v !== undefined) {
        if (this.globalReads && s === this.globals) this.globalReads.set(name, v);
        return v;
      }
    }
    // Not a global now: defining it later would change what this lookup finds.
    if (this.globalReads && !this.globalReads.has(name)) this.globalReads.set(name, undefined);
    return this.builtins.get(name);
  }

  // ---------------------------------------------------------------- definitions

  makeFunc(name: string, params: Param[], body: Node[], scope: Scope, node: Node, expr?: Node, defaultScope: Scope = scope): FuncV {
    const defaults = new Map<string, Value>();
    // Defaults are evaluated where the `def` stands: a method's in the class body (`kinds=(KIND_A,)`).
    for (const p of params) if (p.default) defaults.set(p.name, this.eval(p.default, defaultScope));
    return { k: 'func', name, params, body, defaults, closure: scope, node, expr, file: this.currentFile };
  }

  /** The value a `def` binds: the function with its decorators applied (closing over `scope`), noted by the trap when it watches it. */
  private defineFunction(s: NodeOf<'FunctionDef'>, scope: Scope, defScope: Scope = scope): Value {
    const base = this.makeFunc(s.name, s.params, s.body, scope, s, undefined, defScope);
    let v: Value = base;
    for (const d of [...s.decorators].reverse()) v = this.applyDecorator(d, v, defScope);
    if (this.trap && s === this.trap.def) {
      this.trap.made.push(base);
      if (v !== base && v.k === 'func' && v.node === s) this.trap.made.push(v);
    }
    return v;
  }

  private applyDecorator(d: Node, f: Value, scope: Scope): Value {
    const name = d.t === 'Name' ? d.id : d.t === 'Attr' ? d.attr : d.t === 'Call' && d.fn.t === 'Attr' ? d.fn.attr : d.t === 'Call' && d.fn.t === 'Name' ? d.fn.id : '';
    if (f.k !== 'func') return f;
    if (name === 'staticmethod') return { ...f, isStatic: true };
    if (name === 'classmethod') return { ...f, isClassMethod: true };
    if (name === 'property' || name === 'cached_property') return { ...f, isProperty: true };
    // `@dim.setter` / `@dim.deleter` on a property defined above: the property, with its setter.
    if ((name === 'setter' || name === 'deleter') && d.t === 'Attr') {
      const prop = this.eval(d.obj, scope);
      if (prop.k === 'func' && prop.isProperty) return name === 'setter' ? { ...prop, setter: f } : prop;
    }
    return this.applyUserDecorator(d, f, scope);
  }

  /**
   * A decorator written in Python (`@register_model`, `@MODELS.register_module()`, a timing
   * wrapper) is called on the function or class, for its side effects (a registry dict filled)
   * and its result when that is of the same kind. Library decorators (tf.function,
   * torch.no_grad, functools.wraps, lru_cache...) keep it as is.
   */
  private applyUserDecorator(d: Node, f: Value, scope: Scope): Value {
    const head = d.t === 'Call' ? d.fn : d;
    if (head.t !== 'Name' && head.t !== 'Attr') return f;
    if (head.t === 'Name') {
      const named = this.lookup(scope, head.id);
      if (!named || named.k !== 'func') return f;
    }
    const dv = this.eval(d, scope);
    if (dv.k !== 'func') return f;
    const r = this.call(dv, [f], NO_KWARGS, d);
    return r.k === f.k ? r : f;
  }

  private makeClass(s: NodeOf<'ClassDef'>, scope: Scope): ClassV {
    const bases: ClassV[] = [];
    let isEnum = false;
    let dictBase = false;
    for (const a of s.bases) {
      if (a.kind !== 'pos') continue;
      const b = this.eval(a.value, scope);
      if (b.k === 'class') {
        bases.push(b);
        if (b.enumClass) isEnum = true;
        if (b.dictBase) dictBase = true;
      } else if (b.k === 'modref' && /^enum\.(?:Enum|Flag)$/.test(b.path)) isEnum = true;
      else if (b.k === 'builtin' && !b.self && (b === this.builtins.get('dict') || b === this.builtins.get('collections.OrderedDict'))) dictBase = true;
    }
    const cls: ClassV = {
      k: 'class', name: s.name, qualname: s.name, bases, attrs: new Map(), node: s, file: this.currentFile,
      family: bases.find((b) => b.family)?.family,
    };
    if (dictBase && !cls.family) cls.dictBase = true;
    if (this.trap && s === this.trap.stmt) this.trap.classes.push(cls);
    const classScope: Scope = { vars: cls.attrs, parent: scope };
    // Methods close over the enclosing scope, not the class body (Python semantics).
    for (const st of s.body) {
      if (st.t === 'FunctionDef') cls.attrs.set(st.name, this.defineFunction(st, scope, classScope));
      else {
        try {
          this.exec(st, classScope);
        } catch (e) {
          if (e instanceof BudgetExceeded) throw e;
          if (!(e instanceof RangeError)) throw e;
        }
      }
    }
    if (!cls.family && this.isRecordClass(s, bases)) {
      this.makeRecord(cls, this.recordFields(s, cls, bases, classScope));
      if (bases.some((b) => b.tupleRecord) || namedTupleBase(s)) cls.tupleRecord = true;
    }
    if (isEnum) this.makeEnum(cls);
    this.initSubclass(cls, s, scope);
    this.runMetaclass(cls, s, scope);
    let v: Value = cls;
    for (const d of [...s.decorators].reverse()) if (lastName(d) !== 'dataclass') v = this.applyUserDecorator(d, v, scope);
    return v.k === 'class' ? v : cls;
  }

  /**
   * A base's `__init_subclass__(cls, **kwargs)` (an implicit classmethod), run as Python runs it
   * when the class statement ends, before decorators: with the class and the class statement's
   * keywords (`class ConvBNAct(Registered, key="cba")`). Registries fill themselves this way.
   */
  private initSubclass(cls: ClassV, s: NodeOf<'ClassDef'>, scope: Scope): void {
    const hook = this.findAttrWithOwner(cls, '__init_subclass__', cls);
    if (!hook || hook.v.k !== 'func') return;
    try {
      this.callFunc(hook.v, [cls], this.classKeywords(s, scope), { owner: hook.owner, self: cls });
    } catch (e) {
      if (e instanceof BudgetExceeded || !(e instanceof RangeError)) throw e;
    }
  }

  /** The keywords of a class statement other than `metaclass=` (`class A(Base, width=4)`), for __init_subclass__ and a metaclass. */
  private classKeywords(s: NodeOf<'ClassDef'>, scope: Scope): Map<string, Value> {
    const kw = new Map<string, Value>();
    for (const a of s.bases) if (a.kind === 'kw' && a.name !== 'metaclass') kw.set(a.name, this.eval(a.value, scope));
    return kw;
  }

  /** The class a user metaclass's `super().__new__(mcls, name, bases, ns)` returns: the one being made. */
  private metaNewClass: ClassV | undefined;

  /**
   * A user metaclass (named by `metaclass=`, or a base's): its `__new__(mcls, name, bases, ns, **kw)`
   * and `__init__(cls, name, bases, ns, **kw)` run on the class made (registries keyed by a class
   * attribute fill themselves this way). Its `super().__new__` gives that class back.
   */
  private runMetaclass(cls: ClassV, s: NodeOf<'ClassDef'>, scope: Scope): void {
    let meta: ClassV | undefined;
    for (const a of s.bases) {
      if (a.kind !== 'kw' || a.name !== 'metaclass') continue;
      const m = this.eval(a.value, scope);
      if (m.k === 'class' && !m.family) meta = m;
    }
    meta ??= cls.bases.find((b) => b.metaclass)?.metaclass;
    if (!meta) return;
    cls.metaclass = meta;
    const kw = this.classKeywords(s, scope);
    const ns: Value = { k: 'dict', keys: [...cls.attrs.keys()].map(str), vals: [...cls.attrs.values()] };
    const args = [str(cls.name), tuple(cls.bases), ns];
    const saved = this.metaNewClass;
    this.metaNewClass = cls;
    try {
      const make = this.findAttrWithOwner(meta, '__new__');
      if (make?.v.k === 'func') this.callFunc(make.v, [meta, ...args], kw, { owner: make.owner, self: meta });
      const init = this.findAttrWithOwner(meta, '__init__');
      if (init?.v.k === 'func') this.callFunc(init.v, [cls, ...args], kw, { owner: init.owner, self: cls });
    } catch (e) {
      if (e instanceof BudgetExceeded || !(e instanceof RangeError)) throw e;
    } finally {
      this.metaNewClass = saved;
    }
  }

  /**
   * `class Size(enum.Enum)`: each plain value in the body becomes a member object with its
   * `.value` and `.name` (`Size.LARGE.value`). IntEnum / StrEnum members are not made objects:
   * they are used as the numbers and strings they are.
   */
  private makeEnum(cls: ClassV): void {
    cls.enumClass = true;
    for (const [name, v] of cls.attrs) {
      if (name.startsWith('_') || (!PLAIN_KINDS.has(v.k) && v.k !== 'tuple')) continue;
      cls.attrs.set(name, { k: 'instance', cls, attrs: new Map<string, Value>([['value', v], ['name', str(name)]]), id: this.newId() });
    }
  }

  /** `Norm("gn")`: the enum's member with that value (a value it does not have raises: Unknown). */
  private enumLookup(cls: ClassV, v: Value | undefined): Value {
    if (!v || v.k === 'unknown') return unknown(`${cls.name}() of a value not known`);
    if (v.k === 'instance' && v.cls === cls) return v;
    for (const c of this.mro(cls)) {
      for (const m of c.attrs.values()) {
        if (m.k !== 'instance' || m.cls !== c) continue;
        const mv = m.attrs.get('value');
        if (mv && valuesEqual(mv, v) === true) return m;
      }
    }
    return unknown(`${cls.name}(${describe(v)}) is not a member`);
  }

  /** @dataclass (bare, called, or dataclasses.dataclass), a typing.NamedTuple subclass, or a subclass of a record class. */
  private isRecordClass(s: NodeOf<'ClassDef'>, bases: ClassV[]): boolean {
    return s.decorators.some((d) => lastName(d) === 'dataclass') || namedTupleBase(s) || bases.some((b) => b.fields);
  }

  /**
   * The fields of a record class in order: a base's first, then each annotated name of the
   * body (a redefinition keeps its place), with its default (`= value`, `field(default=...)`)
   * or its factory (`field(default_factory=...)`). (The tree keeps no annotations, so a
   * `ClassVar[...]` name is taken for a field too.)
   */
  private recordFields(s: NodeOf<'ClassDef'>, cls: ClassV, bases: ClassV[], classScope: Scope): RecordField[] {
    const fields: RecordField[] = [];
    const put = (f: RecordField) => {
      const i = fields.findIndex((x) => x.name === f.name);
      if (i >= 0) fields[i] = f;
      else fields.push(f);
    };
    for (const b of [...bases].reverse()) for (const f of b.fields ?? []) put(f);
    for (const st of s.body) {
      if (st.t !== 'AnnAssign' || st.target.t !== 'Name') continue;
      const name = st.target.id;
      const v = st.value;
      if (v && v.t === 'Call' && ((v.fn.t === 'Name' && v.fn.id === 'field') || (v.fn.t === 'Attr' && v.fn.attr === 'field'))) {
        const kw = (k: string) => v.args.find((a) => a.kind === 'kw' && a.name === k);
        const dflt = kw('default');
        const factory = kw('default_factory');
        const f: RecordField = { name };
        if (dflt) f.default = this.eval(dflt.value, classScope);
        else if (factory) f.factory = this.eval(factory.value, classScope);
        // What field() left on the class is not a value of the field.
        if (f.default) cls.attrs.set(name, f.default);
        else cls.attrs.delete(name);
        put(f);
      } else put(v ? { name, default: cls.attrs.get(name) ?? unknown(`default of ${name}`) } : { name });
    }
    return fields;
  }

  /**
   * Gives a record class its fields and, unless it defines one, the __init__ Python generates:
   * arguments bound to the fields by position and keyword, defaults and factories for the
   * rest, then __post_init__ when the class has one.
   */
  makeRecord(cls: ClassV, fields: RecordField[]): ClassV {
    cls.fields = fields;
    if (cls.attrs.has('__init__')) return cls;
    cls.attrs.set('__init__', {
      k: 'builtin', name: '__init__',
      call: (c, [self, ...args], kwargs) => {
        if (!self || self.k !== 'instance') return NONE;
        const ip = c.interp;
        fields.forEach((f, i) => {
          const v = i < args.length ? args[i]
            : kwargs.get(f.name) ?? kwargs.get(OPEN_KWARGS) ?? f.default ?? (f.factory ? ip.call(f.factory, [], NO_KWARGS, c.node) : unknown(`${cls.name}.${f.name} was not given`));
          self.attrs.set(f.name, v);
        });
        const post = ip.findAttrWithOwner(self.cls, '__post_init__');
        if (post && post.v.k === 'func') ip.callMethod(post.v, post.owner, self, [], NO_KWARGS);
        return NONE;
      },
    });
    return cls;
  }

  // ---------------------------------------------------------------- expressions

  eval(n: Node, scope: Scope): Value {
    this.tick();
    switch (n.t) {
      case 'Name': {
        const v = this.lookup(scope, n.id);
        if (v === undefined) return unknown(`name '${n.id}' is not defined here`);
        return v;
      }
      case 'Num':
        return n.isInt ? int(n.v) : float(n.v);
      case 'Str':
        return str(n.v);
      case 'FStr': {
        let out = '';
        for (const p of n.parts) {
          if (typeof p === 'string') out += p;
          else {
            const v = this.eval(p, scope);
            const s = this.toStr(v);
            if (s === null) return unknown('f-string with an unknown value');
            out += s;
          }
        }
        return str(out);
      }
      case 'Const':
        return n.v === null ? NONE : bool(n.v);
      case 'Ellipsis':
        return str('...');
      case 'Attr': {
        const obj = this.eval(n.obj, scope);
        this.curNode = n;
        return this.getAttr(obj, n.attr, n);
      }
      case 'Subscript': {
        const obj = this.eval(n.obj, scope);
        const idx = this.eval(n.index, scope);
        this.curNode = n;
        return this.getItem(obj, idx);
      }
      case 'Slice':
        return {
          k: 'slice',
          start: n.start ? this.eval(n.start, scope) : NONE,
          stop: n.stop ? this.eval(n.stop, scope) : NONE,
          step: n.step ? this.eval(n.step, scope) : NONE,
        };
      case 'Call':
        return this.evalCall(n, scope);
      case 'BinOp': {
        const a = this.eval(n.left, scope);
        const b = this.eval(n.right, scope);
        this.curNode = n;
        return this.binop(n.op, a, b);
      }
      case 'UnaryOp': {
        const a = this.eval(n.operand, scope);
        this.curNode = n;
        return this.unary(n.op, a);
      }
      case 'BoolOp': {
        const a = this.eval(n.left, scope);
        const t = this.truthy(a);
        if (t === null) {
          const b = this.eval(n.right, scope);
          return a.k === 'unknown' ? a : b.k === 'unknown' ? b : unknown('boolean of unknown values');
        }
        if (n.op === 'and') return t ? this.eval(n.right, scope) : a;
        return t ? a : this.eval(n.right, scope);
      }
      case 'Compare': {
        let left = this.eval(n.operands[0], scope);
        let result: Value = TRUE;
        for (let i = 0; i < n.ops.length; i++) {
          const right = this.eval(n.operands[i + 1] ?? n.operands[0], scope);
          const r = this.compare(n.ops[i], left, right);
          if (r.k === 'tensor') return r;
          const t = this.truthy(r);
          if (t === false) return FALSE;
          if (t === null) result = unknown('comparison of unknown values');
          left = right;
        }
        return result;
      }
      case 'IfExp': {
        const t = this.truthy(this.eval(n.test, scope));
        if (t === null) return this.eval(n.body, scope);
        return t ? this.eval(n.body, scope) : this.eval(n.orelse, scope);
      }
      case 'Tuple':
        return tuple(this.evalElts(n.elts, scope));
      case 'List':
        return list(this.evalElts(n.elts, scope));
      case 'Set':
        return setOf(this.evalElts(n.elts, scope), valuesEqual);
      case 'Dict': {
        const d: DictV = { k: 'dict', keys: [], vals: [] };
        n.keys.forEach((kn, i) => {
          const v = this.eval(n.values[i], scope);
          if (kn === null) {
            if (v.k === 'dict') v.keys.forEach((kk, j) => dictSet(d, kk, v.vals[j]));
          } else dictSet(d, this.eval(kn, scope), v);
        });
        return d;
      }
      case 'Starred':
        return this.eval(n.value, scope);
      case 'Lambda':
        return this.makeFunc('<lambda>', n.params, [], scope, n, n.body);
      case 'Comp':
        return this.evalComp(n, scope);
      case 'Yield':
        return this.yieldValue(n, scope);
      case 'NamedExpr': {
        const v = this.eval(n.value, scope);
        this.assign(n.target, v, scope);
        return v;
      }
      case 'MatchTest': {
        const subject = this.eval(n.subject, scope);
        if (!n.reuse) this.setVar(scope, n.store, subject);
        const r = this.matchPattern(n.pat, subject, scope);
        return r === null ? unknown('whether the case pattern matches') : bool(r);
      }
      default:
        return unknown(`unsupported syntax (${n.t === 'Unsupported' ? n.what : n.t})`);
    }
  }

  /**
   * Whether `v` matches a case pattern (binding its capture names in `scope` as it goes, as
   * CPython does); null when that is not known (an unknown subject, an isinstance not known).
   */
  private matchPattern(pat: Pattern, v: Value, scope: Scope): boolean | null {
    switch (pat.p) {
      case 'wild':
        return true;
      case 'capture':
        this.setVar(scope, pat.name, v);
        return true;
      case 'value': {
        if (v.k === 'unknown') return null;
        const want = this.eval(pat.value, scope);
        const e = valuesEqual(v, want);
        // Plain values of different kinds (a tuple against -2, a string against None) are not equal.
        if (e !== null || !MATCH_PLAIN.has(v.k) || !MATCH_PLAIN.has(want.k)) return e;
        const [vn, wn] = [numOf(v) !== null, numOf(want) !== null];
        return vn !== wn || (!vn && v.k !== want.k) ? false : null;
      }
      case 'as': {
        const r = this.matchPattern(pat.pat, v, scope);
        if (r) this.setVar(scope, pat.name, v);
        return r;
      }
      case 'or': {
        let r: boolean | null = false;
        for (const alt of pat.alts) {
          const m = this.matchPattern(alt, v, scope);
          if (m) return true;
          if (m === null) r = null;
        }
        return r;
      }
      case 'seq': {
        if (v.k === 'unknown' || v.k === 'tensor') return null;
        // Objects are not sequences (a named tuple is); strings never match a sequence pattern.
        if (v.k === 'instance' && v.cls.tupleRecord) return null;
        if (v.k !== 'list' && v.k !== 'tuple') return false;
        if (v.k === 'list' && v.partial) return null;
        const items = v.items;
        const n = pat.items.length;
        if (pat.star ? items.length < n : items.length !== n) return false;
        const at = pat.star ? pat.star.at : n;
        const tail = n - at;
        let r: boolean | null = true;
        for (let i = 0; i < n; i++) {
          const m = this.matchPattern(pat.items[i], i < at ? items[i] : items[items.length - tail + (i - at)], scope);
          if (m === false) return false;
          if (m === null) r = null;
        }
        if (pat.star?.name) this.setVar(scope, pat.star.name, list(items.slice(at, items.length - tail)));
        return r;
      }
      case 'map': {
        if (v.k === 'unknown') return null;
        if (v.k !== 'dict') return false;
        let r: boolean | null = true;
        const used: Value[] = [];
        for (let i = 0; i < pat.keys.length; i++) {
          const key = this.eval(pat.keys[i], scope);
          const got = dictGet(v, key);
          if (got === undefined) return key.k === 'unknown' ? null : false;
          used.push(key);
          const m = this.matchPattern(pat.vals[i], got, scope);
          if (m === false) return false;
          if (m === null) r = null;
        }
        if (pat.rest) {
          const keep = v.keys.map((k, i) => [k, v.vals[i]] as const).filter(([k]) => !used.some((u) => valuesEqual(u, k) === true));
          this.setVar(scope, pat.rest, { k: 'dict', keys: keep.map(([k]) => k), vals: keep.map(([, x]) => x) });
        }
        return r;
      }
      case 'class': {
        const cls = this.eval(pat.cls, scope);
        const isinst = this.builtins.get('isinstance');
        const is = isinst ? this.truthy(this.call(isinst, [v, cls], NO_KWARGS, pat.cls)) : null;
        if (is !== true) return is;
        let r: boolean | null = true;
        const sub = (p: Pattern, x: Value): boolean => {
          const m = this.matchPattern(p, x, scope);
          if (m === null) r = null;
          return m !== false;
        };
        if (pat.args.length) {
          // int(x), str(x)...: a built-in type's one positional matches the subject itself; a class's follow __match_args__.
          if (cls.k === 'builtin') {
            if (pat.args.length !== 1 || !sub(pat.args[0], v)) return r === null ? null : false;
          } else if (cls.k === 'class') {
            const ma = this.findAttr(cls, '__match_args__');
            const names = ma && (ma.k === 'tuple' || ma.k === 'list') ? ma.items.map((x) => (x.k === 'str' ? x.v : null)) : cls.fields?.map((f) => f.name);
            if (!names || pat.args.length > names.length || names.some((x) => x === null)) return null;
            for (let i = 0; i < pat.args.length; i++) if (!sub(pat.args[i], this.getAttr(v, names[i]!))) return false;
          } else return null;
        }
        for (const { name, pat: p } of pat.kw) {
          const x = this.getAttr(v, name);
          if (x.k === 'unknown') return null;
          if (!sub(p, x)) return false;
        }
        return r;
      }
      default:
        return null;
    }
  }

  private evalElts(elts: Node[], scope: Scope): Value[] {
    const out: Value[] = [];
    for (const e of elts) {
      if (e.t === 'Starred') {
        const v = this.eval(e.value, scope);
        const items = this.iterate(v);
        if (items) out.push(...items);
        // A '*' reason marks an unknown number of items (sizeList gives up on it).
        else out.push(unknown(`*${describe(v)} could not be unpacked`));
      } else out.push(this.eval(e, scope));
    }
    return out;
  }

  private evalComp(n: NodeOf<'Comp'>, scope: Scope): Value {
    const inner: Scope = { vars: new Map(), parent: scope };
    const out: Value[] = [];
    const d: DictV = { k: 'dict', keys: [], vals: [] };
    let unknownIter: Value | null = null;
    const loop = (gi: number): void => {
      if (gi === n.gens.length) {
        if (n.kind === 'dict' && n.key) dictSet(d, this.eval(n.key, inner), this.eval(n.elt, inner));
        else out.push(this.eval(n.elt, inner));
        if (out.length > this.budget.maxListLength) throw new BudgetExceeded('comprehension too long');
        return;
      }
      const g = n.gens[gi];
      const items = this.iterate(this.eval(g.iter, gi === 0 ? scope : inner));
      if (!items) {
        unknownIter = unknown('comprehension over an unknown iterable');
        return;
      }
      let count = 0;
      // `[make_sample() for _ in range(n)]`: a list made item by item may repeat itself (repeatedItem).
      const simple = gi === 0 && n.gens.length === 1 && !g.ifs.length && n.kind !== 'dict';
      const start = this.steps;
      // As in a loop, what an item's making does to objects made for it is no effect beyond it.
      const outerFresh = this.freshFrom;
      try {
        for (const it of items) {
          if (simple) this.freshFrom = this.nextId;
          if (++count > this.budget.maxLoopIterations) break;
          this.assign(g.target, it, inner);
          let ok = true;
          for (const cond of g.ifs) {
            const t = this.truthy(this.eval(cond, inner));
            if (t === false) {
              ok = false;
              break;
            }
          }
          const effects = this.effects;
          if (ok) loop(gi + 1);
          if (simple && count < items.length && this.steps - start > this.budget.quietDataLoopSteps && this.effects === effects && repeatedItem(out)) {
            if (out.length + items.length - count > this.budget.maxListLength) continue;
            const like = repeatLike(out[out.length - 1], `an item of the comprehension at line ${n.line + 1} made like the ones before, not followed`);
            for (let i = count; i < items.length; i++) out.push(like);
            this.note(`Line ${n.line + 1}: a comprehension's items repeat themselves after ${count} of ${items.length}; the rest are taken to be like the last (same shapes, ints and strings unknown)`);
            break;
          }
        }
      } finally {
        this.freshFrom = outerFresh;
      }
    };
    loop(0);
    if (unknownIter && out.length === 0 && d.keys.length === 0) return unknownIter;
    if (n.kind === 'dict') return d;
    return n.kind === 'gen' ? tuple(out) : n.kind === 'set' ? setOf(out, valuesEqual) : list(out);
  }

  // ---------------------------------------------------------------- calls

  private evalCall(n: NodeOf<'Call'>, scope: Scope): Value {
    // super() with no arguments: bound to the enclosing method's class and self.
    if (n.fn.t === 'Name' && n.fn.id === 'super' && this.lookup(scope, 'super') === this.builtins.get('super')) {
      return this.makeSuper(scope, n);
    }
    const fn = this.eval(n.fn, scope);
    const { args, kwargs } = this.evalArgs(n.args, scope);
    this.curNode = n;
    return this.call(fn, args, kwargs, n);
  }

  evalArgs(argNodes: Arg[], scope: Scope): { args: Value[]; kwargs: Map<string, Value> } {
    const args: Value[] = [];
    // Most calls pass no keyword: they share one empty map (which no callee changes).
    let kwargs = NO_KWARGS;
    for (const a of argNodes) {
      if (a.kind === 'pos') args.push(this.eval(a.value, scope));
      else if (a.kind === 'kw') {
        if (kwargs === NO_KWARGS) kwargs = new Map();
        kwargs.set(a.name, this.eval(a.value, scope));
      }
      else if (a.kind === 'star') {
        const v = this.eval(a.value, scope);
        const items = this.iterate(v);
        if (items) args.push(...items);
        else args.push(unknown(`*${describe(v)} could not be unpacked`));
      } else {
        const v = this.eval(a.value, scope);
        if (v.k === 'dict' && v.keys.every((k) => k.k === 'str')) {
          if (!v.keys.length) continue;
          if (kwargs === NO_KWARGS) kwargs = new Map();
          const into = kwargs;
          v.keys.forEach((k, i) => k.k === 'str' && into.set(k.v, v.vals[i]));
        } else {
          // `**cfg` of a value not known: any parameter may come from it, so none takes its default (OPEN_KWARGS).
          if (kwargs === NO_KWARGS) kwargs = new Map();
          kwargs.set(OPEN_KWARGS, unknown(`**${describe(v)}, whose keys are not known`));
        }
      }
    }
    return { args, kwargs };
  }

  /** What exec does for an `if` statement before its branch runs (a step of a run that enters the `if`): its branch. */
  enterIf(s: NodeOf<'If'>, scope: Scope): Node[] {
    this.tick();
    this.curNode = s;
    return this.branchOf(s, scope);
  }

  /** The branch an `if` statement takes, its test evaluated once. */
  branchOf(s: NodeOf<'If'>, scope: Scope): Node[] {
    const c = this.truthy(this.eval(s.test, scope));
    if (c === null) {
      // A guard that leaves early (`if rows.numel() == 0: return x`, `... continue`): the
      // main path is the code after it.
      const last = s.body[s.body.length - 1];
      if (s.orelse.length === 0 && last && (last.t === 'Return' || last.t === 'Continue' || last.t === 'Break' || last.t === 'Raise')) {
        this.note(`Line ${s.line + 1}: condition not known statically; followed the code after the early exit`);
        return s.orelse;
      }
      // Otherwise follow the first branch (model code's main path) and say so.
      this.note(`Line ${s.line + 1}: condition not known statically; followed the first branch`);
      return s.body;
    }
    return c ? s.body : s.orelse;
  }

  private makeSuper(scope: Scope, n: Node): Value {
    const self = this.lookup(scope, '__self__') ?? this.firstParam(scope);
    const cls = this.lookup(scope, '__class__');
    if (!self || !cls || cls.k !== 'class') return unknown('super() outside a method');
    return { k: 'builtin', name: 'super', self, call: () => unknown('super object'), ...{ superOf: cls } } as BuiltinV & { superOf: ClassV };
    void n;
  }

  private firstParam(scope: Scope): Value | undefined {
    return scope.vars.get('self');
  }

  /** Calls any callable value. Never throws on user code (BudgetExceeded aside). */
  call(fn: Value, args: Value[], kwargs: Map<string, Value> = NO_KWARGS, node: Node = this.curNode!): Value {
    this.tick();
    let r: Value | undefined;
    if (!this.site && (fn.k === 'func' || fn.k === 'class' || fn.k === 'bound' || fn.k === 'instance' || (fn.k === 'builtin' && fn.method))) {
      const site = this.siteFor(fn, node);
      if (site) r = this.withSite(site, () => this.callValue(fn, args, kwargs, node));
    }
    r ??= this.callValue(fn, args, kwargs, node);
    if (r.k === 'tensor') this.tensorWork++;
    return r;
  }

  private callValue(fn: Value, args: Value[], kwargs: Map<string, Value>, node: Node): Value {
    switch (fn.k) {
      case 'func':
        return this.callFunc(fn, args, kwargs);
      case 'builtin':
        return this.callBuiltin(fn, fn.self ? [fn.self, ...args] : args, kwargs, node, !!fn.self);
      case 'bound':
        return fn.func.k === 'func' ? this.callFunc(fn.func, [fn.self, ...args], kwargs) : this.callBuiltin(fn.func, [fn.self, ...args], kwargs, node, true);
      case 'class':
        return this.instantiate(fn, args, kwargs, node);
      case 'instance': {
        this.instanceCalls++;
        if (!this.instancesCalled.has(fn)) {
          this.instancesCalled.add(fn);
          this.effects++;
        }
        for (const rt of this.runtimes) {
          const v = rt.callInstance?.(this, fn, args, kwargs, node);
          if (v) return v;
        }
        const m = this.findAttr(fn.cls, '__call__');
        if (m && m.k === 'func') return this.callFunc(m, [fn, ...args], kwargs);
        return unknown(`${fn.cls.name} object is not callable here`);
      }
      case 'modref': {
        // A framework function the engine does not model, called on tensors with graph history
        // (`tf.nn.fancy_op(x)` between Keras layers): a weightless graph node whose output is a
        // tensor of unknown shape, so the model keeps its other layers.
        if (GRAPH_FUNCTION.test(fn.path) && (hasHistory(args) || hasHistory(kwargs.values()))) {
          this.note(`Line ${node.line + 1}: ${fn.path}() is not modelled; its result is a tensor of unknown shape`);
          const r: Value = { k: 'unknown', why: `${fn.path}() is not modelled`, tensor: true };
          return this.tensorOpEvent({ kind: 'call', name: fn.path, args, kwargs, node, method: false, rerun: () => r }, r);
        }
        // A tensor function the engine does not model returns a tensor of unknown shape:
        // an operator with it then does not take the other operand's shape (as for a scalar).
        if (TENSOR_FUNCTION.test(fn.path) && !NOT_TENSOR_FUNCTION.test(fn.path)) {
          this.note(`Line ${node.line + 1}: ${fn.path}() is not modelled; its result is a tensor of unknown shape`);
          return { k: 'unknown', why: `${fn.path}() is not modelled`, tensor: true };
        }
        if (LOADER_FUNCTION.test(fn.path)) return { k: 'unknown', why: `what ${fn.path}() returns is not known`, loaded: true };
        return unknown(`${fn.path}() is not modelled`);
      }
      case 'unknown':
        return fn;
      default:
        return unknown(`${describe(fn)} is not callable`);
    }
  }

  /** A builtin call; framework functions and tensor methods on tensors with graph history are offered to the runtimes. */
  private callBuiltin(fn: BuiltinV, args: Value[], kwargs: Map<string, Value>, node: Node, method: boolean): Value {
    const r = fn.call(this.ctx(node), args, kwargs);
    const isOp = method ? args[0]?.k === 'tensor' : fn.name.includes('.') || fn.name === 'abs';
    if (isOp && (hasHistory(args) || (kwargs.size > 0 && hasHistory(kwargs.values())))) {
      return this.tensorOpEvent({ kind: 'call', name: fn.name, args, kwargs, node, method, rerun: (a, k) => fn.call(this.ctx(node), a, k) }, r);
    }
    return r;
  }

  /** Calls a Python function; a method also gets `__class__` / `__self__` (for zero-argument super()). */
  callFunc(f: FuncV, args: Value[], kwargs: Map<string, Value>, method?: { owner: ClassV; self: Value }): Value {
    this.calledFuncs.add(f.node);
    let callers = this.callsSeen.get(f.node);
    if (!callers) this.callsSeen.set(f.node, (callers = new Set()));
    if (!callers.has(method?.self)) {
      callers.add(method?.self);
      if (!this.isFresh(method?.self)) this.effects++;
    }
    if (this.trap && f.node === this.trap.def) {
      // The run is lost from here (analyze.ts BodyEdit): it ends now, as when the budget runs out.
      this.trap.called = true;
      throw new BudgetExceeded('the edited function was called');
    }
    if (this.callDepth >= this.budget.maxCallDepth) {
      this.note(`Call depth limit reached in ${f.name}()`);
      this.runaway.set(f.node, 0);
      return unknown('recursion limit');
    }
    // A function that once recursed to the depth limit (a class whose __init__ makes itself,
    // as half-typed code can leave it) is not entered again while it runs: each frame the
    // first descent left would otherwise descend again from its loop, without end in sight.
    const running = this.runaway.size ? this.runaway.get(f.node) : undefined;
    if (running !== undefined) {
      if (running > 0) return unknown(`${f.name}() calls itself without end`);
      this.runaway.set(f.node, 1);
      try {
        return this.enterFunc(f, args, kwargs, method);
      } finally {
        this.runaway.set(f.node, 0);
      }
    }
    return this.enterFunc(f, args, kwargs, method);
  }

  /**
   * Functions that reached the call depth limit, each with whether a call to it is running
   * (callFunc): set once one does, so rarely more than one or two.
   */
  private readonly runaway = new Map<Node, number>();

  private enterFunc(f: FuncV, args: Value[], kwargs: Map<string, Value>, method?: { owner: ClassV; self: Value }): Value {
    const scope: Scope = { vars: new Map(), parent: f.closure };
    if (method) {
      scope.vars.set('__class__', method.owner);
      scope.vars.set('__self__', method.self);
    }
    this.bindParams(f, args, kwargs, scope);
    this.callDepth++;
    this.frames.push({ func: f, scope });
    const savedFile = this.currentFile;
    if (f.file) this.currentFile = f.file;
    const gen: Generator | undefined = !f.expr && isGeneratorDef(f.node) ? { items: [] } : undefined;
    if (gen) this.generators.push(gen);
    try {
      if (f.expr) return this.eval(f.expr, scope);
      if (gen) return this.runGenerator(f, scope, gen);
      const sig = this.execBlock(f.body, scope);
      if (sig && sig.t === 'return') return sig.v;
      if (sig === RAISED && this.handledErrors > 0) this.raising = true;
      if (sig && sig.t === 'raise') return unknown(`${f.name}() raises here`);
      return NONE;
    } finally {
      if (gen) this.generators.pop();
      this.callDepth--;
      this.frames.pop();
      this.currentFile = savedFile;
    }
  }

  /**
   * A generator function's call: its body runs to the end at once, and what it yields is the
   * generator, as a list (iterating it, `next()`, `list()` read the items in order). A body
   * that yields more than MAX_GENERATOR_ITEMS (an endless `while True: yield batch`) is
   * stopped there; the list then holds those items and is marked as having more.
   */
  private runGenerator(f: FuncV, scope: Scope, gen: Generator): Value {
    try {
      this.execBlock(f.body, scope);
    } catch (e) {
      if (!(e instanceof GeneratorFull && e.gen === gen)) throw e;
    }
    return gen.partial ? { k: 'list', items: gen.items, partial: gen.partial } : list(gen.items);
  }

  /** The generator functions running (enterFunc), innermost last: a `yield` adds to the last one. */
  private readonly generators: Generator[] = [];

  /** `yield x` / `yield from xs` in a running generator function: its items grow; the expression's value (what `send` gives) is None. */
  private yieldValue(n: NodeOf<'Yield'>, scope: Scope): Value {
    const v = n.value ? this.eval(n.value, scope) : NONE;
    const gen = this.generators[this.generators.length - 1];
    if (!gen) return NONE;
    // An effect beyond the iteration: a loop that yields does not end early (repeated).
    this.effects++;
    const items = n.from ? this.iterate(v) : [v];
    if (!items) gen.partial = `yield from ${describe(v)}`;
    for (const it of items ?? []) {
      if (gen.items.length >= MAX_GENERATOR_ITEMS) {
        gen.partial = `the generator yields more than ${MAX_GENERATOR_ITEMS.toLocaleString('en-US')} items`;
        throw new GeneratorFull(gen);
      }
      gen.items.push(it);
    }
    return NONE;
  }

  private bindParams(f: FuncV, args: Value[], kwargs: Map<string, Value>, scope: Scope): void {
    let i = 0;
    // Names bound so far: needed only to fill a `**kwargs` parameter (always the last one).
    const last = f.params[f.params.length - 1];
    const used = last && last.star === '**' ? new Set<string>() : undefined;
    for (const p of f.params) {
      if (p.star === '*') {
        scope.vars.set(p.name, tuple(args.slice(i)));
        i = args.length;
        continue;
      }
      if (p.star === '**') {
        const open = kwargs.get(OPEN_KWARGS);
        const d: DictV = { k: 'dict', keys: [], vals: [] };
        for (const [k, v] of kwargs) if (k !== OPEN_KWARGS && !used?.has(k) && !f.params.some((q) => q.name === k && !q.star)) dictSet(d, str(k), v);
        scope.vars.set(p.name, open ?? d);
        continue;
      }
      if (!p.kwOnly && i < args.length) {
        scope.vars.set(p.name, args[i++]);
        used?.add(p.name);
      } else if (kwargs.has(p.name)) {
        scope.vars.set(p.name, kwargs.get(p.name)!);
        used?.add(p.name);
      } else if (kwargs.has(OPEN_KWARGS)) scope.vars.set(p.name, kwargs.get(OPEN_KWARGS)!);
      else if (f.defaults.has(p.name)) scope.vars.set(p.name, f.defaults.get(p.name)!);
      else scope.vars.set(p.name, unknown(`argument '${p.name}' not given`));
    }
  }

  instantiate(cls: ClassV, args: Value[], kwargs: Map<string, Value>, node: Node): Value {
    const v = this.construct(cls, args, kwargs, node);
    // A plain object made again where it was made before (`dist = Categorical(logits=...)` in
    // each iteration of a loop) repeats that work; what its constructor does beyond it counts
    // apart. A new module, layer or parameter is new work: it may be registered on a model
    // by a method the loop calls (`self.add_module(name, layer)`), and a Keras layer takes the
    // next auto-name.
    const plain = v.k === 'instance' && !v.children && !v.layer && v.cls.family !== 'keras';
    if (!plain || this.instantiatedAt.get(node) !== cls) {
      this.instantiatedAt.set(node, cls);
      this.effects++;
    }
    return v;
  }

  private construct(cls: ClassV, args: Value[], kwargs: Map<string, Value>, node: Node): Value {
    for (const rt of this.runtimes) {
      const v = rt.instantiate?.(this, cls, args, kwargs, node);
      if (v) {
        if (v.k === 'instance') {
          if (this.site && !this.instSites.has(v)) this.instSites.set(v, this.site);
          if (!BORN_AT.has(v)) BORN_AT.set(v, node);
        }
        return v;
      }
    }
    if (cls.dictBase) return this.instantiateDict(cls, args, kwargs, node);
    if (cls.enumClass) return this.enumLookup(cls, args[0]);
    const inst: InstanceV = { k: 'instance', cls, attrs: new Map(), id: this.newId(), node };
    BORN_AT.set(inst, node);
    if (this.site) this.instSites.set(inst, this.site);
    const init = this.findAttr(cls, '__init__');
    if (init && init.k === 'func') this.callMethod(init, cls, inst, args, kwargs);
    else if (init && init.k === 'builtin') init.call(this.ctx(node), [inst, ...args], kwargs);
    return inst;
  }

  /**
   * An instance of a dict subclass (`class AttrDict(dict)`): a dict that knows its class. Its
   * __init__ runs with it as self (`super().__init__(*args, **kwargs)` fills it, dictInit);
   * without one, the arguments fill it as dict() would.
   */
  private instantiateDict(cls: ClassV, args: Value[], kwargs: Map<string, Value>, node: Node): Value {
    const d: DictV = { k: 'dict', keys: [], vals: [], cls };
    const init = this.findAttrWithOwner(cls, '__init__');
    if (init?.v.k === 'func') this.callMethod(init.v, init.owner, d, args, kwargs);
    else this.dictInit(d, args, kwargs, node);
    return d;
  }

  /** dict.__init__(self, *args, **kwargs) on a dict subclass's instance: dict()'s entries added to it. */
  private dictInit(d: DictV, args: Value[], kwargs: Map<string, Value>, node: Node): Value {
    const made = (this.builtins.get('dict') as BuiltinV).call(this.ctx(node), args, kwargs);
    if (made.k === 'dict') made.keys.forEach((k, i) => dictSet(d, k, made.vals[i]));
    return NONE;
  }

  /** Calls a method defined on `owner` with `self`, making zero-argument super() work inside it. */
  callMethod(f: FuncV, owner: ClassV, self: Value, args: Value[], kwargs: Map<string, Value>): Value {
    return this.callFunc(f, [self, ...args], kwargs, { owner, self });
  }

  /**
   * `obj.<name>(*args)` for a method its class defines, in Python or built in (`__len__`,
   * `__getitem__`, `__init__`); undefined when the class has no such method.
   */
  callOwnMethod(obj: InstanceV, name: string, args: Value[], kwargs: Map<string, Value> = NO_KWARGS, node: Node = this.curNode!): Value | undefined {
    const m = this.findAttrWithOwner(obj.cls, name);
    if (m?.v.k === 'func') return this.callMethod(m.v, m.owner, obj, args, kwargs);
    if (m?.v.k === 'builtin') return m.v.call(this.ctx(node), [obj, ...args], kwargs);
    return undefined;
  }

  private readonly mroCache = new WeakMap<ClassV, ClassV[]>();

  /** Method resolution order: depth-first, left-to-right, duplicates removed keeping the last (C3 for common cases). */
  mro(cls: ClassV): ClassV[] {
    const cached = this.mroCache.get(cls);
    if (cached) return cached;
    const res = this.computeMro(cls);
    this.mroCache.set(cls, res);
    return res;
  }

  private computeMro(cls: ClassV): ClassV[] {
    const out: ClassV[] = [];
    const visit = (c: ClassV, depth: number) => {
      if (depth > 50) return;
      out.push(c);
      for (const b of c.bases) visit(b, depth + 1);
    };
    visit(cls, 0);
    const seen = new Set<ClassV>();
    const res: ClassV[] = [];
    for (let i = out.length - 1; i >= 0; i--) {
      if (!seen.has(out[i])) {
        seen.add(out[i]);
        res.unshift(out[i]);
      }
    }
    return res;
  }

  /** Looks an attribute up along the MRO; returns the value and the class that defines it. */
  findAttrWithOwner(cls: ClassV, name: string, after?: ClassV): { v: Value; owner: ClassV } | undefined {
    const m = this.mro(cls);
    let start = 0;
    if (after) {
      const i = m.indexOf(after);
      start = i >= 0 ? i + 1 : m.length;
    }
    for (let i = start; i < m.length; i++) {
      const v = m[i].attrs.get(name);
      if (v !== undefined) return { v, owner: m[i] };
    }
    return undefined;
  }

  findAttr(cls: ClassV, name: string): Value | undefined {
    return this.findAttrWithOwner(cls, name)?.v;
  }

  isSubclass(cls: ClassV, qualname: string): boolean {
    return this.mro(cls).some((c) => c.qualname === qualname);
  }

  // ---------------------------------------------------------------- attributes and items

  getAttr(obj: Value, name: string, node: Node = this.curNode!): Value {
    for (const rt of this.runtimes) {
      const v = rt.getAttr?.(this, obj, name, node);
      if (v) return v;
    }
    switch (obj.k) {
      case 'modref':
        if (obj.scope) {
          const v = obj.scope.vars.get(name);
          if (v !== undefined) return v;
          if (obj.file && !obj.file.startsWith('<')) return this.moduleAttr(obj, name);
          // A library stub's submodule reached as an attribute (`torchvision.models.quantization`).
          const sub = this.loadStubModule(`${obj.path}.${name}`);
          if (sub) return sub;
          // A module-level __getattr__(name) (PEP 562) answers for the names the module lacks.
          const hook = obj.scope.vars.get('__getattr__');
          if (hook && hook.k === 'func') return this.call(hook, [str(name)], new Map(), node);
          return unknown(`'${name}' not found in ${obj.path}`);
        }
        return this.memberOfPath(obj, name);
      case 'dict':
        if (obj.attrAccess) {
          const item = dictGet(obj, str(name));
          if (item) return item;
        }
        if (obj.cls) return this.dictSubclassAttr(obj, obj.cls, name);
        break;
      case 'instance': {
        const own = obj.attrs.get(name);
        if (own !== undefined) return own;
        if (obj.children?.has(name)) return obj.children.get(name)!;
        const found = this.findAttrWithOwner(obj.cls, name);
        if (found) return this.bindFound(found.v, found.owner, obj);
        if (name === '__dict__') return this.instanceDict(obj);
        const hook = name.startsWith('__') ? undefined : this.findAttrWithOwner(obj.cls, '__getattr__');
        if (hook?.v.k === 'func' && !hook.owner.family) return this.userGetattr(hook.v, hook.owner, obj, name);
        return unknown(`${obj.cls.name} has no attribute '${name}' that could be followed`);
      }
      case 'class': {
        const found = this.findAttrWithOwner(obj, name);
        if (found) {
          if (found.v.k === 'func' && found.v.isClassMethod) return { k: 'bound', self: obj, func: found.v };
          if (found.v.k === 'builtin' && found.v.classMethod && !found.v.self) return { ...found.v, self: obj };
          return found.v;
        }
        if (name === '__name__') return str(obj.name);
        return unknown(`${obj.name}.${name} is not known`);
      }
      case 'func':
        // A function's own name (`REGISTRY[fn.__name__] = fn`, timm's @register_model).
        if (name === '__name__' || name === '__qualname__') return str(obj.name);
        break;
      case 'builtin': {
        const own = obj.attrs?.get(name);
        if (own) return own;
        const sup = (obj as BuiltinV & { superOf?: ClassV }).superOf;
        if (sup && obj.self) {
          const self = obj.self;
          const selfCls = self.k === 'instance' ? self.cls : self.k === 'class' ? self : self.k === 'dict' ? self.cls : undefined;
          if (!selfCls) return unknown('super()');
          const found = this.findAttrWithOwner(selfCls, name, sup);
          if (found) return this.bindFound(found.v, found.owner, self);
          if (self.k === 'dict') {
            // Past the user classes of a dict subclass: dict's own methods.
            if (name === '__init__' || name === 'update') return { k: 'builtin', name, call: (c, args, kwargs) => this.dictInit(self, args, kwargs, c.node) };
            if (name === '__setattr__') return { k: 'builtin', name, call: (_c, [k, v]) => (k?.k === 'str' && v ? this.setDictAttr(self, k.v, v) : undefined, NONE) };
            const m = this.builtinMethod(self, name);
            if (m) return m;
          }
          // type.__new__ in a metaclass's __new__: the class being made (runMetaclass).
          const made = this.metaNewClass;
          if (name === '__new__' && self.k === 'class' && made) return { k: 'builtin', name, call: () => made };
          return { k: 'builtin', name, call: () => NONE };
        }
        break;
      }
      case 'unknown':
        return obj;
      default:
        break;
    }
    const m = this.builtinMethod(obj, name);
    if (m) return m;
    return unknown(`attribute '${name}' of ${describe(obj)} is not known`);
  }

  /**
   * An attribute of a dict subclass's instance that is not an item (DictV.cls): its own
   * attributes, its class's, dict's methods, then the class's __getattr__ (`__getattr__ =
   * dict.__getitem__` or a method returning `self[name]`), which reads the item.
   */
  private dictSubclassAttr(obj: DictV, cls: ClassV, name: string): Value {
    const own = obj.attrs?.get(name);
    if (own !== undefined) return own;
    const found = this.findAttrWithOwner(cls, name);
    if (found) return this.bindFound(found.v, found.owner, obj);
    const m = this.builtinMethod(obj, name);
    if (m) return m;
    const hook = this.findAttrWithOwner(cls, '__getattr__');
    if (hook?.v.k === 'func') return this.userGetattr(hook.v, hook.owner, obj, name);
    if (hook) return dictGet(obj, str(name)) ?? unknown(`no item '${name}' in ${cls.name}`);
    return unknown(`${cls.name} has no attribute '${name}' that could be followed`);
  }

  /** Attribute lookups under way in a user __getattr__ (one that reads a missing attribute of its own must not loop). */
  private readonly getattrBusy = new Set<string>();

  /** A user `__getattr__(self, name)`, called when the usual lookup found nothing (Python's fallback). */
  private userGetattr(f: FuncV, owner: ClassV, obj: Value, name: string): Value {
    const key = `${obj.k === 'instance' ? obj.id : 'dict'}:${name}`;
    if (this.getattrBusy.has(key)) return unknown(`'${name}' read again inside ${owner.name}.__getattr__`);
    this.getattrBusy.add(key);
    try {
      return this.callMethod(f, owner, obj, [str(name)], NO_KWARGS);
    } finally {
      this.getattrBusy.delete(key);
    }
  }

  /**
   * A plain object's `__dict__` (a config class's `self.__dict__.update(kwargs)`): its attributes as a
   * dict whose items set are set on the object too. A module's holds torch internals: not modelled.
   */
  private instanceDict(obj: InstanceV): Value {
    if (obj.children || obj.layer || obj.container || obj.cls.family) return unknown(`${obj.cls.name}.__dict__ is not modelled`);
    const onSet = (key: Value, v: Value) => {
      if (key.k === 'str') this.setAttr(obj, key.v, v);
    };
    return { k: 'dict', keys: [...obj.attrs.keys()].map(str), vals: [...obj.attrs.values()], onSet };
  }

  /** `h.x = v` on a dict subclass's instance: an item when its class routes attributes to items (`self.__dict__ = self`, __setattr__), else an attribute. */
  private setDictAttr(obj: DictV, name: string, v: Value): void {
    if (name === '__dict__' && v === obj) {
      obj.attrAccess = true;
      return;
    }
    if (obj.attrAccess || (obj.cls && this.findAttr(obj.cls, '__setattr__'))) dictSet(obj, str(name), v);
    else (obj.attrs ??= new Map()).set(name, v);
  }

  private bindFound(v: Value, owner: ClassV, self: Value): Value {
    if (v.k === 'func') {
      if (v.isStatic) return v;
      if (v.isProperty) return this.callMethod(v, owner, self, [], NO_KWARGS);
      const f = v;
      return {
        k: 'builtin', name: f.name, method: { func: f, self },
        call: (_ctx, args, kwargs) => this.callMethod(f, owner, self, args, kwargs),
      };
    }
    if (v.k === 'builtin' && !v.self) return { k: 'builtin', name: v.name, call: v.call, self: v.classMethod && self.k === 'instance' ? self.cls : self };
    return v;
  }

  setAttr(obj: Value, name: string, v: Value): void {
    // A number on an object (`self.step += 1`) changes nothing a later iteration depends on for
    // its shapes; a new layer, a new tensor shape or a parameter's requires_grad does.
    if (obj.k === 'instance' || obj.k === 'class' ? !this.isFresh(obj) && !sameQuiet(quietSnapshot(obj.attrs.get(name)), quietSnapshot(v)) : obj.k === 'tensor') this.effects++;
    for (const rt of this.runtimes) if (rt.setAttr?.(this, obj, name, v)) return;
    if (obj.k === 'instance' && !obj.attrs.has(name)) {
      // A property with a setter in the class (`self.dim = 6` runs `@dim.setter`), as Python's data descriptors win over the instance dict.
      const found = this.findAttrWithOwner(obj.cls, name);
      if (found?.v.k === 'func' && found.v.setter) {
        this.callMethod(found.v.setter, found.owner, obj, [v], NO_KWARGS);
        return;
      }
    }
    if (obj.k === 'instance') obj.attrs.set(name, v);
    else if (obj.k === 'class') obj.attrs.set(name, v);
    else if (obj.k === 'dict' && obj.cls) this.setDictAttr(obj, name, v);
    else if (obj.k === 'dict' && obj.attrAccess) dictSet(obj, str(name), attrDict(v));
  }

  getItem(obj: Value, idx: Value): Value {
    const r = this.getItemValue(obj, idx);
    if (obj.k === 'tensor' && obj.origin) {
      return this.tensorOpEvent({ kind: 'getitem', name: '[]', args: [obj, idx], kwargs: NO_KWARGS, node: this.curNode, rerun: ([o, i]) => this.getItemValue(o, i) }, r);
    }
    return r;
  }

  private getItemValue(obj: Value, idx: Value): Value {
    for (const rt of this.runtimes) {
      const v = rt.getItem?.(this, obj, idx);
      if (v) return v;
    }
    switch (obj.k) {
      case 'list':
      case 'tuple': {
        if (idx.k === 'slice') return { k: obj.k, items: sliceItems(obj.items, idx) ?? [] } as Value;
        const i = concreteInt(idx);
        if (i === null) return unknown('index not known');
        const j = i < 0 ? obj.items.length + i : i;
        return obj.items[j] ?? unknown('index out of range');
      }
      case 'dict': {
        const v = dictGet(obj, idx);
        if (v) return v;
        if (obj.factory && idx.k !== 'unknown') {
          const made = this.call(obj.factory, [], NO_KWARGS);
          dictSet(obj, idx, made);
          return made;
        }
        // KeyError, certainly: every key differs from a known one, and a handler is there for it.
        if (this.handledErrors > 0 && idx.k !== 'unknown' && obj.keys.every((k) => valuesEqual(k, idx) === false)) this.raising = true;
        return unknown(`key ${this.toStr(idx) ?? '?'} not found`);
      }
      case 'str': {
        if (idx.k === 'slice') {
          const chars = sliceItems([...obj.v].map((c) => str(c)), idx);
          return chars ? str(chars.map((c) => (c as { v: string }).v).join('')) : unknown('slice');
        }
        const i = concreteInt(idx);
        if (i === null) return unknown('index');
        return str(obj.v.at(i) ?? '');
      }
      case 'class':
        return obj; // typing generics: List[int]
      case 'unknown':
        return obj;
      case 'instance': {
        const own = this.callOwnMethod(obj, '__getitem__', [idx]);
        if (own) return own;
        // A named tuple indexes (and slices) as the tuple of its fields.
        const rec = tupleRecordItems(obj);
        return rec ? this.getItemValue(tuple(rec), idx) : unknown(`${obj.cls.name}[...] is not known`);
      }
      default:
        return unknown(`cannot index ${describe(obj)}`);
    }
  }

  /** `del x`, `del xs[i]`, `del d[k]`, `del xs[a:b]`, `del self.fc`. */
  private deleteTarget(t: Node, scope: Scope): void {
    if (t.t === 'Tuple' || t.t === 'List') {
      for (const e of t.elts) this.deleteTarget(e, scope);
      return;
    }
    if (t.t === 'Name') {
      for (let s: Scope | undefined = scope; s; s = s.parent) if (s.vars.delete(t.id)) return;
      return;
    }
    if (t.t === 'Attr') {
      const obj = this.eval(t.obj, scope);
      for (const rt of this.runtimes) if (rt.delAttr?.(this, obj, t.attr)) return;
      if (obj.k === 'instance' || obj.k === 'class') obj.attrs.delete(t.attr);
      return;
    }
    if (t.t !== 'Subscript') return;
    const obj = this.eval(t.obj, scope);
    const idx = this.eval(t.index, scope);
    this.curNode = t;
    this.delItem(obj, idx);
  }

  /** `del obj[idx]`: a list loses the item or slice, a dict the key, an object runs its __delitem__. What is not known makes the list's contents unknown. */
  delItem(obj: Value, idx: Value): void {
    if (obj.k === 'list') {
      const picked = idx.k === 'slice' ? sliceIndices(obj.items.length, idx) : (() => {
        const i = concreteInt(idx);
        if (i === null) return null;
        const j = i < 0 ? obj.items.length + i : i;
        return j >= 0 && j < obj.items.length ? [j] : [];
      })();
      if (picked === null) obj.partial = 'an item deleted at an unknown index';
      else for (const j of [...picked].sort((a, b) => b - a)) obj.items.splice(j, 1);
    } else if (obj.k === 'dict') {
      const i = obj.keys.findIndex((k) => valuesEqual(k, idx) === true);
      if (i >= 0) {
        obj.keys.splice(i, 1);
        obj.vals.splice(i, 1);
      }
    } else if (obj.k === 'instance') this.callItemMethod(obj, '__delitem__', [idx]);
  }

  /** `obj[idx] = v` / `del obj[idx]` on an object: a runtime's container method (nn.ModuleList), else the class's own. */
  private callItemMethod(obj: InstanceV, name: '__setitem__' | '__delitem__', args: Value[]): void {
    for (const rt of this.runtimes) {
      const r = rt.getAttr?.(this, obj, name, this.curNode!);
      if (r) {
        this.call(r, args);
        return;
      }
    }
    this.callOwnMethod(obj, name, args);
  }

  setItem(obj: Value, idx: Value, v: Value): void {
    if (obj.k === 'list' && idx.k === 'slice') {
      // `xs[a:b] = ys`: a contiguous slice is replaced by the new items; anything else leaves the list unknown.
      const picked = sliceIndices(obj.items.length, idx);
      const items = this.iterate(v);
      const step = idx.step.k === 'none' ? 1 : concreteInt(idx.step);
      const from = idx.start.k === 'none' ? 0 : concreteInt(idx.start);
      if (picked && items && step === 1 && from !== null) {
        const n = obj.items.length;
        obj.items.splice(from < 0 ? Math.max(0, n + from) : Math.min(from, n), picked.length, ...items);
      } else if (picked && items && picked.length === items.length) picked.forEach((j, k) => (obj.items[j] = items[k]));
      else obj.partial = 'a slice assigned';
      return;
    }
    if (obj.k === 'list') {
      const i = concreteInt(idx);
      if (i !== null) {
        const j = i < 0 ? obj.items.length + i : i;
        if (j >= 0 && j < obj.items.length) obj.items[j] = v;
      }
    } else if (obj.k === 'dict') dictPut(obj, idx, v); else if (obj.k === 'instance') this.callItemMethod(obj, '__setitem__', [idx, v]);
    else if (obj.k === 'tensor') this.setTensorItemValues(obj, idx, v);
  }

  /**
   * `t[i] = x` / `t[[0, 3]] = True` on a tensor whose element values are known (a constant
   * mask, an index table): a 1-D tensor with int or int-list indices and a number gets the new
   * values; any other assignment leaves the values unknown (never the old ones).
   */
  private setTensorItemValues(t: TensorV, idx: Value, v: Value): void {
    const vals = TENSOR_VALUES.get(t);
    if (!vals) return;
    TENSOR_VALUES.delete(t);
    const x = v.k === 'int' || v.k === 'float' ? v.v : v.k === 'bool' ? Number(v.v) : null;
    if (typeof x !== 'number' || !t.shape || t.shape.length !== 1) return;
    const picks = idx.k === 'list' || idx.k === 'tuple' ? (idx.k === 'list' ? idx.items : null) : [idx];
    const at = picks?.map((p) => concreteInt(p));
    if (!at || at.some((i) => i === null || i < -vals.length || i >= vals.length)) return;
    const out = [...vals];
    const cast = t.dtype === 'bool' ? Number(x !== 0) : /^u?int/.test(t.dtype) ? Math.trunc(x) : x;
    for (const i of at as number[]) out[i < 0 ? vals.length + i : i] = cast;
    withValues(t, out);
  }

  // ---------------------------------------------------------------- iteration and truth

  /** The items of an iterable, or null when it cannot be known. `want` hints tuple-unpacking arity. */
  iterate(v: Value, want?: number): Value[] | null {
    switch (v.k) {
      case 'list': {
        if (v.partial) return null;
        if (v.iterPos === undefined) return v.items;
        // An iterator: what is left of it, which the loop uses up.
        const rest = v.items.slice(v.iterPos);
        v.iterPos = v.items.length;
        return rest;
      }
      case 'tuple':
        return v.items;
      case 'dict':
        return v.keys;
      case 'str':
        return [...v.v].map((c) => str(c));
      case 'instance': {
        const rec = tupleRecordItems(v);
        if (rec) return rec;
        for (const rt of this.runtimes) {
          const it = rt.getAttr?.(this, v, '__iter__', this.curNode!);
          if (it) {
            const r = this.call(it, []);
            return r.k === 'list' || r.k === 'tuple' ? r.items : null;
          }
        }
        // A built-in class's own __iter__ (nn.ParameterList) gives its items as a list.
        const own = this.findAttrWithOwner(v.cls, '__iter__');
        if (own && own.v.k === 'builtin') {
          const r = own.v.call(this.ctx(this.curNode!), [v], NO_KWARGS);
          return r.k === 'list' || r.k === 'tuple' ? r.items : null;
        }
        // A class's own Python __iter__ (a data loader, a container): what it hands back, when
        // that is a sequence (`return iter(self.items)`; iter() hands its argument back).
        if (own && own.v.k === 'func' && !own.v.isProperty) {
          const r = this.callMethod(own.v, own.owner, v, [], NO_KWARGS);
          return r.k === 'list' || r.k === 'tuple' ? (r.k === 'list' && r.partial ? null : r.items) : null;
        }
        return null;
      }
      case 'tensor': {
        // A tensor iterates over its first dim (`a, b = pair`, `for freq in torch.linspace(0, 9, 10)`),
        // when that size is known (and small enough to follow item by item).
        const n = v.shape && v.shape.length > 0 ? v.shape[0] : undefined;
        if (typeof n !== 'number' || (want !== undefined ? n !== want : n > MAX_TENSOR_ITEMS)) return null;
        // x[i]: the same layout without the first dim.
        const sub: TensorV = { ...v, shape: v.shape!.slice(1), strides: v.strides && layoutOf(v.shape!.slice(1) as number[], v.strides.slice(1)) };
        if (!sub.strides) delete sub.strides;
        // A constant tensor's rows carry their own values (`for x in torch.linspace(0, 0.1, 4): x.item()`).
        const values = TENSOR_VALUES.get(v);
        const inner = values ? values.length / n : 0;
        if (values && Number.isInteger(inner)) return Array.from({ length: n }, (_, i) => withValues({ ...sub }, values.slice(i * inner, (i + 1) * inner)));
        return Array.from({ length: n }, () => sub);
      }
      default:
        return null;
    }
  }

  truthy(v: Value): boolean | null {
    switch (v.k) {
      case 'none':
        return false;
      case 'bool':
        return v.v;
      case 'int':
        return typeof v.v === 'number' ? v.v !== 0 : isUnknownDim(v.v) ? null : true;
      case 'float':
        return v.v !== 0;
      case 'str':
        return v.v.length > 0;
      case 'list':
      case 'tuple':
        return v.items.length > 0;
      case 'dict':
        return v.keys.length > 0;
      case 'unknown':
        return null;
      case 'tensor':
        return null;
      case 'instance': {
        if (v.container) return null;
        return true;
      }
      default:
        return true;
    }
  }

  // ---------------------------------------------------------------- operators

  binop(op: string, a: Value, b: Value): Value {
    const r = this.binopValue(op, a, b);
    if ((a.k === 'tensor' && a.origin) || (b.k === 'tensor' && b.origin)) {
      return this.tensorOpEvent({ kind: 'binop', name: op, args: [a, b], kwargs: NO_KWARGS, node: this.curNode, rerun: ([x, y]) => this.binopValue(op, x, y) }, r);
    }
    return r;
  }

  /** Offers a tensor operation on values with graph history to the runtimes (Runtime.tensorOp). */
  private tensorOpEvent(ev: TensorOpEvent, result: Value): Value {
    this.effects++;
    for (const rt of this.runtimes) {
      const v = rt.tensorOp?.(this, ev, result);
      if (v) return v;
    }
    return result;
  }

  private binopValue(op: string, a: Value, b: Value): Value {
    for (const rt of this.runtimes) {
      const v = rt.binop?.(this, op, a, b);
      if (v) return v;
    }
    if (a.k === 'unknown') return a;
    if (b.k === 'unknown') return b;
    const an = numOf(a);
    const bn = numOf(b);
    if (an !== null && bn !== null) return arith(op, an, bn, a.k === 'float' || b.k === 'float');
    if (op === '+' && a.k === b.k && (a.k === 'list' || a.k === 'tuple')) {
      const bi = (b as typeof a).items;
      if (a.items.length + bi.length > this.budget.maxListLength) return unknown('sequence too long to follow');
      return { k: a.k, items: [...a.items, ...bi] } as Value;
    }
    if (op === '+' && a.k === 'str' && b.k === 'str') return a.v.length + b.v.length > this.budget.maxListLength ? unknown('string too long to follow') : str(a.v + b.v);
    if (op === '*' && (a.k === 'list' || a.k === 'tuple' || a.k === 'str') && b.k === 'int' && typeof b.v === 'number') return repeatSeq(a, b.v);
    if (op === '*' && (b.k === 'list' || b.k === 'tuple' || b.k === 'str') && a.k === 'int' && typeof a.v === 'number') return repeatSeq(b, a.v);
    if (op === '%' && a.k === 'str') return this.percentFormat(a.v, b);
    if (op === '|' && a.k === 'dict' && b.k === 'dict') {
      const d: DictV = { k: 'dict', keys: [...a.keys], vals: [...a.vals] };
      b.keys.forEach((k, i) => dictSet(d, k, b.vals[i]));
      return d;
    }
    return unknown(`${describe(a)} ${op} ${describe(b)} is not known`);
  }

  /** printf-style `'%s_%d' % (a, b)` for the common conversions (s, d, i, r, f, with width/precision). */
  private percentFormat(fmt: string, arg: Value): Value {
    const args = arg.k === 'tuple' ? arg.items : [arg];
    let i = 0;
    let bad = false;
    const out = fmt.replace(/%([-+ 0#]*)(\d+)?(?:\.(\d+))?([sdirfgx%])/g, (_m, flags: string, width: string | undefined, prec: string | undefined, conv: string) => {
      if (conv === '%') return '%';
      const v = args[i++];
      if (!v) {
        bad = true;
        return '';
      }
      let s: string | null;
      if (conv === 'd' || conv === 'i') s = v.k === 'int' && typeof v.v === 'number' ? String(v.v) : v.k === 'float' ? String(Math.trunc(v.v)) : null;
      else if (conv === 'f') s = v.k === 'int' && typeof v.v === 'number' ? v.v.toFixed(prec ? +prec : 6) : v.k === 'float' ? v.v.toFixed(prec ? +prec : 6) : null;
      else if (conv === 'x') s = v.k === 'int' && typeof v.v === 'number' ? v.v.toString(16) : null;
      else s = this.toStr(v);
      if (s === null) {
        bad = true;
        return '';
      }
      const w = width ? +width : 0;
      return flags.includes('-') ? s.padEnd(w) : s.padStart(w, flags.includes('0') && conv !== 's' ? '0' : ' ');
    });
    return bad ? unknown('%-formatting with unknown values') : str(out);
  }

  unary(op: string, a: Value): Value {
    const r = this.unaryValue(op, a);
    if (op !== 'not' && a.k === 'tensor' && a.origin) {
      return this.tensorOpEvent({ kind: 'unary', name: op, args: [a], kwargs: NO_KWARGS, node: this.curNode, rerun: ([x]) => this.unaryValue(op, x) }, r);
    }
    return r;
  }

  private unaryValue(op: string, a: Value): Value {
    for (const rt of this.runtimes) {
      const v = rt.unary?.(this, op, a);
      if (v) return v;
    }
    if (op === 'not') {
      const t = this.truthy(a);
      return t === null ? unknown('not of an unknown value') : bool(!t);
    }
    if (a.k === 'int') {
      if (op === '-') return int(mulDims(a.v, -1));
      if (op === '+') return a;
      if (op === '~' && typeof a.v === 'number') return int(~a.v);
    }
    if (a.k === 'float') return op === '-' ? float(-a.v) : a;
    if (a.k === 'bool') return op === '-' ? int(a.v ? -1 : 0) : int(a.v ? 1 : 0);
    return a.k === 'unknown' ? a : unknown(`unary ${op}`);
  }

  compare(op: string, a: Value, b: Value): Value {
    if (op === 'is' || op === 'is not') {
      let same: boolean | null;
      if (a.k === 'unknown' || b.k === 'unknown') same = null;
      else if (a.k === 'none' || b.k === 'none') same = a.k === b.k;
      else if (a.k === 'bool' && b.k === 'bool') same = a.v === b.v;
      else same = a === b || (a.k === 'instance' && b.k === 'instance' && a.id === b.id);
      if (same === null) return unknown('identity of an unknown value');
      return bool(op === 'is' ? same : !same);
    }
    if (op === 'in' || op === 'not in') {
      const items = b.k === 'dict' ? b.keys : b.k === 'str' && a.k === 'str' ? null : this.iterate(b);
      if (b.k === 'str' && a.k === 'str') return bool(b.v.includes(a.v) === (op === 'in'));
      if (b.k === 'instance' && b.container === 'moduledict' && a.k === 'str') return bool(!!b.children?.has(a.v) === (op === 'in'));
      if (!items) return unknown('membership in an unknown container');
      let found: boolean | null = false;
      for (const it of items) {
        const e = valuesEqual(a, it);
        if (e === true) {
          found = true;
          break;
        }
        if (e === null) found = null;
      }
      if (found === null) return unknown('membership');
      return bool(op === 'in' ? found : !found);
    }
    for (const rt of this.runtimes) {
      const v = rt.binop?.(this, op, a, b);
      if (v) return v;
    }
    if (op === '==' || op === '!=') {
      const e = valuesEqual(a, b);
      if (e === null) return unknown('equality of unknown values');
      return bool(op === '==' ? e : !e);
    }
    const an = numOf(a);
    const bn = numOf(b);
    if (an !== null && bn !== null) {
      if (typeof an === 'number' && typeof bn === 'number') {
        switch (op) {
          case '<': return bool(an < bn);
          case '<=': return bool(an <= bn);
          case '>': return bool(an > bn);
          case '>=': return bool(an >= bn);
        }
      }
      const d = subDims(an as Dim, bn as Dim);
      if (typeof d === 'number') return this.compare(op, int(d), int(0));
      return unknown('comparison of symbolic sizes');
    }
    if (a.k === 'str' && b.k === 'str') {
      switch (op) {
        case '<': return bool(a.v < b.v);
        case '>': return bool(a.v > b.v);
        case '<=': return bool(a.v <= b.v);
        case '>=': return bool(a.v >= b.v);
      }
    }
    return unknown(`comparison ${op}`);
  }

  toStr(v: Value): string | null {
    switch (v.k) {
      case 'str':
        return v.v;
      case 'int':
        return isUnknownDim(v.v) ? null : formatDim(v.v);
      case 'float':
        return Number.isInteger(v.v) ? v.v.toFixed(1) : String(v.v);
      case 'bool':
        return v.v ? 'True' : 'False';
      case 'none':
        return 'None';
      case 'tuple':
      case 'list': {
        const parts = v.items.map((x) => (x.k === 'str' ? `'${x.v}'` : this.toStr(x)));
        if (parts.some((p) => p === null)) return null;
        const body = parts.join(', ');
        return v.k === 'list' ? `[${body}]` : v.items.length === 1 ? `(${body},)` : `(${body})`;
      }
      default:
        return null;
    }
  }

  private builtinMethod(obj: Value, name: string): Value | undefined {
    const m = this.methodTable().get(obj.k)?.get(name);
    // (Spelled out: an object spread is a slow path on every method access.)
    return m ? { k: 'builtin', name: m.name, call: m.call, self: obj } : undefined;
  }

  /** `__method__.<kind>.<name>` builtins by value kind, then name (looked up on every attribute access). */
  private methods: Map<string, Map<string, BuiltinV>> | undefined;
  private methodTable(): Map<string, Map<string, BuiltinV>> {
    if (this.methods) return this.methods;
    // Built once per builtins map (the analyses of a process share one).
    const known = METHOD_TABLES.get(this.builtins);
    if (known) return (this.methods = known);
    const t = new Map<string, Map<string, BuiltinV>>();
    for (const [k, v] of this.builtins) {
      if (!k.startsWith('__method__.') || v.k !== 'builtin') continue;
      const dot = k.indexOf('.', 11);
      const kind = k.slice(11, dot);
      let byName = t.get(kind);
      if (!byName) t.set(kind, (byName = new Map()));
      byName.set(k.slice(dot + 1), v);
    }
    METHOD_TABLES.set(this.builtins, t);
    this.methods = t;
    return t;
  }

  ctx(node: Node): CallCtx {
    return new NativeCall(this, node);
  }

  /**
   * Records a shape problem. Found in another module's code (a library stub, an imported
   * project file) on behalf of the analysed file, it is reported at the analysed file's call
   * that led there, its message naming the code it happened in. An unproven one
   * (UNPROVEN_SHAPE: the input was not known) is only an Unknown result.
   */
  reportShapeError(message: string, node: Node | undefined = this.curNode, defNode?: Node, code?: string): UnknownV {
    if (code === UNPROVEN_SHAPE || this.handledErrors > 0) return unknown(message);
    if (node) {
      let at = node;
      let text = message;
      let file = this.currentFile;
      let def = defNode ?? this.layerDefStack[this.layerDefStack.length - 1];
      let origin: ShapeIssue['origin'];
      const nodeFile = this.nodeFile(node);
      if (this.site && (nodeFile !== undefined || this.currentFile !== this.fileName)) {
        origin = { node, file: nodeFile ?? this.currentFile, message, ...(def ? { defNode: def } : {}) };
        const inProject = nodeFile !== undefined && !nodeFile.startsWith('<');
        text = `in ${this.site.where}${inProject ? ` (${nodeFile}:${node.line + 1})` : ''}: ${message}`;
        if (this.site.obj) {
          let seen = this.foreignIssues.get(node);
          if (!seen) this.foreignIssues.set(node, (seen = new Set()));
          const key = `${this.site.obj.id}\u0000${message}`;
          if (seen.has(key)) return this.shapeErrorSeen(text, message);
          seen.add(key);
        }
        at = this.site.node;
        file = this.fileName;
      } else if (nodeFile !== undefined) file = nodeFile;
      // A definition in another module has no place in the file the problem is reported in.
      if (def && (this.nodeFile(def) ?? this.fileName) !== file) def = undefined;
      if (!this.shapeIssues.some((s) => s.message === text && s.node === at)) {
        this.shapeIssues.push({ message: text, node: at, code, file, defNode: def, ...(origin ? { origin } : {}) });
        this.effects++;
      }
      return this.shapeErrorSeen(text, message);
    }
    return unknown(`shape error: ${message}`);
  }

  /** Counts a shape error, reported now or already (a summary row is marked either way). */
  private shapeErrorSeen(text: string, message: string): UnknownV {
    this.shapeErrorCount++;
    this.lastShapeError = text;
    return unknown(`shape error: ${message}`);
  }
}

// ---------------------------------------------------------------- helpers

/** Canonical module path: tf.keras / tensorflow.keras / keras.src spell the same Keras. */
export function canonicalPath(p: string): string {
  if (p.startsWith('tensorflow.python.keras')) return 'keras' + p.slice('tensorflow.python.keras'.length);
  if (p === 'tensorflow.keras' || p.startsWith('tensorflow.keras.')) return 'keras' + p.slice('tensorflow.keras'.length);
  if (p === 'tf_keras' || p.startsWith('tf_keras.')) return 'keras' + p.slice('tf_keras'.length);
  // tf.compat.v2.keras is tf.keras; tf.compat.v1.keras its TF1 classes, which the Keras runtime
  // reads under keras.compat.v1 (the same as keras.* but for the v1 GRU's reset_after=False).
  if (p === 'tensorflow.compat.v2.keras' || p.startsWith('tensorflow.compat.v2.keras.')) return 'keras' + p.slice('tensorflow.compat.v2.keras'.length);
  if (p === 'tensorflow.compat.v1.keras' || p.startsWith('tensorflow.compat.v1.keras.')) return 'keras.compat.v1' + p.slice('tensorflow.compat.v1.keras'.length);
  if (p.startsWith('keras.src.')) return 'keras.' + p.slice('keras.src.'.length);
  if (p.startsWith('keras.api.')) return 'keras.' + p.slice('keras.api.'.length);
  return p;
}

export function describe(v: Value): string {
  switch (v.k) {
    case 'instance':
      return `a ${v.cls.name}`;
    case 'unknown':
      return `an unknown value (${v.why})`;
    case 'modref':
      return v.path;
    case 'tensor':
      return 'a tensor';
    default:
      return `a ${v.k}`;
  }
}

export function concreteInt(v: Value): number | null {
  if (v.k === 'int' && typeof v.v === 'number') return v.v;
  if (v.k === 'bool') return v.v ? 1 : 0;
  return null;
}

function numOf(v: Value): Dim | null {
  if (v.k === 'int') return v.v;
  if (v.k === 'float') return v.v;
  if (v.k === 'bool') return v.v ? 1 : 0;
  return null;
}

function arith(op: string, a: Dim, b: Dim, isFloat: boolean): Value {
  const bothNum = typeof a === 'number' && typeof b === 'number';
  if (bothNum) {
    const x = a as number;
    const y = b as number;
    const mk = (r: number) => (isFloat ? float(r) : int(r));
    switch (op) {
      case '+': return mk(x + y);
      case '-': return mk(x - y);
      case '*': return mk(x * y);
      case '/': return y === 0 ? unknown('division by zero') : float(x / y);
      case '//': return y === 0 ? unknown('division by zero') : mk(Math.floor(x / y));
      case '%': return y === 0 ? unknown('modulo by zero') : mk(((x % y) + y) % y);
      case '**': return isFloat || y < 0 ? float(x ** y) : int(x ** y);
      case '<<': return int(x << y);
      case '>>': return int(x >> y);
      case '&': return int(x & y);
      case '|': return int(x | y);
      case '^': return int(x ^ y);
      default: return unknown(`operator ${op}`);
    }
  }
  if (isFloat) return unknown('float arithmetic on a symbolic size');
  switch (op) {
    case '+': return int(addDims(a, b));
    case '-': return int(subDims(a, b));
    case '*': return int(mulDims(a, b));
    case '//': return int(floorDivDims(a, b));
    case '/': {
      const q = floorDivDims(a, b);
      // Exact symbolic division (e.g. H*W / 4 when divisible) keeps the size; otherwise unknown.
      return typeof b === 'number' && dimsEqual(mulDims(q, b), a) ? int(q) : int(UNKNOWN_DIM);
    }
    default:
      return int(UNKNOWN_DIM);
  }
}

function repeatSeq(a: Value, n: number): Value {
  if (n > 100_000) return unknown('sequence too long');
  if (a.k === 'str') return str(a.v.repeat(Math.max(0, n)));
  const items = (a as { items: Value[] }).items;
  const out: Value[] = [];
  for (let i = 0; i < n; i++) out.push(...items);
  return { k: a.k, items: out } as Value;
}

/** Value kinds a case's value pattern compares without a user __eq__. */
const MATCH_PLAIN = new Set<Value['k']>(['none', 'bool', 'int', 'float', 'str', 'tuple', 'list', 'dict']);

export function valuesEqual(a: Value, b: Value): boolean | null {
  if (a.k === 'unknown' || b.k === 'unknown') return null;
  const an = numOf(a);
  const bn = numOf(b);
  if (an !== null && bn !== null) {
    if (typeof an === 'number' && typeof bn === 'number') return an === bn;
    if (dimsEqual(an, bn)) return true;
    const d = subDims(an, bn);
    return typeof d === 'number' ? d === 0 : null;
  }
  if (a.k === 'str' && b.k === 'str') return a.v === b.v;
  if (a.k === 'none' || b.k === 'none') return a.k === b.k;
  // Sets: the same items in any order (`set(left) != set(right)`).
  if (a.k === 'list' && b.k === 'list' && (a.isSet || b.isSet)) {
    if (!a.isSet || !b.isSet) return false;
    if (a.items.length !== b.items.length) return false;
    let r: boolean | null = true;
    for (const x of a.items) {
      const hits = b.items.map((y) => valuesEqual(x, y));
      if (hits.includes(true)) continue;
      if (hits.every((h) => h === false)) return false;
      r = null;
    }
    return r;
  }
  if ((a.k === 'tuple' || a.k === 'list') && (b.k === 'tuple' || b.k === 'list')) {
    if (a.k !== b.k || a.items.length !== b.items.length) return false;
    let r: boolean | null = true;
    for (let i = 0; i < a.items.length; i++) {
      const e = valuesEqual(a.items[i], b.items[i]);
      if (e === false) return false;
      if (e === null) r = null;
    }
    return r;
  }
  if (a.k === 'instance' && b.k === 'instance') return a.id === b.id;
  // Classes by identity (`m in {nn.Linear, nn.Conv2d}`): the file's by their class statement, the library's by qualified name.
  if (a.k === 'class' && b.k === 'class') {
    if (a === b) return true;
    if (a.node || b.node) return a.node === b.node ? null : false;
    return a.qualname === b.qualname;
  }
  // A built-in type is equal to itself only (`type(f) == functools.partial`, `type(x) == tuple`).
  if ((a.k === 'builtin' && a.isType) || (b.k === 'builtin' && b.isType)) return a === b;
  if (a.k !== b.k) return a.k === 'str' || b.k === 'str' || a.k === 'class' || b.k === 'class' ? false : null;
  return a === b ? true : null;
}

/**
 * A config dict read by attribute (EasyDict, OmegaConf.create, ConfigDict, Box): the dicts in
 * it (and in its lists) become such dicts too, as those libraries convert them.
 */
export function attrDict(v: Value): Value {
  if (v.k === 'dict') return { k: 'dict', keys: v.keys, vals: v.vals.map(attrDict), attrAccess: true };
  if (v.k === 'list' || v.k === 'tuple') return v.items.some((x) => x.k === 'dict') ? { ...v, items: v.items.map(attrDict) } : v;
  return v;
}

export function dictGet(d: DictV, key: Value): Value | undefined {
  for (let i = 0; i < d.keys.length; i++) if (valuesEqual(d.keys[i], key) === true) return d.vals[i];
  return undefined;
}

export function dictSet(d: DictV, key: Value, v: Value): void {
  for (let i = 0; i < d.keys.length; i++) {
    if (valuesEqual(d.keys[i], key) === true) {
      d.vals[i] = v;
      return;
    }
  }
  d.keys.push(key);
  d.vals.push(v);
}

/** Sets `d[key] = v`, and the same entry on the object whose entries `d` is a view of (DictV.onSet: `obj.__dict__`, a module's `_modules`). */
export function dictPut(d: DictV, key: Value, v: Value): void {
  dictSet(d, key, v);
  d.onSet?.(key, v);
}

export function sliceItems(items: Value[], s: Value): Value[] | null {
  return sliceIndices(items.length, s)?.map((i) => items[i]) ?? null;
}

/** The indices a slice picks from a sequence of `n` items (ascending or not, as the step goes), or null when not known. */
export function sliceIndices(n: number, s: Value): number[] | null {
  if (s.k !== 'slice') return null;
  const step = s.step.k === 'none' ? 1 : concreteInt(s.step);
  if (step === null || step === 0) return null;
  const norm = (v: Value, dflt: number): number | null => {
    if (v.k === 'none') return dflt;
    const i = concreteInt(v);
    if (i === null) return null;
    const j = i < 0 ? i + n : i;
    return step > 0 ? Math.min(Math.max(j, 0), n) : Math.min(Math.max(j, -1), n - 1);
  };
  const start = norm(s.start, step > 0 ? 0 : n - 1);
  const stop = norm(s.stop, step > 0 ? n : -1);
  if (start === null || stop === null) return null;
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

export { list, tuple, str, int, float, bool, NONE, TRUE, FALSE, unknown, isUnknown };
