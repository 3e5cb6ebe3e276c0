// The statement half of the code printers that run alongside the interpreter (forward.ts:
// PyTorch forward() -> Keras; from-keras-subclassed.ts: Keras call() -> PyTorch). A printer
// executes the method body statement by statement over its own symbolic values: Python
// values it knows (`py`), tuples of symbols, tensors of the target framework, and values it
// cannot know (`na`, with the reason). Control flow is resolved where the interpreter can
// decide it (an `if` on a known attribute, a loop over known children), else it becomes a
// TODO; expressions are the subclass's business.

import type { Interp } from '../eval/interp';
import { NONE, type Scope, type Value, unknown } from '../eval/values';
import type { Node, NodeOf } from '../python/ast';
import { pyIdent } from './pyfmt';

/** The symbol kinds every printer shares (the subclass adds its tensor kinds). */
export type SharedSym<S> = { k: 'py'; v: Value } | { k: 'tup'; items: S[] } | { k: 'na'; why: string };

export type BlockResult<S> = { ret: S } | 'break' | undefined;

/** True when a `Name` in `n` (an expression or statement) is one of `names`. */
export function refersToName(n: Node, names: { has(name: string): boolean }): boolean {
  return someName(n, (id) => names.has(id));
}

/** True when some `Name` node under `n` satisfies `test` (positions are not visited). */
function someName(n: unknown, test: (id: string) => boolean): boolean {
  let hit = false;
  const walk = (x: unknown): void => {
    if (hit || !x || typeof x !== 'object') return;
    if (Array.isArray(x)) {
      x.forEach(walk);
      return;
    }
    const o = x as { t?: string; id?: string };
    if (o.t === 'Name' && o.id && test(o.id)) hit = true;
    for (const [k, v] of Object.entries(o)) if (k !== 'line' && k !== 'col') walk(v);
  };
  walk(n);
  return hit;
}

/** One function being printed: its locals and the scope it was defined in (printers add their own fields). */
export interface PrintFrame<S> {
  env: Map<string, S>;
  closure: Scope;
}

export abstract class StatementPrinter<S extends { k: string }, F extends PrintFrame<S> = PrintFrame<S>> {
  protected abstract readonly ip: Interp;
  /** Variable names the printed code uses already. */
  protected readonly usedVars = new Set<string>();
  /** The functions being printed, innermost last (inlined calls push one). */
  protected readonly frames: F[] = [];
  protected abstract ev(n: Node, hint?: string): S;
  protected abstract binop(op: string, a: S, b: S, hint?: string): S;
  protected abstract todo(message: string): S;
  /** Called before each statement (notes point at the statement's line). */
  protected abstract atStatement(s: Node): void;

  protected get frame(): F {
    return this.frames[this.frames.length - 1];
  }

  /** The local variables of the method being printed. */
  protected get env(): Map<string, S> {
    return this.frame.env;
  }

  /** The scope the printed method was defined in (module globals, enclosing functions). */
  protected get closure(): Scope {
    return this.frame.closure;
  }
  /** The interpreter's value of a symbol (tensors as the interpreter sees them). */
  protected abstract tv(s: S): Value;

  /** A name: a local of the printed method, else the interpreter's value of it. */
  protected lookup(name: string): S {
    const hit = this.env.get(name);
    if (hit) return hit;
    const v = this.ip.lookup(this.closure, name);
    return this.py(v ?? unknown(`name '${name}' is not defined`));
  }

  /** True when no name in the expression holds a tensor symbol (the interpreter can evaluate it). */
  protected pure(n: Node): boolean {
    return !someName(n, (id) => {
      const s = this.env.get(id);
      return !!s && s.k !== 'py';
    });
  }

  /** The locals as interpreter values, over the method's closure (to evaluate pure expressions). */
  protected scope(): Scope {
    const vars = new Map<string, Value>();
    for (const [k, s] of this.env) vars.set(k, this.tv(s));
    return { vars, parent: this.closure };
  }

  /** Extra words for a condition that cannot be decided (e.g. it depends on `training`). */
  protected undecidedWhy(_test: S): string {
    return '';
  }

  /** A variable name not used yet, from a hint (`x`, `x_1`, ...). */
  protected fresh(hint: string): string {
    const base = pyIdent(hint || 'x');
    let v = base;
    for (let i = 1; this.usedVars.has(v); i++) v = `${base}_${i}`;
    this.usedVars.add(v);
    return v;
  }

  /** A call's arguments as symbols (`*seq` of a known sequence unpacked); a TODO for `**kwargs` or `*tensor`. */
  protected args(n: NodeOf<'Call'>): { args: S[]; kwargs: Map<string, S> } | S {
    const args: S[] = [];
    const kwargs = new Map<string, S>();
    for (const a of n.args) {
      if (a.kind === 'pos') args.push(this.ev(a.value));
      else if (a.kind === 'kw') kwargs.set(a.name, this.ev(a.value));
      else if (a.kind === 'star') {
        const s = this.ev(a.value) as SharedSym<S> | S;
        if (s.k === 'tup') args.push(...(s as { items: S[] }).items);
        else if (s.k === 'py') args.push(...(this.ip.iterate((s as { v: Value }).v) ?? []).map((v) => this.py(v)));
        else return this.todo(`*args of a tensor on line ${n.line + 1}`);
      } else return this.todo(`**kwargs on line ${n.line + 1}`);
    }
    return { args, kwargs };
  }

  protected py(v: Value): S {
    return { k: 'py', v } as unknown as S;
  }

  protected block(body: Node[]): BlockResult<S> {
    for (const s of body) {
      const r = this.stmt(s);
      if (r) return r;
    }
    return undefined;
  }

  protected stmt(s: Node): BlockResult<S> {
    this.atStatement(s);
    switch (s.t) {
      case 'Expr':
        if (s.value.t !== 'Str') this.ev(s.value);
        return undefined;
      case 'Pass':
        return undefined;
      case 'Return':
        return { ret: s.value ? this.ev(s.value) : this.py(NONE) };
      case 'Assign': {
        const hint = s.targets[0]?.t === 'Name' ? s.targets[0].id : undefined;
        const v = this.ev(s.value, hint);
        for (const tg of s.targets) this.assign(tg, v);
        return undefined;
      }
      case 'AnnAssign':
        if (s.value) this.assign(s.target, this.ev(s.value, s.target.t === 'Name' ? s.target.id : undefined));
        return undefined;
      case 'AugAssign': {
        if (s.target.t !== 'Name') {
          this.todo(`augmented assignment to ${s.target.t} (line ${s.line + 1})`);
          return undefined;
        }
        const cur = this.ev(s.target);
        this.assign(s.target, this.binop(s.op, cur, this.ev(s.value), s.target.id));
        return undefined;
      }
      case 'If': {
        const test = this.ev(s.test) as SharedSym<S> | S;
        const truth = test.k === 'py' ? this.ip.truthy((test as { v: Value }).v) : null;
        if (truth === null) {
          this.todo(`condition on line ${s.line + 1} is not known before running the model${this.undecidedWhy(test as S)}; translate both branches by hand`);
          return undefined;
        }
        return this.block(truth ? s.body : s.orelse);
      }
      case 'For': {
        const it = this.ev(s.iter) as SharedSym<S> | S;
        const items = it.k === 'py' ? this.ip.iterate((it as { v: Value }).v) : null;
        const list: S[] | null = it.k === 'tup' ? (it as { items: S[] }).items : items ? items.map((v) => this.py(v)) : null;
        if (!list) {
          this.todo(`loop on line ${s.line + 1} is over values not known before running the model`);
          return undefined;
        }
        for (const item of list) {
          this.assign(s.target, item);
          const r = this.block(s.body);
          if (r === 'break') break;
          if (r) return r;
        }
        return this.block(s.orelse);
      }
      case 'Break':
        return 'break';
      default:
        this.todo(`statement ${s.t} on line ${s.line + 1} is not translated`);
        return undefined;
    }
  }

  protected assign(target: Node, v: S): void {
    if (target.t === 'Name') {
      this.env.set(target.id, v);
      return;
    }
    if (target.t === 'Tuple' || target.t === 'List') {
      const sv = v as SharedSym<S> | S;
      const items: S[] = sv.k === 'tup' ? (sv as { items: S[] }).items
        : sv.k === 'py' ? (this.ip.iterate((sv as { v: Value }).v, target.elts.length) ?? []).map((x) => this.py(x)) : [];
      target.elts.forEach((e, i) => this.assign(e, items[i] ?? ({ k: 'na', why: 'unpacking a value of unknown length' } as unknown as S)));
      return;
    }
    this.todo(`assignment to ${target.t} on line ${target.line + 1} is not translated`);
  }
}
