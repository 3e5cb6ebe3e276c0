// Training code between the frameworks, from the analysed module AST and the interpreter's
// facts (import paths, evaluated arguments, the model object a call is made on):
//   Keras `model.compile(optimizer, loss, metrics)` + `model.fit(...)` -> a PyTorch train()
//   loop (zero_grad / backward / step, train()/eval(), no_grad validation, accuracy, early
//   stopping) with the optimiser, loss and their defaults mapped;
//   a PyTorch loop (`torch.optim.X(model.parameters(), ...)`, a loss module, `for epoch in
//   range(N): for xb, yb in loader: ...`) -> Keras `model.compile(...)` + `model.fit(...)`.
// Every default that differs is written out and stated in a note with its source line.

import type { DetailedAnalysis } from '../analyze';
import type { InstanceV, Value } from '../eval/values';
import type { Node } from '../python/ast';
import { unparse } from './from-keras-subclassed';
import { pyFloat, pyIdent } from './pyfmt';
import type { TranslationMeta, TranslationNote } from './types';
import { refersToName } from './stmt-printer';

type Lit = number | string | boolean | null | Lit[];
/** An argument: its literal value when known, else the source text. */
interface Arg { lit?: Lit; text: string; line: number }

interface CallInfo { path: string; args: Arg[]; kwargs: Map<string, Arg>; line: number }

// ------------------------------------------------------------------ AST helpers

function walkStmts(body: Node[], visit: (s: Node, fnParams: Map<string, Node | undefined>) => void, fnParams = new Map<string, Node | undefined>(), depth = 0): void {
  if (depth > 50) return;
  for (const s of body) {
    visit(s, fnParams);
    switch (s.t) {
      case 'If': case 'For': case 'While':
        walkStmts(s.body, visit, fnParams, depth + 1);
        walkStmts(s.orelse, visit, fnParams, depth + 1);
        break;
      case 'With':
        walkStmts(s.body, visit, fnParams, depth + 1);
        break;
      case 'Try':
        walkStmts(s.body, visit, fnParams, depth + 1);
        s.handlers.forEach((h) => walkStmts(h, visit, fnParams, depth + 1));
        walkStmts(s.orelse, visit, fnParams, depth + 1);
        walkStmts(s.finalbody, visit, fnParams, depth + 1);
        break;
      case 'FunctionDef': {
        const params = new Map(fnParams);
        for (const p of s.params) params.set(p.name, p.default);
        walkStmts(s.body, visit, params, depth + 1);
        break;
      }
      default:
        break;
    }
  }
}

/** Every Call node inside an expression or statement (not descending into nested defs). */
function callsIn(n: unknown, out: Array<Node & { t: 'Call' }> = [], depth = 0): Array<Node & { t: 'Call' }> {
  if (!n || typeof n !== 'object' || depth > 200) return out;
  if (Array.isArray(n)) {
    n.forEach((x) => callsIn(x, out, depth + 1));
    return out;
  }
  const o = n as Node;
  if (o.t === 'FunctionDef' || o.t === 'ClassDef') return out;
  if (o.t === 'Call') out.push(o);
  for (const [k, v] of Object.entries(o)) if (k !== 'line' && k !== 'col' && v && typeof v === 'object') callsIn(v, out, depth + 1);
  return out;
}

class Facts {
  constructor(private readonly d: DetailedAnalysis) {}

  /** The fully qualified name of a dotted reference (`optim.Adam` -> `torch.optim.Adam`), via the file's imports. */
  qual(n: Node): string | undefined {
    const text = unparse(n);
    if (!text || !/^[A-Za-z_][\w.]*$/.test(text)) return undefined;
    const [head, ...rest] = text.split('.');
    const full = [this.d.imports.get(head) ?? head, ...rest].join('.');
    return full.replace(/^tensorflow\.keras\./, 'keras.').replace(/^tf\.keras\./, 'keras.').replace(/^keras\.src\./, 'keras.');
  }

  lit(v: Value): Lit | undefined {
    switch (v.k) {
      case 'int': return typeof v.v === 'number' ? v.v : undefined;
      case 'float': return v.v;
      case 'str': return v.v;
      case 'bool': return v.v;
      case 'none': return null;
      case 'tuple': case 'list': {
        const items = v.items.map((x) => this.lit(x));
        return items.some((x) => x === undefined) ? undefined : (items as Lit[]);
      }
      default: return undefined;
    }
  }

  /** An argument's literal: evaluated in the module scope, else a function parameter's default, else only the text. */
  arg(n: Node, fnParams: Map<string, Node | undefined>): Arg {
    const text = unparse(n) ?? '...';
    const line = n.line + 1;
    if (n.t === 'Name' && fnParams.has(n.id)) {
      const def = fnParams.get(n.id);
      return def ? { ...this.arg(def, new Map()), text, line } : { text, line };
    }
    const ip = this.d.interp;
    if (ip && !refersToName(n, fnParams)) {
      try {
        const l = this.lit(ip.eval(n, ip.globals));
        if (l !== undefined) return { lit: l, text, line };
      } catch {
        /* not evaluable */
      }
    }
    return { text, line };
  }

  call(n: Node & { t: 'Call' }, fnParams: Map<string, Node | undefined>): CallInfo {
    const args: Arg[] = [];
    const kwargs = new Map<string, Arg>();
    for (const a of n.args) {
      if (a.kind === 'pos') args.push(this.arg(a.value, fnParams));
      else if (a.kind === 'kw') kwargs.set(a.name, this.arg(a.value, fnParams));
    }
    return { path: this.qual(n.fn) ?? unparse(n.fn) ?? '?', args, kwargs, line: n.line + 1 };
  }
}

/** Binds a call's positional and keyword arguments to parameter names. */
function bind(c: CallInfo, names: string[], aliases: Record<string, string> = {}): Map<string, Arg> {
  const out = new Map<string, Arg>();
  c.args.forEach((a, i) => names[i] && out.set(names[i], a));
  for (const [k, v] of c.kwargs) out.set(aliases[k] ?? k, v);
  return out;
}

const num = (a: Arg | undefined, dflt: number): number => (a && typeof a.lit === 'number' ? a.lit : dflt);
const bool = (a: Arg | undefined, dflt: boolean): boolean => (a && typeof a.lit === 'boolean' ? a.lit : dflt);
/** The Python value of an argument: the literal, or the source text (a name the user defines) when not known. */
const pyv = (a: Arg | undefined, dflt: number): string => (a === undefined ? pyFloat(dflt) : typeof a.lit === 'number' ? pyFloat(a.lit) : a.text);
const last = (p: string): string => p.split('.').pop() ?? p;

// ------------------------------------------------------------------ Keras -> PyTorch

export type LossKind = NonNullable<TranslationMeta['training']>['loss'];

export interface KerasTraining {
  line: number;
  optimizer: { name: string; a: Map<string, Arg>; line: number };
  loss: { name: string; fromLogits: boolean; a: Map<string, Arg>; line: number };
  metrics: Array<{ name: string; line: number }>;
  fit?: { line: number; epochs: Arg | undefined; batchSize: Arg | undefined; validationSplit: Arg | undefined; validationData: Arg | undefined; shuffle: Arg | undefined; x: string; y: string; callbacks: Array<{ name: string; a: Map<string, Arg>; line: number }> };
}

const KERAS_OPT_SIG: Record<string, string[]> = {
  Adam: ['learning_rate', 'beta_1', 'beta_2', 'epsilon', 'amsgrad', 'weight_decay'],
  AdamW: ['learning_rate', 'weight_decay', 'beta_1', 'beta_2', 'epsilon', 'amsgrad'],
  SGD: ['learning_rate', 'momentum', 'nesterov', 'weight_decay'],
  RMSprop: ['learning_rate', 'rho', 'momentum', 'epsilon', 'centered', 'weight_decay'],
  Adagrad: ['learning_rate', 'initial_accumulator_value', 'epsilon', 'weight_decay'],
};
const KERAS_OPT_NAMES: Record<string, string> = { adam: 'Adam', adamw: 'AdamW', sgd: 'SGD', rmsprop: 'RMSprop', adagrad: 'Adagrad' };

const KERAS_LOSS_NAMES: Record<string, string> = {
  sparse_categorical_crossentropy: 'SparseCategoricalCrossentropy', SparseCategoricalCrossentropy: 'SparseCategoricalCrossentropy',
  categorical_crossentropy: 'CategoricalCrossentropy', CategoricalCrossentropy: 'CategoricalCrossentropy',
  binary_crossentropy: 'BinaryCrossentropy', BinaryCrossentropy: 'BinaryCrossentropy',
  mse: 'MeanSquaredError', mean_squared_error: 'MeanSquaredError', MeanSquaredError: 'MeanSquaredError',
  mae: 'MeanAbsoluteError', mean_absolute_error: 'MeanAbsoluteError', MeanAbsoluteError: 'MeanAbsoluteError',
  huber: 'Huber', huber_loss: 'Huber', Huber: 'Huber',
};

/** Finds `model.compile(...)` / `model.fit(...)` made on this model object (or, for a model held in a local variable, on the file's only model). */
export function detectKerasTraining(d: DetailedAnalysis, inst: InstanceV): KerasTraining | undefined {
  const mod = d.module;
  const ip = d.interp;
  if (!mod || !ip) return undefined;
  const facts = new Facts(d);
  const kerasModels = d.analysis.models.filter((m) => m.framework === 'keras').length;
  let compile: { c: Node & { t: 'Call' }; p: Map<string, Node | undefined> } | undefined;
  let fit: { c: Node & { t: 'Call' }; p: Map<string, Node | undefined> } | undefined;
  const assigns = new Map<string, Node>();
  walkStmts(mod.body, (s, p) => {
    if (s.t === 'Assign' && s.targets[0]?.t === 'Name') assigns.set(s.targets[0].id, s.value);
    if (s.t !== 'Expr' && s.t !== 'Assign') return;
    for (const c of callsIn(s.t === 'Expr' ? s.value : s.value)) {
      if (c.fn.t !== 'Attr' || (c.fn.attr !== 'compile' && c.fn.attr !== 'fit') || c.fn.obj.t !== 'Name') continue;
      const g = ip.globals.vars.get(c.fn.obj.id);
      const onThis = g === inst || (!p.has(c.fn.obj.id) && g === undefined && kerasModels === 1) || (p.has(c.fn.obj.id) && kerasModels === 1);
      if (!onThis) continue;
      if (c.fn.attr === 'compile') compile ??= { c, p };
      else fit ??= { c, p };
    }
  });
  if (!compile) return undefined;
  const cc = facts.call(compile.c, compile.p);
  const ca = bind(cc, ['optimizer', 'loss', 'metrics']);
  // Optimiser: a string or an optimiser object.
  const optNode = argNode(compile.c, 'optimizer', 0);
  let optimizer: KerasTraining['optimizer'] = { name: 'RMSprop', a: new Map(), line: cc.line };
  if (optNode) {
    const oc = optNode.t === 'Call' ? facts.call(optNode, compile.p) : undefined;
    const o = ca.get('optimizer')!;
    if (oc) {
      const name = last(oc.path);
      optimizer = { name, a: bind(oc, KERAS_OPT_SIG[name] ?? [], { lr: 'learning_rate' }), line: oc.line };
    } else if (typeof o.lit === 'string') optimizer = { name: KERAS_OPT_NAMES[o.lit.toLowerCase()] ?? o.lit, a: new Map(), line: o.line };
    else optimizer = { name: o.text, a: new Map(), line: o.line };
  }
  const lossNode = argNode(compile.c, 'loss', 1);
  let loss: KerasTraining['loss'] = { name: '?', fromLogits: false, a: new Map(), line: cc.line };
  if (lossNode) {
    const lc = lossNode.t === 'Call' ? facts.call(lossNode, compile.p) : undefined;
    const l = ca.get('loss')!;
    if (lc) {
      const a = bind(lc, ['from_logits']);
      loss = { name: KERAS_LOSS_NAMES[last(lc.path)] ?? last(lc.path), fromLogits: bool(a.get('from_logits'), false), a, line: lc.line };
    } else if (typeof l.lit === 'string') loss = { name: KERAS_LOSS_NAMES[l.lit] ?? l.lit, fromLogits: false, a: new Map(), line: l.line };
    else loss = { name: l.text, fromLogits: false, a: new Map(), line: l.line };
  }
  const metrics: KerasTraining['metrics'] = [];
  const m = ca.get('metrics');
  if (m && Array.isArray(m.lit)) for (const x of m.lit) metrics.push({ name: String(x), line: m.line });
  else if (m) metrics.push({ name: m.text, line: m.line });
  const out: KerasTraining = { line: cc.line, optimizer, loss, metrics };
  if (fit) {
    const fc = facts.call(fit.c, fit.p);
    const fa = bind(fc, ['x', 'y', 'batch_size', 'epochs', 'verbose', 'callbacks', 'validation_split', 'validation_data', 'shuffle']);
    const callbacks: NonNullable<KerasTraining['fit']>['callbacks'] = [];
    let cbNode = argNode(fit.c, 'callbacks', 5);
    if (cbNode?.t === 'Name' && assigns.has(cbNode.id)) cbNode = assigns.get(cbNode.id);
    if (cbNode && (cbNode.t === 'List' || cbNode.t === 'Tuple')) {
      for (const e of cbNode.elts) {
        let en: Node | undefined = e;
        if (en.t === 'Name' && assigns.has(en.id)) en = assigns.get(en.id);
        if (en?.t === 'Call') {
          const c = facts.call(en, fit.p);
          const name = last(c.path);
          const sig = name === 'EarlyStopping' ? ['monitor', 'min_delta', 'patience', 'verbose', 'mode', 'baseline', 'restore_best_weights'] : name === 'ReduceLROnPlateau' ? ['monitor', 'factor', 'patience'] : [];
          callbacks.push({ name, a: bind(c, sig), line: c.line });
        } else callbacks.push({ name: unparse(e) ?? '?', a: new Map(), line: e.line + 1 });
      }
    } else if (cbNode) callbacks.push({ name: unparse(cbNode) ?? '?', a: new Map(), line: cbNode.line + 1 });
    out.fit = {
      line: fc.line, epochs: fa.get('epochs'), batchSize: fa.get('batch_size'), validationSplit: fa.get('validation_split'),
      validationData: fa.get('validation_data'), shuffle: fa.get('shuffle'), x: fa.get('x')?.text ?? 'x_train', y: fa.get('y')?.text ?? 'y_train', callbacks,
    };
  }
  return out;
}

function argNode(c: Node & { t: 'Call' }, name: string, pos: number): Node | undefined {
  const kw = c.args.find((a) => a.kind === 'kw' && a.name === name);
  if (kw && kw.kind === 'kw') return kw.value;
  const p = c.args.filter((a) => a.kind === 'pos')[pos];
  return p && p.kind === 'pos' ? p.value : undefined;
}

/** The final activation the translated model should leave out, because the torch loss takes logits. */
export function activationToDrop(t: KerasTraining | undefined): 'softmax' | 'sigmoid' | undefined {
  if (!t || t.loss.fromLogits) return undefined;
  if (t.loss.name === 'SparseCategoricalCrossentropy' || t.loss.name === 'CategoricalCrossentropy') return 'softmax';
  if (t.loss.name === 'BinaryCrossentropy') return 'sigmoid';
  return undefined;
}

/** The PyTorch training code for a Keras compile/fit, placed after the model (before its __main__ block). */
export function torchTrainingCode(t: KerasTraining, meta: TranslationMeta | undefined, notes: TranslationNote[]): string[] {
  const note = (line: number, message: string) => notes.push({ line, message });
  const todos: string[] = [];
  const todo = (line: number, message: string) => {
    notes.push({ line, message: `TODO: ${message}` });
    todos.push(`# TODO(tensorlens): ${message}`);
  };
  // Optimiser.
  const o = t.optimizer;
  const a = o.a;
  let opt: string;
  const lr = (dflt: number) => pyv(a.get('learning_rate'), dflt);
  const wd = a.get('weight_decay');
  const hasWd = wd !== undefined && !(wd.lit === null || wd.lit === 0);
  switch (o.name) {
    case 'Adam':
    case 'AdamW': {
      const eps = pyv(a.get('epsilon'), 1e-7);
      const w = o.name === 'AdamW' ? pyv(wd, 0.004) : hasWd ? pyv(wd, 0) : undefined;
      opt = `torch.optim.${o.name === 'AdamW' || hasWd ? 'AdamW' : 'Adam'}(model.parameters(), lr=${lr(0.001)}, betas=(${pyv(a.get('beta_1'), 0.9)}, ${pyv(a.get('beta_2'), 0.999)}), eps=${eps}${w !== undefined ? `, weight_decay=${w}` : ''}${bool(a.get('amsgrad'), false) ? ', amsgrad=True' : ''})`;
      note(o.line, `${o.name}: Keras' epsilon defaults to 1e-7, torch's eps to 1e-8 — eps=${eps} written out; Keras adds its epsilon before the bias correction ("epsilon hat"), torch after, so the two differ slightly in the first steps. learning_rate 0.001 and betas (0.9, 0.999) are the same defaults in both`);
      if (o.name === 'AdamW') note(o.line, `AdamW: Keras' weight_decay defaults to 0.004, torch's to 0.01 — weight_decay=${w} written out (both decoupled)`);
      else if (hasWd) note(o.line, 'Adam(weight_decay=...): Keras 3 applies weight decay decoupled from the gradient, which is torch.optim.AdamW (torch.optim.Adam\'s weight_decay is an L2 term in the gradient)');
      break;
    }
    case 'SGD': {
      const mom = num(a.get('momentum'), 0);
      opt = `torch.optim.SGD(model.parameters(), lr=${lr(0.01)}${mom || a.get('momentum') ? `, momentum=${pyv(a.get('momentum'), 0)}` : ''}${bool(a.get('nesterov'), false) ? ', nesterov=True' : ''}${hasWd ? `, weight_decay=${pyv(wd, 0)}` : ''})`;
      note(o.line, `SGD: Keras' learning_rate defaults to 0.01; torch.optim.SGD has no default (lr is required in torch 1.13) — lr=${lr(0.01)} written out${mom || a.get('momentum') ? '. Keras updates velocity = momentum·v − lr·g, torch buf = momentum·buf + g then −lr·buf: the same steps for a constant learning rate' : ''}`);
      if (hasWd) note(o.line, 'SGD(weight_decay=...): Keras 3 decays the weights decoupled from the gradient; torch adds weight_decay·w to the gradient (L2) — equal only up to the learning-rate factor');
      break;
    }
    case 'RMSprop': {
      opt = `torch.optim.RMSprop(model.parameters(), lr=${lr(0.001)}, alpha=${pyv(a.get('rho'), 0.9)}, eps=${pyv(a.get('epsilon'), 1e-7)}${num(a.get('momentum'), 0) || a.get('momentum') ? `, momentum=${pyv(a.get('momentum'), 0)}` : ''}${bool(a.get('centered'), false) ? ', centered=True' : ''})`;
      note(o.line, `RMSprop: Keras' rho is torch's alpha (Keras default 0.9, torch 0.99), learning_rate 0.001 vs torch's 0.01, epsilon 1e-7 vs torch's 1e-8 — all written out with Keras' values; momentum maps to momentum`);
      break;
    }
    case 'Adagrad': {
      opt = `torch.optim.Adagrad(model.parameters(), lr=${lr(0.001)}, initial_accumulator_value=${pyv(a.get('initial_accumulator_value'), 0.1)}, eps=${pyv(a.get('epsilon'), 1e-7)})`;
      note(o.line, 'Adagrad: Keras defaults learning_rate 0.001, initial_accumulator_value 0.1, epsilon 1e-7; torch 0.01, 0, 1e-10 — Keras\' values written out');
      break;
    }
    default:
      todo(o.line, `optimizer ${o.name} has no PyTorch mapping here; Adam with Keras' defaults is used in its place`);
      opt = 'torch.optim.Adam(model.parameters(), lr=0.001, eps=1e-07)';
  }
  // Loss.
  const l = t.loss;
  const dropped = meta?.finalActivationDropped;
  let crit: string;
  let kind: LossKind;
  const fromLogits = l.fromLogits || (dropped !== undefined && dropped === activationToDrop(t));
  switch (l.name) {
    case 'SparseCategoricalCrossentropy':
      if (fromLogits) {
        crit = 'nn.CrossEntropyLoss()';
        kind = 'cross_entropy';
        note(l.line, `sparse_categorical_crossentropy is nn.CrossEntropyLoss on logits with integer class targets (torch.long)${dropped ? ' — the model\'s final softmax was dropped for it' : ' (from_logits=True)'}`);
      } else {
        crit = 'nn.NLLLoss()';
        kind = 'nll';
        note(l.line, 'sparse_categorical_crossentropy on probabilities (from_logits=False): nn.NLLLoss on log(probabilities), clamped at 1e-7 as Keras clips');
      }
      break;
    case 'CategoricalCrossentropy': {
      const ls = l.a.get('label_smoothing');
      kind = fromLogits ? 'cross_entropy' : 'categorical';
      if (fromLogits) {
        crit = `nn.CrossEntropyLoss(${ls && typeof ls.lit === 'number' && ls.lit ? `label_smoothing=${pyFloat(ls.lit)}` : ''})`;
        kind = 'categorical';
        note(l.line, `categorical_crossentropy (one-hot targets) is nn.CrossEntropyLoss on logits with probability targets (float one-hot rows, torch >= 1.10)${dropped ? ' — the model\'s final softmax was dropped for it' : ''}`);
      } else {
        crit = 'lambda out, target: -(target * torch.log(out.clamp(1e-7, 1 - 1e-7))).sum(dim=-1).mean()';
        note(l.line, 'categorical_crossentropy on probabilities: written as −Σ target·log(p) with p clipped to [1e-7, 1 − 1e-7] as Keras does');
      }
      break;
    }
    case 'BinaryCrossentropy':
      if (fromLogits) {
        crit = 'nn.BCEWithLogitsLoss()';
        kind = 'bce_logits';
        note(l.line, `binary_crossentropy on logits is nn.BCEWithLogitsLoss (float 0/1 targets shaped like the output)${dropped ? ' — the model\'s final sigmoid was dropped for it' : ' (from_logits=True)'}`);
      } else {
        crit = 'nn.BCELoss()';
        kind = 'bce';
        note(l.line, 'binary_crossentropy on probabilities is nn.BCELoss; Keras clips probabilities to [1e-7, 1 − 1e-7], torch clamps the log at −100');
      }
      break;
    case 'MeanSquaredError': crit = 'nn.MSELoss()'; kind = 'mse'; break;
    case 'MeanAbsoluteError': crit = 'nn.L1Loss()'; kind = 'mae'; break;
    case 'Huber': {
      const delta = pyv(l.a.get('delta'), 1.0);
      crit = `nn.HuberLoss(delta=${delta})`;
      kind = 'huber';
      break;
    }
    default:
      todo(l.line, `loss ${l.name} has no PyTorch mapping here; nn.MSELoss() stands in`);
      crit = 'nn.MSELoss()';
      kind = 'mse';
  }
  const classLoss = kind === 'cross_entropy' || kind === 'nll' || kind === 'categorical';
  // Metrics.
  let accuracy = false;
  for (const m of t.metrics) {
    if (/^(acc|accuracy|sparse_categorical_accuracy|categorical_accuracy|binary_accuracy)$/.test(m.name)) accuracy = true;
    else todo(m.line, `metric ${m.name} is not translated (only accuracy is computed in the loop)`);
  }
  const f = t.fit;
  const epochs = f?.epochs ? pyv(f.epochs, 1).replace(/\.0$/, '') : '1';
  const batch = f?.batchSize ? pyv(f.batchSize, 32).replace(/\.0$/, '') : '32';
  if (!f) note(t.line, 'No model.fit(...) call found: train() runs 1 epoch (Keras\' default) with batch size 32');
  else if (!f.batchSize) note(f.line, 'fit() without batch_size: Keras\' default batch size 32 is used for the DataLoader');
  // Early stopping and learning-rate callbacks.
  let early: { monitor: string; patience: string; minDelta: string; restore: boolean; max: boolean } | undefined;
  let plateau: { monitor: string; factor: string; patience: string; minLr: string } | undefined;
  for (const cb of f?.callbacks ?? []) {
    if (cb.name === 'EarlyStopping') {
      const monitor = typeof cb.a.get('monitor')?.lit === 'string' ? (cb.a.get('monitor')!.lit as string) : 'val_loss';
      const mode = typeof cb.a.get('mode')?.lit === 'string' ? (cb.a.get('mode')!.lit as string) : 'auto';
      early = { monitor, patience: pyv(cb.a.get('patience'), 0).replace(/\.0$/, ''), minDelta: pyv(cb.a.get('min_delta'), 0), restore: bool(cb.a.get('restore_best_weights'), false), max: mode === 'max' || (mode === 'auto' && /acc/.test(monitor)) };
      note(cb.line, `EarlyStopping(monitor="${monitor}") is written into the loop: stop after ${early.patience} epoch(s) without an improvement larger than ${early.minDelta}${early.restore ? ', then restore the best weights' : ''}`);
    } else if (cb.name === 'ReduceLROnPlateau') {
      const monitor = typeof cb.a.get('monitor')?.lit === 'string' ? (cb.a.get('monitor')!.lit as string) : 'val_loss';
      plateau = { monitor, factor: pyv(cb.a.get('factor'), 0.1), patience: pyv(cb.a.get('patience'), 10).replace(/\.0$/, ''), minLr: pyv(cb.a.get('min_lr'), 0) };
      note(cb.line, `ReduceLROnPlateau is torch.optim.lr_scheduler.ReduceLROnPlateau(factor=${plateau.factor}, patience=${plateau.patience}, min_lr=${plateau.minLr}) stepped on ${monitor} each epoch`);
    } else todo(cb.line, `callback ${cb.name} is not translated`);
  }
  const needsVal = (early && /^val_/.test(early.monitor)) || (plateau && /^val_/.test(plateau.monitor));
  const hist = ['loss', ...(accuracy ? ['accuracy'] : []), 'val_loss', ...(accuracy ? ['val_accuracy'] : [])];

  // Data: Keras arrays are channels-last; the model takes what meta says.
  const in0 = meta?.inputs[0];
  const cf = !!meta && notes.some((n) => /channels-first .* feed x\.permute/.test(n.message));
  const rank = in0?.shape.length ?? 2;
  const perm = cf && rank >= 3 ? `(0, ${rank - 1}, ${Array.from({ length: rank - 2 }, (_, i) => i + 1).join(', ')})` : undefined;
  const xDtype = in0?.dtype === 'int64' ? 'torch.long' : 'torch.float32';
  const yDtype = kind === 'cross_entropy' || kind === 'nll' ? 'torch.long' : 'torch.float32';
  const target = classLoss ? 'yb' : 'yb.reshape(out.shape)';
  const lossOf = kind === 'nll' ? `criterion(torch.log(out.clamp_min(1e-7)), ${target})` : `criterion(out, ${target})`;
  const correct = kind === 'categorical' ? '(out.argmax(dim=-1) == yb.argmax(dim=-1)).sum().item()'
    : classLoss ? '(out.argmax(dim=-1) == yb).sum().item()'
      : kind === 'bce_logits' ? `((out > 0).float() == ${target}).float().mean().item() * len(yb)`
        : `((out > 0.5).float() == ${target}).float().mean().item() * len(yb)`;

  const multi = (meta?.inputs.length ?? 1) > 1;
  const batchVars = multi ? '*xb, yb' : 'xb, yb';
  const callModel = multi ? 'model(*xb)' : 'model(xb)';
  const L: string[] = [];
  L.push('');
  L.push(`# ---- Training, translated from model.compile (line ${t.line})${f ? ` and model.fit (line ${f.line})` : ''} ----`);
  if (early?.restore) L.push('import copy');
  L.push('from torch.utils.data import DataLoader, TensorDataset');
  L.push('');
  L.push('');
  L.push(`def make_loaders(x, y, batch_size=${batch}, validation_split=${f?.validationSplit ? pyv(f.validationSplit, 0) : '0.0'}, shuffle=${f?.shuffle && f.shuffle.lit === false ? 'False' : 'True'}):`);
  L.push('    """Keras fit(x, y, ...) data as DataLoaders; validation_split takes the last fraction, before shuffling, as Keras does."""');
  if (multi) {
    L.push('    xs = [torch.as_tensor(v) for v in x]  # one array per model input, as Keras fit(x=[...]) takes them');
    meta!.inputs.forEach((inp, i) => {
      const r = inp.shape.length;
      const cfIn = cf && r >= 3 && notes.some((n) => n.message.startsWith(`Input ${inp.name}:`) && /feed x\.permute/.test(n.message));
      L.push(`    xs[${i}] = xs[${i}].to(${inp.dtype === 'int64' ? 'torch.long' : 'torch.float32'})${cfIn ? `.permute(0, ${r - 1}, ${Array.from({ length: r - 2 }, (_, j) => j + 1).join(', ')})` : ''}`);
    });
  } else {
    L.push(`    x = torch.as_tensor(x, dtype=${xDtype})`);
    if (perm) L.push(`    x = x.permute${perm}  # channels-last (Keras) -> channels-first`);
  }
  L.push(`    y = torch.as_tensor(y, dtype=${yDtype})`);
  L.push('    n_val = int(len(y) * validation_split)');
  L.push('    n_train = len(y) - n_val');
  if (multi) {
    L.push('    train_loader = DataLoader(TensorDataset(*[v[:n_train] for v in xs], y[:n_train]), batch_size=batch_size, shuffle=shuffle)');
    L.push('    val_loader = DataLoader(TensorDataset(*[v[n_train:] for v in xs], y[n_train:]), batch_size=batch_size) if n_val else None');
  } else {
    L.push('    train_loader = DataLoader(TensorDataset(x[:n_train], y[:n_train]), batch_size=batch_size, shuffle=shuffle)');
    L.push('    val_loader = DataLoader(TensorDataset(x[n_train:], y[n_train:]), batch_size=batch_size) if n_val else None');
  }
  L.push('    return train_loader, val_loader');
  L.push('');
  L.push('');
  L.push(`def train(model, train_loader, val_loader=None, epochs=${epochs}):`);
  L.push('    """model.compile(...) + model.fit(...) as an explicit loop; returns the Keras-style history."""');
  for (const td of todos) L.push(`    ${td}`);
  L.push(`    optimizer = ${opt}`);
  L.push(`    criterion = ${crit}`);
  if (plateau) L.push(`    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode="${/acc/.test(plateau.monitor) ? 'max' : 'min'}", factor=${plateau.factor}, patience=${plateau.patience}, min_lr=${plateau.minLr})`);
  L.push(`    history = {${hist.map((h) => `"${h}": []`).join(', ')}}`);
  if (early) L.push(`    best, best_state, wait = None, None, 0`);
  L.push('    for epoch in range(epochs):');
  L.push('        model.train()');
  L.push('        total, correct, count = 0.0, 0.0, 0');
  L.push(`        for ${batchVars} in train_loader:`);
  L.push('            optimizer.zero_grad()');
  L.push(`            out = ${callModel}`);
  L.push(`            loss = ${lossOf}`);
  L.push('            loss.backward()');
  L.push('            optimizer.step()');
  L.push('            total += loss.item() * len(yb)');
  if (accuracy) L.push(`            correct += ${correct}`);
  L.push('            count += len(yb)');
  L.push('        history["loss"].append(total / max(count, 1))');
  if (accuracy) L.push('        history["accuracy"].append(correct / max(count, 1))');
  L.push('        if val_loader is not None:');
  L.push('            model.eval()');
  L.push('            total, correct, count = 0.0, 0.0, 0');
  L.push('            with torch.no_grad():');
  L.push(`                for ${batchVars} in val_loader:`);
  L.push(`                    out = ${callModel}`);
  L.push(`                    total += ${lossOf}.item() * len(yb)`);
  if (accuracy) L.push(`                    correct += ${correct}`);
  L.push('                    count += len(yb)');
  L.push('            history["val_loss"].append(total / max(count, 1))');
  if (accuracy) L.push('            history["val_accuracy"].append(correct / max(count, 1))');
  const monitorExpr = (m: string) => `history[${JSON.stringify(hist.includes(m) ? m : 'loss')}][-1]`;
  if (needsVal) L.push('        has_val = val_loader is not None');
  if (plateau) {
    const m = /^val_/.test(plateau.monitor) ? `${monitorExpr(plateau.monitor)} if has_val else ${monitorExpr(plateau.monitor.replace(/^val_/, ''))}` : monitorExpr(plateau.monitor);
    L.push(`        scheduler.step(${m})`);
  }
  if (early) {
    const m = /^val_/.test(early.monitor) ? `${monitorExpr(early.monitor)} if has_val else ${monitorExpr(early.monitor.replace(/^val_/, ''))}` : monitorExpr(early.monitor);
    L.push(`        current = ${m}`);
    L.push(`        if best is None or current ${early.max ? '>' : '<'} best ${early.max ? '+' : '-'} ${early.minDelta}:`);
    L.push('            best, wait = current, 0');
    if (early.restore) L.push('            best_state = copy.deepcopy(model.state_dict())');
    L.push('        else:');
    L.push('            wait += 1');
    L.push(`            if wait >= ${early.patience}:`);
    if (early.restore) {
      L.push('                if best_state is not None:');
      L.push('                    model.load_state_dict(best_state)');
    }
    L.push('                break');
  }
  L.push('    return history');
  L.push('');
  L.push('');
  const split = f?.validationSplit ? `, validation_split=${pyv(f.validationSplit, 0)}` : '';
  L.push(`# model.fit(${f ? `${f.x}, ${f.y}, ` : ''}...) becomes:`);
  if (f?.validationData) {
    L.push(`#     train_loader, _ = make_loaders(${f.x}, ${f.y}, batch_size=${batch})`);
    L.push(`#     val_loader, _ = make_loaders(*${f.validationData.text}, batch_size=${batch}, shuffle=False)`);
  } else L.push(`#     train_loader, val_loader = make_loaders(${f ? `${f.x}, ${f.y}` : 'x_train, y_train'}, batch_size=${batch}${split})`);
  L.push(`#     history = train(${meta?.modelVar ?? 'model'}, train_loader, val_loader, epochs=${epochs})`);
  if (needsVal && !f?.validationSplit && !f?.validationData) note(f?.line ?? t.line, 'The callbacks monitor validation metrics but fit() has no validation data: the loop falls back to the training loss, where Keras would warn and skip');
  if (meta) meta.training = { loss: kind, entry: 'train' };
  return L;
}

// ------------------------------------------------------------------ PyTorch -> Keras

export interface TorchTraining {
  line: number;
  optimizer?: { name: string; a: Map<string, Arg>; line: number };
  loss?: { name: string; a: Map<string, Arg>; line: number; functional: boolean };
  epochs?: Arg;
  batchSize?: Arg;
  shuffle?: Arg;
  clipNorm?: Arg;
  accuracy: boolean;
  scheduler?: { name: string; line: number };
}

const TORCH_OPT_SIG: Record<string, string[]> = {
  Adam: ['params', 'lr', 'betas', 'eps', 'weight_decay', 'amsgrad'],
  AdamW: ['params', 'lr', 'betas', 'eps', 'weight_decay', 'amsgrad'],
  SGD: ['params', 'lr', 'momentum', 'dampening', 'weight_decay', 'nesterov'],
  RMSprop: ['params', 'lr', 'alpha', 'eps', 'weight_decay', 'momentum', 'centered'],
  Adagrad: ['params', 'lr', 'lr_decay', 'weight_decay', 'initial_accumulator_value', 'eps'],
};
const TORCH_FN_LOSS: Record<string, string> = {
  cross_entropy: 'CrossEntropyLoss', nll_loss: 'NLLLoss', binary_cross_entropy: 'BCELoss', binary_cross_entropy_with_logits: 'BCEWithLogitsLoss',
  mse_loss: 'MSELoss', l1_loss: 'L1Loss', smooth_l1_loss: 'SmoothL1Loss', huber_loss: 'HuberLoss',
};

/** Finds a PyTorch training loop: the optimiser, the loss, the epoch loop over a loader with backward() and step(). */
export function detectTorchTraining(d: DetailedAnalysis, inst: InstanceV | undefined): TorchTraining | undefined {
  const mod = d.module;
  if (!mod) return undefined;
  const facts = new Facts(d);
  const torchModels = d.analysis.models.filter((m) => m.framework === 'pytorch').length;
  const out: TorchTraining = { line: 0, accuracy: false };
  let found = false;
  walkStmts(mod.body, (s, p) => {
    if (s.t === 'Assign' || s.t === 'Expr') {
      for (const c of callsIn(s.value)) {
        const path = facts.qual(c.fn) ?? '';
        const opt = /^torch\.optim\.(\w+)$/.exec(path);
        if (opt && !out.optimizer) {
          // The optimiser must train this model: model.parameters() on it, or the file's only model.
          const first = c.args[0];
          const obj = first && first.kind === 'pos' && first.value.t === 'Call' && first.value.fn.t === 'Attr' ? first.value.fn.obj : undefined;
          const g = obj && obj.t === 'Name' ? d.interp?.globals.vars.get(obj.id) : undefined;
          if (g && inst && g !== inst && torchModels > 1) continue;
          const ci = facts.call(c, p);
          out.optimizer = { name: opt[1], a: bind(ci, TORCH_OPT_SIG[opt[1]] ?? ['params', 'lr']), line: ci.line };
        }
        const lossM = /^torch\.nn\.(\w+Loss)$/.exec(path);
        if (lossM && !out.loss) out.loss = { name: lossM[1], a: bind(facts.call(c, p), []), line: c.line + 1, functional: false };
        const lossF = /^torch\.nn\.functional\.(\w+)$/.exec(path);
        if (lossF && TORCH_FN_LOSS[lossF[1]] && !out.loss) out.loss = { name: TORCH_FN_LOSS[lossF[1]], a: bind(facts.call(c, p), []), line: c.line + 1, functional: true };
        if (/^torch\.utils\.data\.DataLoader$/.test(path) && !out.batchSize) {
          const ci = facts.call(c, p);
          const a = bind(ci, ['dataset', 'batch_size', 'shuffle']);
          out.batchSize = a.get('batch_size');
          out.shuffle = a.get('shuffle');
        }
        if (/^torch\.optim\.lr_scheduler\.(\w+)$/.test(path) && !out.scheduler) out.scheduler = { name: last(path), line: c.line + 1 };
        if (/clip_grad_norm_$/.test(path) && !out.clipNorm) out.clipNorm = bind(facts.call(c, p), ['parameters', 'max_norm']).get('max_norm');
      }
    }
    if (s.t === 'For' && !found && s.iter.t === 'Call' && s.iter.fn.t === 'Name' && s.iter.fn.id === 'range') {
      const calls = callsIn(s.body);
      const hasStep = calls.some((c) => c.fn.t === 'Attr' && c.fn.attr === 'step');
      const hasBackward = calls.some((c) => c.fn.t === 'Attr' && c.fn.attr === 'backward');
      if (!hasStep || !hasBackward) return;
      found = true;
      out.line = s.line + 1;
      const n = s.iter.args.filter((a) => a.kind === 'pos');
      const stop = n.length === 1 ? n[0] : n[1];
      if (stop && stop.kind === 'pos') out.epochs = facts.arg(stop.value, p);
      out.accuracy = calls.some((c) => c.fn.t === 'Attr' && (c.fn.attr === 'argmax' || c.fn.attr === 'max')) && JSON.stringify(s.body).includes('"ops":["=="]');
    }
  });
  return found && (out.optimizer || out.loss) ? out : undefined;
}

/** Keras compile + fit for a PyTorch training loop, as a train() function after the model. */
export function kerasTrainingCode(t: TorchTraining, modelVar: string, notes: TranslationNote[]): string[] {
  const note = (line: number, message: string) => notes.push({ line, message });
  const todos: string[] = [];
  const todo = (line: number, message: string) => {
    notes.push({ line, message: `TODO: ${message}` });
    todos.push(`    # TODO(tensorlens): ${message}`);
  };
  let opt = 'keras.optimizers.Adam()';
  const clip = t.clipNorm ? `, global_clipnorm=${pyv(t.clipNorm, 1)}` : '';
  if (t.clipNorm) note(t.clipNorm.line, `torch.nn.utils.clip_grad_norm_(model.parameters(), ${pyv(t.clipNorm, 1)}) clips the global gradient norm: global_clipnorm=${pyv(t.clipNorm, 1)} on the Keras optimizer`);
  const o = t.optimizer;
  if (o) {
    const a = o.a;
    const lrA = a.get('lr');
    const wd = a.get('weight_decay');
    const hasWd = wd !== undefined && wd.lit !== 0;
    const betas = a.get('betas');
    const b = Array.isArray(betas?.lit) ? (betas!.lit as number[]) : [0.9, 0.999];
    switch (o.name) {
      case 'Adam':
      case 'AdamW': {
        const eps = pyv(a.get('eps'), 1e-8);
        opt = `keras.optimizers.${o.name}(learning_rate=${pyv(lrA, 0.001)}${o.name === 'AdamW' ? `, weight_decay=${pyv(wd, 0.01)}` : ''}, beta_1=${pyFloat(b[0])}, beta_2=${pyFloat(b[1])}, epsilon=${eps}${bool(a.get('amsgrad'), false) ? ', amsgrad=True' : ''}${clip})`;
        note(o.line, `${o.name}: torch's eps defaults to 1e-8, Keras' epsilon to 1e-7 — epsilon=${eps} written out; Keras adds it before the bias correction ("epsilon hat"), torch after. lr ${pyv(lrA, 0.001)} and betas are written out too`);
        if (o.name === 'AdamW') note(o.line, `AdamW: torch's weight_decay defaults to 0.01, Keras' to 0.004 — weight_decay=${pyv(wd, 0.01)} written out`);
        else if (hasWd) todo(o.line, `torch.optim.Adam(weight_decay=${pyv(wd, 0)}) adds an L2 term to the gradient; Keras optimizers decay decoupled (AdamW-style) — add kernel_regularizer=keras.regularizers.L2(${pyv(wd, 0)} / 2) to the layers for the same objective`);
        break;
      }
      case 'SGD':
        opt = `keras.optimizers.SGD(learning_rate=${lrA ? pyv(lrA, 0.01) : '0.01'}${a.get('momentum') ? `, momentum=${pyv(a.get('momentum'), 0)}` : ''}${bool(a.get('nesterov'), false) ? ', nesterov=True' : ''}${clip})`;
        note(o.line, `SGD: lr=${lrA ? pyv(lrA, 0.01) : '?'} written out as learning_rate (Keras' default is 0.01); the momentum forms (torch buf = m·buf + g, Keras v = m·v − lr·g) take the same steps for a constant learning rate`);
        if (a.get('dampening') && a.get('dampening')!.lit !== 0) todo(o.line, 'SGD dampening has no Keras equivalent');
        if (hasWd) todo(o.line, `SGD(weight_decay=${pyv(wd, 0)}) is an L2 term in torch; use kernel_regularizer=keras.regularizers.L2(${pyv(wd, 0)} / 2) on the layers`);
        break;
      case 'RMSprop':
        opt = `keras.optimizers.RMSprop(learning_rate=${pyv(lrA, 0.01)}, rho=${pyv(a.get('alpha'), 0.99)}, epsilon=${pyv(a.get('eps'), 1e-8)}${a.get('momentum') ? `, momentum=${pyv(a.get('momentum'), 0)}` : ''}${bool(a.get('centered'), false) ? ', centered=True' : ''}${clip})`;
        note(o.line, 'RMSprop: torch defaults lr 0.01, alpha 0.99, eps 1e-8; Keras learning_rate 0.001, rho 0.9, epsilon 1e-7 — torch\'s values written out (alpha is rho)');
        break;
      case 'Adagrad':
        opt = `keras.optimizers.Adagrad(learning_rate=${pyv(lrA, 0.01)}, initial_accumulator_value=${pyv(a.get('initial_accumulator_value'), 0)}, epsilon=${pyv(a.get('eps'), 1e-10)}${clip})`;
        note(o.line, 'Adagrad: torch defaults lr 0.01, initial_accumulator_value 0, eps 1e-10; Keras 0.001, 0.1, 1e-7 — torch\'s values written out');
        break;
      default:
        todo(o.line, `torch.optim.${o.name} has no Keras mapping here; Adam is used in its place`);
    }
  } else todo(t.line, 'no optimizer found for the loop; Adam with Keras defaults stands in');
  let loss = '"mse"';
  let metrics = '';
  const l = t.loss;
  if (l) {
    const ls = l.a.get('label_smoothing');
    switch (l.name) {
      case 'CrossEntropyLoss':
        loss = 'keras.losses.SparseCategoricalCrossentropy(from_logits=True)';
        note(l.line, 'nn.CrossEntropyLoss takes logits and integer targets: SparseCategoricalCrossentropy(from_logits=True)');
        if (ls && ls.lit) todo(l.line, `label_smoothing=${ls.text}: Keras' sparse loss has none — use one-hot labels with CategoricalCrossentropy(from_logits=True, label_smoothing=${ls.text})`);
        break;
      case 'NLLLoss':
        loss = 'keras.losses.SparseCategoricalCrossentropy(from_logits=True)';
        note(l.line, 'nn.NLLLoss on log-probabilities: SparseCategoricalCrossentropy(from_logits=True) gives the same value, since log_softmax of log-probabilities changes nothing');
        break;
      case 'BCEWithLogitsLoss': loss = 'keras.losses.BinaryCrossentropy(from_logits=True)'; note(l.line, 'nn.BCEWithLogitsLoss: BinaryCrossentropy(from_logits=True)'); break;
      case 'BCELoss': loss = 'keras.losses.BinaryCrossentropy()'; note(l.line, 'nn.BCELoss on probabilities: BinaryCrossentropy(); Keras clips probabilities to [1e-7, 1 − 1e-7], torch clamps the log at −100'); break;
      case 'MSELoss': loss = 'keras.losses.MeanSquaredError()'; break;
      case 'L1Loss': loss = 'keras.losses.MeanAbsoluteError()'; break;
      case 'HuberLoss': loss = `keras.losses.Huber(delta=${pyv(l.a.get('delta'), 1)})`; break;
      case 'SmoothL1Loss': {
        const beta = num(l.a.get('beta'), 1);
        loss = `keras.losses.Huber(delta=${pyFloat(beta)})`;
        if (beta !== 1) todo(l.line, `SmoothL1Loss(beta=${beta}) is Huber(delta=${beta}) / ${beta}; scale the loss or the learning rate`);
        else note(l.line, 'SmoothL1Loss with beta=1 is exactly Huber(delta=1.0)');
        break;
      }
      default:
        todo(l.line, `${l.name} has no Keras mapping here; "mse" stands in`);
    }
    const red = l.a.get('reduction');
    if (red && red.lit === 'sum') loss = loss.replace(/\)$/, `${loss.endsWith('()') ? '' : ', '}reduction="sum")`);
  } else todo(t.line, 'no loss found for the loop; "mse" stands in');
  if (t.accuracy) metrics = ', metrics=["accuracy"]';
  const epochs = t.epochs ? pyv(t.epochs, 1).replace(/\.0$/, '') : '1';
  const batch = t.batchSize ? pyv(t.batchSize, 32).replace(/\.0$/, '') : undefined;
  if (!t.batchSize) note(t.line, 'No DataLoader batch_size found: Keras fit() uses its default 32; set batch_size to match the loader');
  if (t.scheduler) todo(t.scheduler.line, `torch.optim.lr_scheduler.${t.scheduler.name}: use a keras.optimizers.schedules schedule or a LearningRateScheduler callback`);
  note(t.line, `The loop (for epoch in range(${epochs}): zero_grad / backward / step) is model.fit(..., epochs=${epochs}); Keras switches train/eval modes and disables gradients for validation itself`);
  const L: string[] = [];
  L.push('');
  L.push(`# ---- Training, translated from the PyTorch loop (line ${t.line}) ----`);
  L.push('def train(model, x_train, y_train, validation_data=None):');
  L.push('    """The PyTorch loop as model.compile + model.fit; x_train channels-last, y_train as the loss expects."""');
  L.push(...todos);
  L.push('    model.compile(');
  L.push(`        optimizer=${opt},`);
  L.push(`        loss=${loss}${metrics ? ',' : ','}`);
  if (metrics) L.push(`        ${metrics.slice(2)},`);
  L.push('    )');
  L.push(`    return model.fit(x_train, y_train, epochs=${epochs}${batch ? `, batch_size=${batch}` : ''}${t.shuffle && t.shuffle.lit === false ? ', shuffle=False' : ''}, validation_data=validation_data)`);
  L.push('');
  L.push('');
  L.push(`# history = train(${pyIdent(modelVar)}, x_train, y_train)`);
  return L;
}
