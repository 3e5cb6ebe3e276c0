// Shared facts for lint rules (pitfalls.md §0.2), computed once per file and cached on
// the AST: class roles, value kinds of names and `self.*` attributes, lexical grad /
// autocast / tape contexts, and step summaries of loops and functions. Rules ask these
// questions instead of re-deriving them; every answer errs towards "unknown".

import type { Module, Node, NodeOf } from '../python/ast';
import { TORCH_LAYERS } from '../frameworks/torch/layers/index';
import { ancestorsIn, qualifiedName as qualify, walkTree, walkTypedTree } from './context';

export type ValueKind =
  | 'Module' | 'KerasModel' | 'Tensor' | 'Dataset' | 'DataLoader' | 'Optimizer' | 'Loss' | 'Scheduler' | 'GradScaler' | 'Tape' | 'Unknown';

export interface KindInfo {
  kind: ValueKind;
  /** The qualified constructor when known (`torch.nn.CrossEntropyLoss`, a project class name). */
  ctor?: string;
  /** The constructor / factory call that produced the value. */
  call?: NodeOf<'Call'>;
}

export type ClassRole = 'torch-module' | 'keras-layer' | 'other';
export type FunctionDef = NodeOf<'FunctionDef'>;
export type ClassDef = NodeOf<'ClassDef'>;
export type Call = NodeOf<'Call'>;

/** Where a name is bound inside one scope (a function body or the module), nested defs excluded. */
export interface Binding {
  /** The binding statement (Assign, AugAssign, For, With, ...), or the FunctionDef for a parameter. */
  stmt: Node;
  how: 'assign' | 'aug' | 'for' | 'with' | 'param' | 'import' | 'def' | 'other';
  /** The value assigned when the target is the whole name (no unpacking). */
  value?: Node;
  /** For `for` bindings: the iterated expression. */
  iter?: Node;
  /**
   * An unpacking that hands the names back through one call, each in its own position
   * (`model, optimizer = accelerator.prepare(model, optimizer)`): the name keeps what it held.
   */
  passedThrough?: boolean;
}

/** Lexical state at a node (innermost wins; reset at function boundaries, then decorators apply). */
export interface LexicalContext {
  noGrad: boolean;
  /** The innermost `with torch.autocast(...)`-like statement, if any. */
  autocast?: NodeOf<'With'>;
  gradientTape: boolean;
  /** Inside a function decorated with `@tf.function`. */
  tfFunction: boolean;
  /** Inside a function decorated with `@torch.compile`. */
  compiled: boolean;
  /** The enclosing function and its class (when the function is a method). */
  fn?: FunctionDef;
  cls?: ClassDef;
  /** Innermost enclosing loop within the function. */
  loop?: NodeOf<'For'> | NodeOf<'While'>;
}

/** What a loop body or function does, including same-file helpers called from it (one level). */
export interface StepSummary {
  backward: Call[];
  /** `<Optimizer>.step()` calls, or `<scaler>.step(<Optimizer>)`, with the optimizer expression. */
  optimizerStep: Array<{ call: Call; optimizer: Node }>;
  /** `x.zero_grad(...)`, `p.grad = None`, `p.grad.zero_()`. */
  zeroGrad: Node[];
  /** `m.eval()` / `m.train(False)`, with the receiver. */
  evalCalls: Array<{ call: Call; receiver: Node }>;
  /** `m.train()` / `m.train(True)` / `m.train(mode)` (anything but a literal False). */
  trainCalls: Array<{ call: Call; receiver: Node }>;
  /** Calls of functions this file does not define (and that are not framework API), with their argument names. */
  opaqueCalls: Array<{ call: Call; argNames: string[] }>;
  /** Names of same-file functions whose summaries were folded in. */
  helpers: string[];
}

const TORCH_LAYER_NAMES = new Set(TORCH_LAYERS.map((s) => s.name));
const TORCH_CONTAINERS = new Set(['Sequential', 'ModuleList', 'ModuleDict', 'Module']);
/** torch.nn modules the shape engine has no spec for, but which are modules all the same. */
const TORCH_OTHER_MODULES = new Set(['Transformer', 'TransformerEncoder', 'TransformerDecoder', 'TransformerEncoderLayer', 'TransformerDecoderLayer']);
const TENSOR_FACTORIES = new Set([
  'tensor', 'as_tensor', 'from_numpy', 'randn', 'rand', 'randint', 'randn_like', 'rand_like', 'randint_like', 'zeros', 'ones', 'empty', 'full',
  'zeros_like', 'ones_like', 'empty_like', 'full_like', 'arange', 'linspace', 'logspace', 'eye', 'cat', 'stack', 'matmul', 'bmm', 'einsum',
  'softmax', 'log_softmax', 'sigmoid', 'tanh', 'relu', 'exp', 'log', 'sqrt', 'abs', 'mean', 'sum', 'flatten', 'reshape', 'where', 'clamp',
]);

const NO_GRAD_CTX = new Set(['torch.no_grad', 'torch.inference_mode', 'torch.autograd.no_grad', 'torch.autograd.grad_mode.no_grad', 'torch.autograd.inference_mode']);
const ENABLE_GRAD_CTX = new Set(['torch.enable_grad', 'torch.autograd.enable_grad']);
const SET_GRAD_CTX = new Set(['torch.set_grad_enabled', 'torch.autograd.set_grad_enabled']);
const AUTOCAST_CTX = new Set(['torch.autocast', 'torch.amp.autocast', 'torch.cuda.amp.autocast', 'torch.cpu.amp.autocast']);

/** Bindings of each function scope, by its FunctionDef (syntax nodes are never changed after parsing). */
const FUNCTION_BINDINGS = new WeakMap<Node, ReadonlyMap<string, readonly Binding[]>>();

/** The facts of one file. Built lazily: a rule pays only for what it asks. */
export class LintFacts {
  readonly imports: ReadonlyMap<string, string>;
  readonly module: Module;
  readonly text: string;
  readonly lines: string[];
  /** Offset of each line's start, built on first use (from the lines: cheaper than a scan of the text). */
  private lineStarts?: number[];
  private readonly classesByName = new Map<string, ClassDef>();
  private readonly roleCache = new Map<ClassDef, ClassRole>();
  private readonly functionsByName = new Map<string, FunctionDef>();
  private readonly bindingCache = new Map<Node | Module, ReadonlyMap<string, readonly Binding[]>>();
  private readonly selfKindCache = new Map<ClassDef, Map<string, KindInfo>>();
  private readonly summaryCache = new Map<Node, StepSummary>();
  private callSitesCache?: Map<string, Array<{ call: Call; ancestors: Node[] }>>;
  private methodClass?: Map<FunctionDef, ClassDef>;
  /** Context inside a node (the same for every child of it): a node's ancestor chain is unique in a tree. */
  private readonly contextCache = new Map<Node, LexicalContext>();
  private readonly nameKindCache = new Map<FunctionDef | Module, Map<string, KindInfo>>();

  constructor(module: Module, text: string, imports: ReadonlyMap<string, string>) {
    this.module = module;
    this.text = text;
    this.imports = imports;
    this.lines = text.split('\n');
    for (const s of module.body) {
      if (s.t === 'ClassDef') this.classesByName.set(s.name, s);
      else if (s.t === 'FunctionDef') this.functionsByName.set(s.name, s);
    }
  }

  private outsideKey?: string;

  /**
   * What of the file lies outside its top-level classes' bodies, as one string: the imports,
   * each class's decorators, name and bases, and the whole text of every other top-level
   * statement (functions included). Findings about a class that read nothing else stay the
   * same while the class and this string do (RuleContext.byClass).
   */
  get outsideClasses(): string {
    if (this.outsideKey !== undefined) return this.outsideKey;
    const parts: string[] = [];
    for (const [local, path] of this.imports) parts.push(`${local}=${path}`);
    for (const s of this.module.body) {
      if (s.t === 'ClassDef') {
        parts.push(`class ${s.name}`, ...s.decorators.map((d) => `@${this.textOf(d)}`), ...s.bases.map((b) => `${b.kind}:${'name' in b ? b.name : ''}:${this.textOf(b.value)}`));
      } else parts.push(`${s.line}:${this.textOf(s)}`);
    }
    return (this.outsideKey = parts.join('\n'));
  }

  // ---------- names and text ----------

  qualifiedName(n: Node): string | undefined {
    return qualify(this.imports, n);
  }

  /** The local spelling that reaches `dotted` (`torch.nn` -> `nn`, or `torch` -> `torch`), for fixes. */
  localAlias(dotted: string): string | undefined {
    for (const [local, path] of this.imports) if (path === dotted) return local;
    const dot = dotted.lastIndexOf('.');
    if (dot > 0) {
      const parent = this.localAlias(dotted.slice(0, dot));
      if (parent) return `${parent}.${dotted.slice(dot + 1)}`;
    }
    return undefined;
  }

  offsetOf(line: number, col: number): number {
    if (!this.lineStarts) {
      const starts = new Array<number>(this.lines.length);
      let at = 0;
      for (let i = 0; i < this.lines.length; i++) {
        starts[i] = at;
        at += this.lines[i].length + 1;
      }
      this.lineStarts = starts;
    }
    return (this.lineStarts[line] ?? this.text.length) + col;
  }

  textOf(n: { line: number; col: number; endLine: number; endCol: number }): string {
    return this.text.slice(this.offsetOf(n.line, n.col), this.offsetOf(n.endLine, n.endCol));
  }

  /** The leading whitespace of a line. */
  indentOf(line: number): string {
    return /^[ \t]*/.exec(this.lines[line] ?? '')![0];
  }

  /** True when the statement is alone on its lines (only whitespace before, only a comment after). */
  standsAlone(s: Node): boolean {
    const before = (this.lines[s.line] ?? '').slice(0, s.col);
    const after = (this.lines[s.endLine] ?? '').slice(s.endCol);
    return /^\s*$/.test(before) && /^\s*(#.*)?\r?$/.test(after);
  }

  // ---------- classes and functions ----------

  classNamed(name: string): ClassDef | undefined {
    return this.classesByName.get(name);
  }

  functionNamed(name: string): FunctionDef | undefined {
    return this.functionsByName.get(name);
  }

  classRole(cls: ClassDef): ClassRole {
    const cached = this.roleCache.get(cls);
    if (cached) return cached;
    this.roleCache.set(cls, 'other'); // cycle guard
    let role: ClassRole = 'other';
    for (const b of cls.bases) {
      if (b.kind !== 'pos') continue;
      const q = this.qualifiedName(b.value);
      if (q && (q.startsWith('torch.nn.') || q === 'torch.nn.Module')) {
        const last = q.split('.').pop()!;
        if (/^[A-Z]/.test(last)) role = 'torch-module';
      } else if (q && /^keras\.(layers\.Layer|Model|models\.Model|layers\.[A-Z]\w*)$/.test(q)) role = 'keras-layer';
      else if (b.value.t === 'Name') {
        const base = this.classesByName.get(b.value.id);
        if (base && base !== cls) {
          const r = this.classRole(base);
          if (r !== 'other') role = r;
        }
      }
      if (role !== 'other') break;
    }
    this.roleCache.set(cls, role);
    return role;
  }

  /**
   * True when a class of this file is known to be no framework object (a module, a layer):
   * its bases are none, `object`, or classes of this file that are themselves plain. A base
   * imported or defined elsewhere could be anything, so such a class is not plain.
   */
  isPlainClass(cls: ClassDef, seen: Set<ClassDef> = new Set()): boolean {
    if (seen.has(cls)) return false;
    seen.add(cls);
    for (const b of cls.bases) {
      if (b.kind === 'kw' && b.name === 'metaclass') continue;
      if (b.kind !== 'pos' || b.value.t !== 'Name') return false;
      const base = this.classesByName.get(b.value.id);
      if (base) {
        if (!this.isPlainClass(base, seen)) return false;
      } else if (b.value.id !== 'object' || this.imports.has('object')) return false;
    }
    return true;
  }

  /**
   * The values assigned to `self.<attr>` in a class's methods (plain `self.attr = v` only), or
   * undefined when it is bound some other way (unpacking, augmented assignment) or never.
   */
  selfAttrValues(cls: ClassDef, attr: string): Node[] | undefined {
    const out: Node[] = [];
    let other = false;
    const targetsAttr = (t: Node): boolean => t.t === 'Attr' && t.attr === attr && t.obj.t === 'Name' && t.obj.id === 'self';
    const inside = (t: Node): boolean => (t.t === 'Tuple' || t.t === 'List') ? t.elts.some((e) => targetsAttr(e) || inside(e)) : t.t === 'Starred' && (targetsAttr(t.value) || inside(t.value));
    for (const m of this.methodsOf(cls)) {
      walkScope(m.body, (n) => {
        if (n.t === 'Assign' || n.t === 'AnnAssign') {
          for (const t of n.t === 'Assign' ? n.targets : [n.target]) {
            if (targetsAttr(t)) {
              if (n.value) out.push(n.value);
            } else if (inside(t)) other = true;
          }
        } else if (n.t === 'AugAssign' && targetsAttr(n.target)) other = true;
      }, ['Assign', 'AnnAssign', 'AugAssign']);
    }
    return other || !out.length ? undefined : out;
  }

  isTorchModuleClass(cls: ClassDef | undefined): boolean {
    return !!cls && this.classRole(cls) === 'torch-module';
  }

  methodsOf(cls: ClassDef): FunctionDef[] {
    return cls.body.filter((s): s is FunctionDef => s.t === 'FunctionDef');
  }

  // ---------- kinds ----------

  /**
   * The qualified name a plain name stands for when its one binding is a top-level alias of an
   * imported name (`CE = nn.CrossEntropyLoss`) and the function asking does not bind it itself.
   */
  private aliasedName(fn: Node, ctx?: LexicalContext): string | undefined {
    if (fn.t !== 'Name' || (ctx?.fn && this.bindingsOf(ctx.fn).has(fn.id))) return undefined;
    const b = this.soleBinding(fn.id, undefined);
    const v = b?.how === 'assign' && b.stmt.t === 'Assign' ? b.value : undefined;
    return v && (v.t === 'Attr' || v.t === 'Name') ? this.qualifiedName(v) : undefined;
  }

  /** Kind of the value a call produces, from its callee alone (no flow). */
  kindOfCall(call: Call, ctx?: LexicalContext): KindInfo {
    const q = this.qualifiedName(call.fn) ?? this.aliasedName(call.fn, ctx);
    if (q) {
      const parts = q.split('.');
      const last = parts[parts.length - 1];
      if (q.startsWith('torch.optim.lr_scheduler.')) return { kind: 'Scheduler', ctor: q, call };
      if (q.startsWith('torch.optim.') && /^[A-Z]/.test(last) && parts.length === 3) return { kind: 'Optimizer', ctor: q, call };
      if (/^torch\.(cuda\.amp|amp|cpu\.amp)\.GradScaler$/.test(q)) return { kind: 'GradScaler', ctor: q, call };
      if (q === 'torch.utils.data.DataLoader' || q === 'torch.utils.data.dataloader.DataLoader') return { kind: 'DataLoader', ctor: q, call };
      if (q.startsWith('torch.nn.') && parts.length === 3 && /Loss$/.test(last)) return { kind: 'Loss', ctor: q, call };
      if (q.startsWith('torch.nn.') && parts.length === 3 && (TORCH_LAYER_NAMES.has(last) || TORCH_CONTAINERS.has(last) || TORCH_OTHER_MODULES.has(last))) return { kind: 'Module', ctor: q, call };
      if (parts[0] === 'torch' && parts.length === 2 && TENSOR_FACTORIES.has(last)) return { kind: 'Tensor', ctor: q, call };
      if (q === 'tensorflow.GradientTape') return { kind: 'Tape', ctor: q, call };
      if (q.startsWith('tensorflow.data.') && /Dataset/.test(q)) return { kind: 'Dataset', ctor: q, call };
      if (/^keras\.(Sequential|Model|models\.Sequential|models\.Model)$/.test(q)) return { kind: 'KerasModel', ctor: q, call };
      return { kind: 'Unknown' };
    }
    if (call.fn.t === 'Name') {
      const cls = this.classesByName.get(call.fn.id);
      if (cls && this.classRole(cls) === 'torch-module') return { kind: 'Module', ctor: cls.name, call };
      if (cls && this.classRole(cls) === 'keras-layer') return { kind: 'KerasModel', ctor: cls.name, call };
    }
    if (call.fn.t === 'Attr') {
      // Dataset transformations keep the kind: ds.shuffle(...).batch(...)
      const recv = this.kindOf(call.fn.obj, ctx);
      if (recv.kind === 'Dataset') return { kind: 'Dataset', call };
      if (recv.kind === 'Tensor' && TENSOR_METHODS_KEEPING_KIND.has(call.fn.attr)) return { kind: 'Tensor', call };
      // nn.Module methods that return the module itself: `Net().to(device)`, `nn.Sequential(...).eval()`.
      if (recv.kind === 'Module' && MODULE_METHODS_RETURNING_SELF.has(call.fn.attr)) return recv;
    }
    // Calling a module (or a loss) yields a tensor.
    const callee = this.kindOf(call.fn, ctx);
    if (callee.kind === 'Module' || callee.kind === 'Loss') return { kind: 'Tensor', call };
    return { kind: 'Unknown' };
  }

  /** Kind of an expression in a lexical context (a name in its function, `self.x` in its class). */
  kindOf(expr: Node, ctx?: LexicalContext): KindInfo {
    if (expr.t === 'Call') return this.kindOfCall(expr, ctx);
    if (expr.t === 'Attr' && expr.obj.t === 'Name' && expr.obj.id === 'self' && ctx?.cls) {
      return this.selfKinds(ctx.cls).get(expr.attr) ?? { kind: 'Unknown' };
    }
    if (expr.t === 'Name') return this.nameKind(expr.id, ctx?.fn);
    return { kind: 'Unknown' };
  }

  /** A name's kind: every binding in its scope must agree (flow-insensitive, so rebinding means Unknown). */
  nameKind(name: string, fn: FunctionDef | undefined, depth = 0): KindInfo {
    if (depth === 0) {
      const key = fn ?? this.module;
      let m = this.nameKindCache.get(key);
      if (!m) this.nameKindCache.set(key, (m = new Map()));
      let k = m.get(name);
      if (!k) {
        m.set(name, { kind: 'Unknown' }); // cycle guard while computing
        k = this.guardedNameKind(name, fn, 0);
        m.set(name, k);
      }
      return k;
    }
    return this.guardedNameKind(name, fn, depth);
  }

  private kindDepth = 0;

  /** Bounds the mutual recursion between names, calls and parameters (`a = f(a)`, long alias chains). */
  private guardedNameKind(name: string, fn: FunctionDef | undefined, depth: number): KindInfo {
    if (this.kindDepth > 24) return { kind: 'Unknown' };
    this.kindDepth++;
    try {
      return this.nameKindUncached(name, fn, depth);
    } finally {
      this.kindDepth--;
    }
  }

  private nameKindUncached(name: string, fn: FunctionDef | undefined, depth: number): KindInfo {
    const scopeNode: Node | Module = fn ?? this.module;
    const bs = this.bindingsOf(scopeNode).get(name);
    if (!bs) {
      if (fn) return this.nameKind(name, undefined, depth);
      return { kind: 'Unknown' };
    }
    let found: KindInfo | undefined;
    for (const b of bs) {
      // `ds = ds.batch(32)`, `x = x.to(device)`: a rebinding that keeps what the name holds says nothing new.
      if (b.passedThrough || (b.how === 'assign' && b.value && keepsKind(b.value, name))) continue;
      let k: KindInfo = { kind: 'Unknown' };
      if (b.how === 'assign' && b.value) k = depth > 4 ? { kind: 'Unknown' } : this.kindOfValue(b.value, fn, depth + 1);
      else if (b.how === 'for' && b.iter) {
        const it = b.iter.t === 'Call' && b.iter.fn.t === 'Name' && b.iter.fn.id === 'enumerate' && b.iter.args[0] ? b.iter.args[0].value : b.iter;
        const ik = depth > 4 ? { kind: 'Unknown' as ValueKind } : this.kindOfValue(it, fn, depth + 1);
        if (ik.kind === 'DataLoader' && this.collatesTensors(ik.call)) k = { kind: 'Tensor' };
      } else if (b.how === 'with' && b.value) {
        const vk = this.kindOfValue(b.value, fn, depth + 1);
        if (vk.kind === 'Tape') k = vk;
      } else if (b.how === 'param' && fn) k = this.paramKind(fn, name);
      if (k.kind === 'Unknown') return { kind: 'Unknown' };
      if (found && found.kind !== k.kind) return { kind: 'Unknown' };
      found ??= k;
    }
    return found ?? { kind: 'Unknown' };
  }

  private kindOfValue(v: Node, fn: FunctionDef | undefined, depth: number): KindInfo {
    if (v.t === 'Name') return this.nameKind(v.id, fn, depth);
    if (v.t === 'Call') {
      const direct = this.kindOfCall(v, { noGrad: false, gradientTape: false, tfFunction: false, compiled: false, fn, cls: fn ? this.classOfMethod(fn) : undefined });
      return direct;
    }
    if (v.t === 'Attr' && v.obj.t === 'Name' && v.obj.id === 'self' && fn) {
      const cls = this.classOfMethod(fn);
      if (cls) return this.selfKinds(cls).get(v.attr) ?? { kind: 'Unknown' };
    }
    return { kind: 'Unknown' };
  }

  /**
   * True when a DataLoader call's batches are tensors (or tuples of them): the default collate
   * (no `collate_fn`, `None`, torch's `default_collate`), or a `collate_fn` of this file whose
   * every return is a tensor or a tuple / list of tensors. Any other collate_fn may build
   * objects of its own (a batch class with an in-place `.to()`), so the loop target is unknown.
   */
  private collatesTensors(call: Call | undefined): boolean {
    if (!call) return false;
    if (call.args.some((a) => a.kind === 'dstar')) return false;
    const c = kwArg(call, 'collate_fn') ?? posArgs(call)[6];
    if (!c || (c.t === 'Const' && c.v === null)) return true;
    const q = this.qualifiedName(c);
    if (q === 'torch.utils.data.default_collate' || q === 'torch.utils.data.dataloader.default_collate' || q === 'torch.utils.data._utils.collate.default_collate') return true;
    const f = c.t === 'Name' && !q ? this.functionsByName.get(c.id) : undefined;
    if (!f) return false;
    const ctx: LexicalContext = { noGrad: false, gradientTape: false, tfFunction: false, compiled: false, fn: f };
    const isTensor = (e: Node): boolean => this.kindOf(e, ctx).kind === 'Tensor';
    let returns = 0;
    let tensors = true;
    walkScope(f.body, (n) => {
      if (n.t !== 'Return') return;
      returns++;
      const v = n.value;
      if (!v || !((v.t === 'Tuple' || v.t === 'List') ? v.elts.length > 0 && v.elts.every(isTensor) : isTensor(v))) tensors = false;
    }, ['Return']);
    return returns > 0 && tensors;
  }

  /** A parameter's kind from the same-file call sites: known only when every call site agrees. */
  paramKind(fn: FunctionDef, name: string): KindInfo {
    const idx = fn.params.findIndex((p) => p.name === name && !p.star);
    if (idx < 0) return { kind: 'Unknown' };
    const isMethod = !!this.classOfMethod(fn);
    const sites = this.callSites().get(fn.name) ?? [];
    if (!sites.length || isMethod) return { kind: 'Unknown' };
    let found: KindInfo | undefined;
    for (const { call, ancestors } of sites) {
      let arg: Node | undefined;
      let pos = 0;
      for (const a of call.args) {
        if (a.kind === 'pos') {
          if (pos === idx) arg = a.value;
          pos++;
        } else if (a.kind === 'kw' && a.name === name) arg = a.value;
        else if (a.kind === 'star' || a.kind === 'dstar') return { kind: 'Unknown' };
      }
      if (!arg) return { kind: 'Unknown' };
      const enclosingFn = [...ancestors].reverse().find((x): x is FunctionDef => x.t === 'FunctionDef');
      if (enclosingFn === fn) return { kind: 'Unknown' };
      const k = arg.t === 'Name' ? this.nameKind(arg.id, enclosingFn, 3) : this.kindOfValue(arg, enclosingFn, 3);
      if (k.kind === 'Unknown' || (found && found.kind !== k.kind)) return { kind: 'Unknown' };
      found ??= k;
    }
    return found ?? { kind: 'Unknown' };
  }

  /** `self.<attr>` kinds of a class, from assignments in all its methods (must agree). */
  selfKinds(cls: ClassDef): Map<string, KindInfo> {
    const cached = this.selfKindCache.get(cls);
    if (cached) return cached;
    const out = new Map<string, KindInfo>();
    this.selfKindCache.set(cls, out);
    const conflicting = new Set<string>();
    for (const m of this.methodsOf(cls)) {
      walkScope(m.body, (n) => {
        if (n.t !== 'Assign' && n.t !== 'AnnAssign') return;
        const targets = n.t === 'Assign' ? n.targets : [n.target];
        for (const t of targets) {
          if (t.t !== 'Attr' || t.obj.t !== 'Name' || t.obj.id !== 'self') continue;
          const k: KindInfo = n.value && n.value.t === 'Call' ? this.kindOfCall(n.value, { noGrad: false, gradientTape: false, tfFunction: false, compiled: false, fn: m, cls }) : { kind: 'Unknown' };
          const prev = out.get(t.attr);
          if (conflicting.has(t.attr)) continue;
          if (k.kind === 'Unknown' || (prev && prev.kind !== k.kind)) {
            conflicting.add(t.attr);
            out.delete(t.attr);
          } else out.set(t.attr, k);
        }
      }, ['Assign', 'AnnAssign']);
    }
    return out;
  }

  classOfMethod(fn: FunctionDef): ClassDef | undefined {
    if (!this.methodClass) {
      this.methodClass = new Map();
      walkAll(this.module.body, (n) => {
        if (n.t === 'ClassDef') for (const m of n.body) if (m.t === 'FunctionDef') this.methodClass!.set(m, n);
      });
    }
    return this.methodClass.get(fn);
  }

  // ---------- bindings ----------

  /** Every binding of every name in a scope (function body or module), nested defs excluded. */
  bindingsOf(scope: Node | Module): ReadonlyMap<string, readonly Binding[]> {
    const cached = this.bindingCache.get(scope) ?? FUNCTION_BINDINGS.get(scope as Node);
    if (cached) return cached;
    const out = new Map<string, Binding[]>();
    const add = (name: string, b: Binding) => {
      const l = out.get(name);
      if (l) l.push(b);
      else out.set(name, [b]);
    };
    const bindTarget = (t: Node, b: Omit<Binding, 'value'>, value?: Node) => {
      if (t.t === 'Name') add(t.id, { ...b, value });
      else if (t.t === 'Tuple' || t.t === 'List') for (const e of t.elts) bindTarget(e, b);
      else if (t.t === 'Starred') bindTarget(t.value, b);
    };
    let body: Node[];
    if ('t' in scope && scope.t === 'FunctionDef') {
      body = scope.body;
      for (const p of scope.params) add(p.name, { stmt: scope, how: 'param' });
    } else body = (scope as Module).body;
    walkScope(body, (n) => {
      switch (n.t) {
        case 'Assign': for (const t of n.targets) {
          if (passesThrough(t, n.value)) for (const e of (t as NodeOf<'Tuple'>).elts) add((e as NodeOf<'Name'>).id, { stmt: n, how: 'assign', passedThrough: true });
          else bindTarget(t, { stmt: n, how: 'assign' }, n.value);
        } break;
        case 'AnnAssign': if (n.value) bindTarget(n.target, { stmt: n, how: 'assign' }, n.value); break;
        case 'AugAssign': bindTarget(n.target, { stmt: n, how: 'aug' }); break;
        case 'For': bindTarget(n.target, { stmt: n, how: 'for', iter: n.iter }); break;
        case 'With': for (const it of n.items) if (it.target) bindTarget(it.target, { stmt: n, how: 'with' }, it.expr); break;
        case 'NamedExpr': bindTarget(n.target, { stmt: n, how: 'assign' }, n.value); break;
        case 'Import': for (const x of n.names) add(x.asname ?? x.name.split('.')[0], { stmt: n, how: 'import' }); break;
        case 'ImportFrom': for (const x of n.names) add(x.asname ?? x.name, { stmt: n, how: 'import' }); break;
        case 'FunctionDef': case 'ClassDef': add(n.name, { stmt: n, how: 'def' }); break;
        case 'Global': for (const x of n.names) add(x, { stmt: n, how: 'other' }); break;
        case 'Comp': for (const g of n.gens) bindTarget(g.target, { stmt: n, how: 'other' }); break;
        default: break;
      }
    }, BINDING_KINDS);
    // A function's bindings are a fact of its own subtree: kept with the node, so that a
    // function the language server's incremental re-parse kept is not walked again.
    if ('t' in scope && scope.t === 'FunctionDef') FUNCTION_BINDINGS.set(scope, out);
    else this.bindingCache.set(scope, out);
    return out;
  }

  /** The single binding of `name` in `fn`'s scope, or undefined when it is bound zero or several times. */
  soleBinding(name: string, fn: FunctionDef | undefined): Binding | undefined {
    const bs = this.bindingsOf(fn ?? this.module).get(name);
    return bs && bs.length === 1 ? bs[0] : undefined;
  }

  // ---------- call sites, ancestors ----------

  /** Same-file call sites by callee name (`f(...)` and `self.f(...)`). */
  callSites(): Map<string, Array<{ call: Call; ancestors: Node[] }>> {
    if (this.callSitesCache) return this.callSitesCache;
    const out = new Map<string, Array<{ call: Call; ancestors: Node[] }>>();
    walkAll(this.module.body, (n, anc) => {
      if (n.t !== 'Call') return;
      const name = n.fn.t === 'Name' ? n.fn.id : n.fn.t === 'Attr' && n.fn.obj.t === 'Name' && n.fn.obj.id === 'self' ? n.fn.attr : undefined;
      if (!name) return;
      const l = out.get(name) ?? [];
      l.push({ call: n, ancestors: [...anc] });
      out.set(name, l);
    }, ['Call']);
    this.callSitesCache = out;
    return out;
  }

  /** Ancestors of a node (outermost first). */
  ancestorsOf(node: Node): readonly Node[] {
    return ancestorsIn(this.module.body, node);
  }

  /** True when some reference to `fn` appears other than as a call's callee (passed as a callback). */
  isReferencedAsValue(name: string): boolean {
    let found = false;
    walkAll(this.module.body, (n, anc) => {
      if (found || n.t !== 'Name' || n.id !== name) return;
      const parent = anc[anc.length - 1];
      if (parent && parent.t === 'Call' && parent.fn === n) return;
      found = true;
    }, ['Name']);
    return found;
  }

  // ---------- contexts ----------

  /** The lexical context at a node, from its ancestors (outermost first). */
  contextAt(ancestors: readonly Node[]): LexicalContext {
    const last = ancestors[ancestors.length - 1];
    if (last) {
      const hit = this.contextCache.get(last);
      if (hit) return hit;
      const c = this.computeContext(ancestors);
      this.contextCache.set(last, c);
      return c;
    }
    return this.computeContext(ancestors);
  }

  private computeContext(ancestors: readonly Node[]): LexicalContext {
    const ctx: LexicalContext = { noGrad: false, gradientTape: false, tfFunction: false, compiled: false };
    let lastFnIdx = -1;
    ancestors.forEach((a, i) => {
      if (a.t === 'FunctionDef') lastFnIdx = i;
    });
    for (let i = 0; i < ancestors.length; i++) {
      const a = ancestors[i];
      if (a.t === 'FunctionDef') {
        if (i < lastFnIdx) continue;
        ctx.noGrad = false;
        ctx.autocast = undefined;
        ctx.gradientTape = false;
        ctx.loop = undefined;
        ctx.fn = a;
        const parent = ancestors[i - 1];
        ctx.cls = parent && parent.t === 'ClassDef' ? parent : undefined;
        for (const d of a.decorators) {
          const q = this.qualifiedName(d.t === 'Call' ? d.fn : d);
          if (q && NO_GRAD_CTX.has(q)) ctx.noGrad = true;
          if (q === 'tensorflow.function') ctx.tfFunction = true;
          if (q === 'torch.compile') ctx.compiled = true;
        }
      } else if (i > lastFnIdx || lastFnIdx < 0) {
        if (a.t === 'With') {
          for (const it of a.items) {
            // `ctx = torch.no_grad()` ... `with ctx:`: a context object held in a name bound once.
            let expr = it.expr;
            if (expr.t === 'Name') {
              const b = this.soleBinding(expr.id, ctx.fn);
              if (b && b.how === 'assign' && b.value && b.value.t === 'Call' && b.stmt.line < a.line) {
                const qv = this.qualifiedName(b.value.fn);
                if (qv && (NO_GRAD_CTX.has(qv) || ENABLE_GRAD_CTX.has(qv))) expr = b.value;
              }
            }
            if (expr.t !== 'Call') continue;
            const q = this.qualifiedName(expr.fn);
            if (!q) continue;
            if (NO_GRAD_CTX.has(q)) ctx.noGrad = true;
            else if (ENABLE_GRAD_CTX.has(q)) ctx.noGrad = false;
            else if (SET_GRAD_CTX.has(q)) {
              const v = expr.args[0]?.value;
              if (v && v.t === 'Const') ctx.noGrad = v.v === false;
            } else if (AUTOCAST_CTX.has(q)) ctx.autocast = a;
            else if (q === 'tensorflow.GradientTape') ctx.gradientTape = true;
          }
        } else if (a.t === 'For' || a.t === 'While') ctx.loop = a;
      }
    }
    return ctx;
  }

  /** The lexical context at a node found anywhere in the file. */
  contextOf(node: Node): LexicalContext {
    return this.contextAt(this.ancestorsOf(node));
  }

  /** True when every same-file call of function `name` sits in a no-grad context (and there is at least one). */
  alwaysCalledUnderNoGrad(name: string): boolean {
    const sites = this.callSites().get(name) ?? [];
    return sites.length > 0 && sites.every((s) => this.contextAt(s.ancestors).noGrad);
  }

  // ---------- step summaries ----------

  /** What a loop body / function body does (nested defs excluded), plus same-file helpers one level deep. */
  summaryOf(owner: Node, fn: FunctionDef | undefined, withHelpers = true): StepSummary {
    const key = owner;
    const cached = withHelpers ? this.summaryCache.get(key) : undefined;
    if (cached) return cached;
    const body = owner.t === 'FunctionDef' || owner.t === 'For' || owner.t === 'While' ? owner.body : [owner];
    const s = this.directSummary(body, fn);
    if (withHelpers) {
      const cls = fn ? this.classOfMethod(fn) : undefined;
      const seen = new Set<string>();
      walkScope(body, (n) => {
        if (n.t !== 'Call') return;
        let helper: FunctionDef | undefined;
        if (n.fn.t === 'Name') helper = this.functionsByName.get(n.fn.id);
        else if (n.fn.t === 'Attr' && n.fn.obj.t === 'Name' && n.fn.obj.id === 'self' && cls) helper = this.methodsOf(cls).find((m) => m.name === (n.fn as NodeOf<'Attr'>).attr);
        if (!helper || helper === fn || seen.has(helper.name)) return;
        seen.add(helper.name);
        const h = this.directSummary(helper.body, helper);
        s.helpers.push(helper.name);
        s.backward.push(...h.backward);
        s.optimizerStep.push(...h.optimizerStep);
        s.zeroGrad.push(...h.zeroGrad);
        s.evalCalls.push(...h.evalCalls);
        s.trainCalls.push(...h.trainCalls);
        s.opaqueCalls.push(...h.opaqueCalls);
      }, ['Call']);
      this.summaryCache.set(key, s);
    }
    return s;
  }

  private directSummary(body: Node[], fn: FunctionDef | undefined): StepSummary {
    const s: StepSummary = { backward: [], optimizerStep: [], zeroGrad: [], evalCalls: [], trainCalls: [], opaqueCalls: [], helpers: [] };
    const cls = fn ? this.classOfMethod(fn) : undefined;
    const ctx: LexicalContext = { noGrad: false, gradientTape: false, tfFunction: false, compiled: false, fn, cls };
    walkScope(body, (n) => {
      if (n.t === 'Assign') {
        for (const t of n.targets) if (t.t === 'Attr' && t.attr === 'grad' && n.value.t === 'Const' && n.value.v === null) s.zeroGrad.push(n);
        return;
      }
      if (n.t !== 'Call') return;
      const q = this.qualifiedName(n.fn);
      if (q === 'torch.autograd.backward') s.backward.push(n);
      if (n.fn.t === 'Attr') {
        const { attr, obj } = n.fn;
        if (attr === 'backward') s.backward.push(n);
        else if (attr === 'zero_grad') s.zeroGrad.push(n);
        else if (attr === 'zero_' && obj.t === 'Attr' && (obj.attr === 'grad' || (obj.attr === 'data' && obj.obj.t === 'Attr' && obj.obj.attr === 'grad'))) s.zeroGrad.push(n);
        else if (attr === 'step') {
          const k = this.kindOf(obj, ctx).kind;
          if (k === 'Optimizer') s.optimizerStep.push({ call: n, optimizer: obj });
          else if (n.args[0] && n.args[0].kind === 'pos') {
            const ak = this.kindOf(n.args[0].value, ctx).kind;
            if (ak === 'Optimizer' || (k === 'GradScaler' && ak !== 'Unknown')) s.optimizerStep.push({ call: n, optimizer: n.args[0].value });
          }
        } else if (attr === 'eval' && n.args.length === 0) s.evalCalls.push({ call: n, receiver: obj });
        else if (attr === 'train') {
          const a0 = n.args[0]?.value;
          if (a0 && a0.t === 'Const' && a0.v === false) s.evalCalls.push({ call: n, receiver: obj });
          else s.trainCalls.push({ call: n, receiver: obj });
        }
      }
      if (!q && n.fn.t === 'Name' && !this.functionsByName.has(n.fn.id) && !this.classesByName.has(n.fn.id) && !PY_BUILTINS.has(n.fn.id)) {
        s.opaqueCalls.push({ call: n, argNames: n.args.map((a) => (a.value.t === 'Name' ? a.value.id : '')).filter(Boolean) });
      } else if (q && !/^(torch|tensorflow|keras|numpy)\b/.test(q)) {
        s.opaqueCalls.push({ call: n, argNames: n.args.map((a) => (a.value.t === 'Name' ? a.value.id : '')).filter(Boolean) });
      }
    }, ['Assign', 'Call']);
    return s;
  }
}

const TENSOR_METHODS_KEEPING_KIND = new Set([
  'to', 'cuda', 'cpu', 'float', 'double', 'half', 'long', 'int', 'bool', 'detach', 'clone', 'contiguous', 'reshape', 'view', 'squeeze', 'unsqueeze',
  'permute', 'transpose', 'flatten', 'softmax', 'log_softmax', 'sigmoid', 'mean', 'sum',
]);

const MODULE_METHODS_RETURNING_SELF = new Set(['to', 'cuda', 'cpu', 'eval', 'train', 'float', 'double', 'half', 'bfloat16', 'requires_grad_', 'apply']);

const PY_BUILTINS = new Set([
  'print', 'len', 'range', 'enumerate', 'zip', 'list', 'dict', 'tuple', 'set', 'sum', 'min', 'max', 'abs', 'float', 'int', 'str', 'bool', 'round',
  'isinstance', 'getattr', 'setattr', 'hasattr', 'sorted', 'reversed', 'map', 'filter', 'any', 'all', 'iter', 'next', 'open', 'super', 'type', 'format', 'repr',
]);

/**
 * Visits every node in a body, not descending into nested function/class definitions or
 * lambdas. With `types`, only nodes of those kinds are visited (much cheaper: they are read
 * from the file's index of nodes by kind).
 */
export function walkScope(body: readonly Node[], visit: (n: Node, ancestors: readonly Node[]) => void, types?: readonly Node['t'][]): void {
  if (types) walkTypedTree(body, types, SCOPE_BOUNDARIES, visit);
  else walkTree(body, visit, isScopeBoundary);
}

const SCOPE_BOUNDARIES: readonly Node['t'][] = ['FunctionDef', 'ClassDef', 'Lambda'];
/** The statements and expressions that bind names (bindingsOf). */
const BINDING_KINDS: readonly Node['t'][] = ['Assign', 'AnnAssign', 'AugAssign', 'For', 'With', 'NamedExpr', 'Import', 'ImportFrom', 'FunctionDef', 'ClassDef', 'Global', 'Comp'];
const isScopeBoundary = (n: Node): boolean => n.t === 'FunctionDef' || n.t === 'ClassDef' || n.t === 'Lambda';

/** Visits every node in a body, nested definitions included, with ancestors (outermost first). */
export function walkAll(body: readonly Node[], visit: (n: Node, ancestors: readonly Node[]) => void, types?: readonly Node['t'][]): void {
  walkTree(body, visit, undefined, undefined, types);
}

/** Statement lists directly inside a statement (bodies of if/for/while/with/try). */
export function blocksOf(s: Node): Node[][] {
  switch (s.t) {
    case 'If': case 'For': case 'While': return [s.body, s.orelse];
    case 'With': case 'FunctionDef': case 'ClassDef': return [s.body];
    case 'Try': return [s.body, ...s.handlers, s.orelse, s.finalbody];
    default: return [];
  }
}

/** Keyword argument by name. */
export function kwArg(call: Call, name: string): Node | undefined {
  for (const a of call.args) if (a.kind === 'kw' && a.name === name) return a.value;
  return undefined;
}

/** Positional arguments in order. */
export function posArgs(call: Call): Node[] {
  return call.args.filter((a) => a.kind === 'pos').map((a) => a.value);
}

const factsCache = new WeakMap<Module, LintFacts>();

/** The facts of a file, built once per parsed module and shared by every rule. */
export function factsFor(module: Module, text: string, imports: ReadonlyMap<string, string>): LintFacts {
  let f = factsCache.get(module);
  if (!f || f.text !== text) {
    f = new LintFacts(module, text, imports);
    factsCache.set(module, f);
  }
  return f;
}

/** Methods whose result is of the receiver's kind: a tf.data transformation, a tensor conversion or reshape, Module.to. */
const KIND_KEEPING = new Set([
  'batch', 'shuffle', 'map', 'filter', 'repeat', 'prefetch', 'cache', 'take', 'skip', 'padded_batch', 'unbatch', 'apply', 'with_options',
  'to', 'cuda', 'cpu', 'float', 'double', 'half', 'bfloat16', 'long', 'int', 'detach', 'clone', 'contiguous', 'reshape', 'view',
  'squeeze', 'unsqueeze', 'permute', 'transpose', 'flatten',
]);

/** `a, b = f(a, b)`: a tuple of two or more names, each passed back as the call's positional argument of the same index (and no other argument). */
function passesThrough(t: Node, v: Node): boolean {
  if ((t.t !== 'Tuple' && t.t !== 'List') || t.elts.length < 2 || v.t !== 'Call' || v.args.length !== t.elts.length) return false;
  return t.elts.every((e, i) => {
    const a = v.args[i];
    return e.t === 'Name' && a.kind === 'pos' && a.value.t === 'Name' && a.value.id === e.id;
  });
}

/** `name.<method>(...)` with a KIND_KEEPING method. */
function keepsKind(v: Node, name: string): boolean {
  return v.t === 'Call' && v.fn.t === 'Attr' && v.fn.obj.t === 'Name' && v.fn.obj.id === name && KIND_KEEPING.has(v.fn.attr);
}
