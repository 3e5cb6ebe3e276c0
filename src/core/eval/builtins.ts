// Python builtins and the methods of built-in types (list, dict, str, tuple) as far
// as model-building code uses them, plus `math`, `collections.OrderedDict`,
// `functools.partial` and friends. Each returns Unknown rather than guessing.

import { CORE_SCHEMA as YAML_CORE, load as loadYaml } from 'js-yaml';
import { type Dim, UNKNOWN_DIM, addDims, isUnknownDim, floorDivDims, mulDims } from '../shapes/dim';
import {
  type BuiltinV, type CallCtx, type ClassV, type DictV, type FuncV, type ListV, type Value,
  FALSE, NONE, OPEN_KWARGS, TENSOR_VALUES, TRUE, bool, float, int, list, namedTuple, setOf, str, tuple, unknown,
} from './values';
import { type Interp, attrDict, describe, dictGet, dictPut, dictSet, valuesEqual } from './interp';
import { installRe } from './pyre';
import type { Node } from '../python/ast';

type Fn = (ctx: CallCtx, args: Value[], kwargs: Map<string, Value>) => Value;

/** A function's names bound so far, as the dict locals() gives (the interpreter's own names left out). */
function frameLocals(scope: { vars: Map<string, Value> }): DictV {
  const d: DictV = { k: 'dict', keys: [], vals: [] };
  for (const [k, v] of scope.vars) if (k !== '__class__' && k !== '__self__') dictSet(d, str(k), v);
  return d;
}

function b(name: string, call: Fn): BuiltinV {
  return { k: 'builtin', name, call };
}

/** An expression of literals, containers, arithmetic and (dotted) names only: what eval() follows. */
function literalExpr(n: Node): boolean {
  switch (n.t) {
    case 'Num': case 'Str': case 'Const': case 'Name':
      return true;
    case 'Attr':
      return literalExpr(n.obj);
    case 'Tuple': case 'List': case 'Set':
      return n.elts.every(literalExpr);
    case 'Dict':
      return n.keys.every((k) => k !== null && literalExpr(k)) && n.values.every(literalExpr);
    case 'BinOp':
      return literalExpr(n.left) && literalExpr(n.right);
    case 'UnaryOp':
      return literalExpr(n.operand);
    default:
      return false;
  }
}

function num(v: Value | undefined): number | null {
  if (!v) return null;
  if (v.k === 'int' && typeof v.v === 'number') return v.v;
  if (v.k === 'float') return v.v;
  if (v.k === 'bool') return v.v ? 1 : 0;
  return null;
}

export function makeBuiltins(): Map<string, Value> {
  const m = new Map<string, Value>();
  const def = (name: string, fn: Fn) => m.set(name, b(name, fn));
  const method = (kind: string, name: string, fn: Fn) => m.set(`__method__.${kind}.${name}`, b(name, fn));

  def('print', () => NONE);
  def('len', (c, [x]) => {
    if (!x) return unknown('len()');
    if (x.k === 'list' && x.partial) return unknown(`len() of a list ${x.partial}`);
    if (x.k === 'list' || x.k === 'tuple') return int(x.items.length);
    if (x.k === 'dict') return int(x.keys.length);
    if (x.k === 'str') return int(x.v.length);
    if (x.k === 'tensor' && x.shape && x.shape.length > 0) return int(x.shape[0]);
    if (x.k === 'instance' && x.children && x.container) return int(x.children.size);
    // A class's __len__, built in (nn.ParameterList) or written in Python.
    const own = x.k === 'instance' ? c.interp.callOwnMethod(x, '__len__', [], undefined, c.node) : undefined;
    return own ?? unknown('len() of an unknown value');
  });
  def('range', (c, args) => {
    const ns = args.map(num);
    if (ns.some((n) => n === null) || ns.length === 0) return unknown('range() with unknown bounds');
    const [start, stop, step] = ns.length === 1 ? [0, ns[0]!, 1] : [ns[0]!, ns[1]!, ns[2] ?? 1];
    if (step === 0) return unknown('range() step 0');
    const count = Math.max(0, Math.ceil((stop - start) / step));
    if (count > c.interp.budget.maxListLength) return unknown('range() too long to follow');
    const out: Value[] = new Array(count);
    for (let i = 0; i < count; i++) out[i] = int(start + i * step);
    return list(out);
  });
  def('enumerate', (c, [x, s], kwargs) => {
    const items = x ? c.interp.iterate(x) : null;
    if (!items) return unknown('enumerate() over an unknown iterable');
    const given = s ?? kwargs.get('start');
    const start = given ? num(given) : 0;
    if (start === null) return unknown('enumerate() from an unknown start');
    return list(items.map((v, i) => tuple([int(i + start), v])));
  });
  def('zip', (c, args) => {
    // An iterator (iter()) is pulled item by item, so one passed several times is shared as in
    // Python: zip(*[iter(xs)] * 2) pairs consecutive items.
    if (args.some((a) => a.k === 'list' && a.iterPos !== undefined)) {
      const lists = args.map((a) => (a.k === 'list' && a.iterPos !== undefined ? null : c.interp.iterate(a)));
      if (lists.some((l, j) => !l && !(args[j].k === 'list' && (args[j] as ListV).iterPos !== undefined))) return unknown('zip() over an unknown iterable');
      const out: Value[] = [];
      for (let i = 0; out.length < 100_000; i++) {
        const row: Value[] = [];
        for (let j = 0; j < args.length; j++) {
          const a = args[j];
          if (a.k === 'list' && a.iterPos !== undefined) {
            if (a.iterPos >= a.items.length) return list(out);
            row.push(a.items[a.iterPos++]);
          } else {
            if (i >= lists[j]!.length) return list(out);
            row.push(lists[j]![i]);
          }
        }
        out.push(tuple(row));
      }
      return list(out);
    }
    const lists = args.map((a) => c.interp.iterate(a));
    if (lists.some((l) => !l)) return unknown('zip() over an unknown iterable');
    const n = Math.min(...lists.map((l) => l!.length));
    return list(Array.from({ length: Number.isFinite(n) ? n : 0 }, (_, i) => tuple(lists.map((l) => l![i]))));
  });
  def('list', (c, [x]) => {
    if (!x) return list([]);
    const items = c.interp.iterate(x);
    return items ? list([...items]) : unknown('list() of an unknown iterable');
  });
  def('tuple', (c, [x]) => {
    if (!x) return tuple([]);
    if (x.k === 'tensor' && x.shape) return tuple(x.shape.map((d) => int(d)));
    const items = c.interp.iterate(x);
    return items ? tuple([...items]) : unknown('tuple() of an unknown iterable');
  });
  def('set', (c, [x]) => {
    if (!x) return setOf([], valuesEqual);
    const items = c.interp.iterate(x);
    if (!items) return unknown('set()');
    return setOf(items, valuesEqual);
  });
  const dictFn: Fn = (c, [x], kwargs) => {
    const d: DictV = { k: 'dict', keys: [], vals: [] };
    if (x) {
      if (x.k === 'dict') x.keys.forEach((k, i) => dictSet(d, k, x.vals[i]));
      else {
        const items = c.interp.iterate(x);
        if (!items) return unknown('dict() of an unknown iterable');
        for (const it of items) {
          const kv = c.interp.iterate(it);
          if (kv && kv.length === 2) dictSet(d, kv[0], kv[1]);
        }
      }
    }
    for (const [k, v] of kwargs) dictSet(d, k === OPEN_KWARGS ? v : str(k), v);
    return d;
  };
  def('dict', dictFn);
  m.set('collections.OrderedDict', b('OrderedDict', dictFn));
  // Config dicts read and written by attribute: cfg = EasyDict({...}); cfg.model.width, cfg.lr = 0.1.
  const attrDictFn: Fn = (c, args, kwargs) => {
    const d = dictFn(c, args.filter((a) => a.k !== 'none'), kwargs);
    return d.k === 'dict' ? attrDict(d) : d;
  };
  for (const path of ['easydict.EasyDict', 'addict.Dict', 'addict.addict.Dict', 'box.Box', 'ml_collections.ConfigDict', 'ml_collections.config_dict.ConfigDict', 'omegaconf.OmegaConf.create', 'omegaconf.DictConfig']) {
    m.set(path, b(path.slice(path.lastIndexOf('.') + 1), attrDictFn));
  }
  m.set('collections.defaultdict', b('defaultdict', (c, [factory, ...rest], kwargs) => {
    const d = rest.length || kwargs.size ? dictFn(c, rest, kwargs) : ({ k: 'dict', keys: [], vals: [] } as DictV);
    if (d.k !== 'dict') return d;
    return factory && factory.k !== 'none' ? { ...d, factory } : d;
  }));
  // Counter(iterable) counts its items (Counter(mapping) copies the counts); a missing key counts 0.
  const zero = b('int', () => int(0));
  m.set('collections.Counter', b('Counter', (c, [x], kwargs) => {
    const d: DictV = { k: 'dict', keys: [], vals: [], factory: zero };
    if (x?.k === 'dict') x.keys.forEach((k, i) => dictSet(d, k, x.vals[i]));
    else if (x) {
      const items = c.interp.iterate(x);
      if (!items) return unknown('Counter() of an unknown iterable');
      for (const it of items) dictSet(d, it, c.interp.binop('+', dictGet(d, it) ?? int(0), int(1)));
    }
    for (const [k, v] of kwargs) dictSet(d, str(k), v);
    return d;
  }));
  // most_common(n): (key, count) pairs by count, ties in insertion order.
  method('dict', 'most_common', (c, [self, n]) => {
    if (self.k !== 'dict') return unknown('most_common()');
    const pairs = self.keys.map((k, i) => tuple([k, self.vals[i]]));
    const sorted = sortedValues(c, pairs, new Map<string, Value>([['key', b('count', (_c, [p]) => (p?.k === 'tuple' ? p.items[1] : unknown('count')))], ['reverse', TRUE]]));
    if (!sorted) return unknown('most_common() of counts not known');
    const k = n && n.k !== 'none' ? num(n) : sorted.length;
    return k === null ? unknown('most_common(n) of an unknown n') : list(sorted.slice(0, Math.max(0, k)));
  });
  // namedtuple('Cfg', ['width', 'depth'] or 'width depth', defaults=(...)): a record class
  // whose __init__ binds its fields (the defaults go to the rightmost ones).
  m.set('collections.namedtuple', b('namedtuple', (c, [typename, names], kwargs) => {
    const nameV = typename ?? kwargs.get('typename');
    const namesV = names ?? kwargs.get('field_names');
    if (!nameV || nameV.k !== 'str' || !namesV) return unknown('namedtuple() with an unknown name or fields');
    const fieldNames = namesV.k === 'str' ? namesV.v.split(/[\s,]+/).filter(Boolean)
      : (c.interp.iterate(namesV) ?? []).map((v) => (v.k === 'str' ? v.v : ''));
    if (!fieldNames.length || fieldNames.includes('')) return unknown('namedtuple() with fields not known');
    const defaultsV = kwargs.get('defaults');
    const defaults = defaultsV && defaultsV.k !== 'none' ? c.interp.iterate(defaultsV) ?? [] : [];
    const firstDefault = fieldNames.length - defaults.length;
    const fields = fieldNames.map((name, i) => (i >= firstDefault ? { name, default: defaults[i - firstDefault] } : { name }));
    return c.interp.makeRecord({ k: 'class', name: nameV.v, qualname: nameV.v, bases: [], attrs: new Map(), tupleRecord: true }, fields);
  }));
  def('int', (_c, [x]) => {
    if (!x) return int(0);
    if (x.k === 'int') return x;
    if (x.k === 'float') return int(Math.trunc(x.v));
    if (x.k === 'bool') return int(x.v ? 1 : 0);
    if (x.k === 'str' && /^\s*-?\d+\s*$/.test(x.v)) return int(parseInt(x.v, 10));
    if (x.k === 'tensor') {
      const v = TENSOR_VALUES.get(x);
      return v && v.length === 1 ? int(Math.trunc(v[0])) : int(UNKNOWN_DIM);
    }
    return unknown('int() of an unknown value');
  });
  def('float', (_c, [x]) => {
    const n = num(x);
    if (n !== null) return float(n);
    const v = x?.k === 'tensor' ? TENSOR_VALUES.get(x) : undefined;
    if (v && v.length === 1) return float(v[0]);
    if (x && x.k === 'str') {
      const f = parseFloat(x.v);
      return Number.isNaN(f) ? (/inf/i.test(x.v) ? float(x.v.trim().startsWith('-') ? -Infinity : Infinity) : unknown('float()')) : float(f);
    }
    return unknown('float() of an unknown value');
  });
  def('str', (c, [x]) => {
    if (!x) return str('');
    const s = c.interp.toStr(x);
    return s === null ? unknown('str() of an unknown value') : str(s);
  });
  def('format', (c, [x, spec]) => {
    if (!x) return unknown('format()');
    const sp = spec === undefined ? '' : spec.k === 'str' ? spec.v : null;
    const out = sp === null ? null : formatValue(c.interp, x, sp);
    return out === null ? unknown('format() of an unknown value') : str(out);
  });
  def('repr', (c, [x]) => {
    const s = x ? c.interp.toStr(x) : null;
    return s === null ? unknown('repr()') : str(x!.k === 'str' ? `'${s}'` : s);
  });
  def('bool', (c, [x]) => {
    const t = x ? c.interp.truthy(x) : false;
    return t === null ? unknown('bool() of an unknown value') : bool(t);
  });
  // The first item with the greatest (smallest) key, as Python picks it; `default=` for an empty iterable.
  const minmax = (isMax: boolean): Fn => (c, args, kwargs) => {
    const items = args.length === 1 ? c.interp.iterate(args[0]) : args;
    if (items && items.length === 0 && kwargs.has('default')) return kwargs.get('default')!;
    if (!items || items.length === 0) return unknown('min/max of an unknown iterable');
    const keys = sortKeys(c, items, kwargs);
    if (!keys) return unknown('min/max of unknown values');
    let best = 0;
    for (let i = 1; i < items.length; i++) {
      const order = compareValues(keys[i], keys[best]);
      if (order === null) return unknown('min/max of unknown values');
      if (isMax ? order > 0 : order < 0) best = i;
    }
    return items[best];
  };
  def('max', minmax(true));
  def('min', minmax(false));
  def('sum', (c, [x, start]) => {
    const items = x ? c.interp.iterate(x) : null;
    if (!items) return unknown('sum() of an unknown iterable');
    let acc: Value = start ?? int(0);
    for (const it of items) acc = c.interp.binop('+', acc, it);
    return acc;
  });
  def('abs', (_c, [x]) => {
    if (x?.k === 'int' && typeof x.v === 'number') return int(Math.abs(x.v));
    if (x?.k === 'float') return float(Math.abs(x.v));
    if (x?.k === 'tensor') return x;
    return unknown('abs()');
  });
  def('round', (_c, [x, nd]) => {
    const n = num(x);
    if (n === null) return unknown('round()');
    const d = num(nd);
    if (d !== null && nd && nd.k !== 'none') return float(Math.round(n * 10 ** d) / 10 ** d);
    // Python rounds half to even.
    const r = Math.round(n);
    return int(Math.abs(n % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r);
  });
  def('divmod', (_c, [a, d]) => {
    const x = num(a);
    const y = num(d);
    if (x === null || y === null || y === 0) return unknown('divmod()');
    return tuple([int(Math.floor(x / y)), int(((x % y) + y) % y)]);
  });
  def('pow', (c, [a, e]) => c.interp.binop('**', a ?? NONE, e ?? NONE));
  // Block names are built with them (`f"block{i + 1}{chr(j + 97)}_"` in keras.applications EfficientNet).
  def('chr', (_c, [x]) => {
    const n = num(x);
    return n !== null && Number.isInteger(n) && n >= 0 && n <= 0x10ffff ? str(String.fromCodePoint(n)) : unknown('chr()');
  });
  def('ord', (_c, [x]) => {
    const cp = x?.k === 'str' ? x.v.codePointAt(0) : undefined;
    return cp !== undefined && [...(x as { v: string }).v].length === 1 ? int(cp) : unknown('ord()');
  });
  def('any', (c, [x]) => {
    const items = x ? c.interp.iterate(x) : null;
    if (!items) return unknown('any()');
    let r: boolean | null = false;
    for (const it of items) {
      const t = c.interp.truthy(it);
      if (t === true) return TRUE;
      if (t === null) r = null;
    }
    return r === null ? unknown('any()') : FALSE;
  });
  def('all', (c, [x]) => {
    const items = x ? c.interp.iterate(x) : null;
    if (!items) return unknown('all()');
    let r: boolean | null = true;
    for (const it of items) {
      const t = c.interp.truthy(it);
      if (t === false) return FALSE;
      if (t === null) r = null;
    }
    return r === null ? unknown('all()') : TRUE;
  });
  def('sorted', (c, [x], kwargs) => {
    const items = x ? c.interp.iterate(x) : null;
    const out = items && sortedValues(c, items, kwargs);
    return out ? list(out) : unknown('sorted()');
  });
  def('reversed', (c, [x]) => {
    const items = x ? c.interp.iterate(x) : null;
    return items ? list([...items].reverse()) : unknown('reversed()');
  });
  def('map', (ctx, [f, ...its]) => {
    const lists = its.map((a) => ctx.interp.iterate(a));
    if (!f || lists.some((l) => !l)) return unknown('map()');
    const n = Math.min(...lists.map((l) => l!.length));
    return list(Array.from({ length: n }, (_, i) => ctx.callValue(f, lists.map((l) => l![i]))));
  });
  def('filter', (ctx, [f, x]) => {
    const items = x ? ctx.interp.iterate(x) : null;
    if (!items || !f) return unknown('filter()');
    const out: Value[] = [];
    for (const it of items) {
      const t = ctx.interp.truthy(f.k === 'none' ? it : ctx.callValue(f, [it]));
      if (t === null) return unknown('filter()');
      if (t) out.push(it);
    }
    return list(out);
  });
  // iter(xs): an iterator over xs' items, with a position (iter() of an iterator is itself; an
  // iterable whose items are not all known stays as it is, next() then reads its first item).
  def('iter', (c, [x]) => {
    if (!x) return unknown('iter()');
    if (x.k === 'list' && x.iterPos !== undefined) return x;
    if (x.k === 'list' && x.partial) return x;
    const items = c.interp.iterate(x);
    return items ? { k: 'list', items: [...items], iterPos: 0 } : x;
  });
  def('next', (c, [x, dflt]) => {
    if (x?.k === 'list' && x.iterPos !== undefined) {
      if (x.iterPos < x.items.length) return x.items[x.iterPos++];
      return dflt ?? unknown('next() of an exhausted iterator (StopIteration)');
    }
    // A list known in part (an endless generator's first items) still has a first item.
    if (x?.k === 'list' && x.partial && x.items.length) return x.items[0];
    const items = x ? c.interp.iterate(x) : null;
    return items && items.length ? items[0] : dflt ?? unknown('next()');
  });
  def('isinstance', (c, [x, cls]) => isInstance(c.interp, x, cls));
  def('issubclass', (c, [x, cls]) => {
    if (x?.k !== 'class' || !cls) return unknown('issubclass()');
    const classes = cls.k === 'tuple' ? cls.items : [cls];
    return bool(classes.some((k) => k.k === 'class' && c.interp.mro(x).includes(k)));
  });
  def('hasattr', (c, [x, n]) => {
    if (!x || n?.k !== 'str') return unknown('hasattr()');
    const v = c.interp.getAttr(x, n.v);
    // A library member the engine has no model of comes back as a bare module reference: it
    // may not exist in the installed version (`hasattr(F, "scaled_dot_product_attention")`).
    if (x.k === 'modref' && v.k === 'modref' && !v.scope) return unknown(`hasattr(${x.path}, '${n.v}') depends on the installed version`);
    return v.k === 'unknown' ? (x.k === 'instance' ? FALSE : unknown('hasattr()')) : TRUE;
  });
  def('getattr', (c, [x, n, d]) => {
    if (!x || n?.k !== 'str') return unknown('getattr()');
    const v = c.interp.getAttr(x, n.v);
    return v.k === 'unknown' && d ? d : v;
  });
  def('setattr', (c, [x, n, v]) => {
    if (x && n?.k === 'str' && v) c.interp.setAttr(x, n.v, v);
    return NONE;
  });
  def('callable', (_c, [x]) => bool(!!x && ['func', 'builtin', 'bound', 'class'].includes(x.k)));
  // type(x): an instance's class, the built-in type of a value (`type(x) is tuple`), torch.Tensor for a
  // tensor (nn.Parameter for a parameter; a Keras graph tensor is left unknown).
  def('type', (c, [x]) => {
    if (x?.k === 'instance') return x.cls;
    // A class's type is `type` (metaclasses are not modelled); a partial object's is functools.partial.
    if (x?.k === 'class' && !x.enumClass) return m.get('type') ?? unknown('type()');
    if (x?.k === 'builtin' && x.typeOf) return x.typeOf;
    if (x?.k === 'func') return m.get('types.FunctionType') ?? unknown('type()');
    if ((x?.k === 'builtin' && x.method) || (x?.k === 'bound' && x.func.k === 'func')) return m.get('types.MethodType') ?? unknown('type()');
    const name = x && { int: 'int', float: 'float', str: 'str', bool: 'bool', list: 'list', tuple: 'tuple', dict: 'dict' }[x.k as string];
    if (name) return m.get(name) ?? unknown('type()');
    if (x?.k === 'tensor' && !x.origin) return c.interp.resolvePath(x.param ? 'torch.nn.Parameter' : 'torch.Tensor');
    return unknown('type()');
  });
  def('id', (_c, [x]) => (x?.k === 'instance' ? int(x.id) : unknown('id()')));
  def('hash', () => unknown('hash()'));
  def('open', () => unknown('open() is not followed (no file access)'));
  def('input', () => unknown('input()'));
  // vars(obj) of a plain object (argparse.Namespace, SimpleNamespace, a config class instance): its attributes
  // as a dict, a copy (`Head(**vars(cfg.head))`). A module's __dict__ holds torch internals: not modelled.
  def('vars', (_c, [x]) => {
    if (x?.k !== 'instance' || x.children || x.layer || x.container || x.cls.family) return unknown('vars()');
    return { k: 'dict', keys: [...x.attrs.keys()].map(str), vals: [...x.attrs.values()] };
  });
  def('globals', () => unknown('globals()'));
  // locals(): the running function's names bound so far (at module level not known).
  def('locals', (c) => {
    const fr = c.interp.frames[c.interp.frames.length - 1];
    return fr ? frameLocals(fr.scope) : unknown('locals() at module level');
  });
  // eval() of a literal or a dotted name of the file (YOLOv5's parse_model: eval("nn.Upsample"), eval("None")); nothing else.
  def('eval', (c, [src]) => {
    if (src?.k !== 'str') return unknown('eval() of a value not known');
    const t = src.v.trim();
    const lit = /^(None|True|False)$/.exec(t);
    if (lit) return t === 'None' ? NONE : bool(t === 'True');
    if (/^-?\d+$/.test(t)) return int(Number(t));
    if (/^-?(?:\d+\.\d*|\.\d+)(?:e[-+]?\d+)?$/i.test(t)) return float(Number(t));
    const q = /^(['"])([^'"\\]*)\1$/.exec(t);
    if (q) return str(q[2]);
    if (c.interp.currentFile !== c.interp.fileName) return unknown('eval() is not followed');
    // A literal expression built with operators (fairseq's `eval("[(512, 3)] * 20 + [(1024, 3)] * 2")`
    // layer specs): parsed and evaluated, when it holds only literals, containers, arithmetic
    // and names of the file.
    if (!/^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/.test(t)) {
      const mod = t.length <= 2000 ? c.interp.modules?.parse(`(${t})\n`) : undefined;
      const st = mod?.body.length === 1 ? mod.body[0] : undefined;
      return st?.t === 'Expr' && literalExpr(st.value) ? c.interp.eval(st.value, c.interp.globals) : unknown('eval() is not followed');
    }
    const [head, ...rest] = t.split('.');
    let v = c.interp.lookup(c.interp.globals, head) ?? c.interp.builtins.get(head);
    for (const name of rest) if (v) v = c.interp.getAttr(v, name, c.node);
    return v ?? unknown(`eval(): name '${head}' is not defined here`);
  });
  def('exec', () => unknown('exec() is not followed'));
  def('__import__', () => unknown('__import__()'));
  m.set('importlib.import_module', b('import_module', (c, [x]) => (x?.k === 'str' ? c.interp.importModule(x.v) : unknown('import_module() of a name not known'))));
  def('super', (_c, [cls, self]) => {
    if (cls?.k !== 'class' || !self) return unknown('super() with unknown arguments');
    return { k: 'builtin', name: 'super', self, call: () => unknown('super object'), superOf: cls } as BuiltinV & { superOf: ClassV };
  });
  const obj: ClassV = { k: 'class', name: 'object', qualname: 'object', bases: [], attrs: new Map() };
  obj.attrs.set('__init__', b('__init__', () => NONE));
  m.set('object', obj);
  for (const e of ['Exception', 'ValueError', 'TypeError', 'RuntimeError', 'NotImplementedError', 'KeyError', 'IndexError', 'AssertionError', 'AttributeError', 'StopIteration']) {
    m.set(e, { k: 'class', name: e, qualname: e, bases: [], attrs: new Map([['__init__', b('__init__', () => NONE)]]) });
  }
  m.set('NotImplemented', unknown('NotImplemented'));
  // The builtin name of `...` (as the literal evaluates to).
  m.set('Ellipsis', str('...'));
  m.set('__name__', str('__main__'));
  m.set('__file__', unknown('__file__'));

  // math
  const math1 = (name: string, f: (x: number) => number, integer = false) =>
    m.set(`math.${name}`, b(name, (_c, [x]) => {
      if (x?.k === 'int' && integer && typeof x.v !== 'number') return x;
      const n = num(x);
      if (n === null) return unknown(`math.${name}()`);
      const r = f(n);
      return integer ? int(r) : float(r);
    }));
  math1('sqrt', Math.sqrt);
  // math.log(x, base): CPython divides the two natural logs, as here (int(math.log(8, 2)) == 3).
  m.set('math.log', b('log', (_c, [x, base]) => {
    const n = num(x);
    const bs = base === undefined ? undefined : num(base);
    return n === null || bs === null ? unknown('math.log()') : float(bs === undefined ? Math.log(n) : Math.log(n) / Math.log(bs));
  }));
  math1('log2', Math.log2);
  math1('log10', Math.log10);
  math1('exp', Math.exp);
  math1('sin', Math.sin);
  math1('cos', Math.cos);
  math1('tanh', Math.tanh);
  math1('ceil', Math.ceil, true);
  math1('floor', Math.floor, true);
  math1('trunc', Math.trunc, true);
  math1('fabs', Math.abs);
  math1('isqrt', (x) => Math.floor(Math.sqrt(x)), true);
  m.set('math.pi', float(Math.PI));
  m.set('math.e', float(Math.E));
  m.set('math.inf', float(Infinity));
  m.set('math.nan', float(NaN));
  // numpy's constants are the same Python floats (`x * 2 * np.pi` in Fourier features).
  for (const [k, v] of [['pi', Math.PI], ['e', Math.E], ['inf', Infinity], ['nan', NaN]] as const) m.set(`numpy.${k}`, float(v));
  m.set('math.pow', b('pow', (_c, [a, e]) => {
    const x = num(a);
    const y = num(e);
    return x === null || y === null ? unknown('math.pow()') : float(x ** y);
  }));
  m.set('math.gcd', b('gcd', (_c, [a, d]) => {
    let x = num(a);
    let y = num(d);
    if (x === null || y === null) return unknown('gcd');
    x = Math.abs(x);
    y = Math.abs(y);
    while (y) [x, y] = [y, x % y];
    return int(x);
  }));
  m.set('math.prod', b('prod', (c, [x]) => {
    const items = x ? c.interp.iterate(x) : null;
    if (!items) return unknown('math.prod()');
    let p: Dim = 1;
    for (const it of items) {
      if (it.k !== 'int') return unknown('math.prod()');
      p = mulDims(p, it.v);
    }
    return int(p);
  }));
  m.set('numpy.prod', m.get('math.prod')!);
  m.set('functools.reduce', b('reduce', (ctx, [f, x, init]) => {
    const items = x ? ctx.interp.iterate(x) : null;
    if (!items || !f) return unknown('reduce()');
    let acc = init ?? items[0];
    for (const it of init ? items : items.slice(1)) acc = ctx.callValue(f, [acc, it]);
    return acc ?? unknown('reduce()');
  }));
  // functools.partial: a type (`type(norm_layer) == functools.partial`, CycleGAN); its objects keep .func, .args, .keywords.
  const partialType: BuiltinV = { ...b('partial', (_c, [f, ...pre], kw) => {
    if (!f) return unknown('partial()');
    const p = b('partial', (ctx, args, kwargs) => ctx.callValue(f, [...pre, ...args], new Map([...kw, ...kwargs])));
    p.typeOf = partialType;
    p.attrs = new Map<string, Value>([['func', f], ['args', tuple(pre)], ['keywords', { k: 'dict', keys: [...kw.keys()].map(str), vals: [...kw.values()] }]]);
    return p;
  }), isType: true };
  m.set('functools.partial', partialType);
  // types.FunctionType (= LambdaType): the type of a def or lambda, so `type(norm_layer) == functools.partial` is False
  // for a plain function (CycleGAN's get_norm_layer('none')). types.MethodType(f, obj) binds f to obj, and is the type
  // of a bound method.
  const functionType: BuiltinV = { ...b('function', () => unknown('types.FunctionType() is not modelled')), isType: true };
  const methodType: BuiltinV = { ...b('method', (_c, [f, self]) => {
    if (f?.k !== 'func' || !self) return unknown('types.MethodType() of an unknown function');
    return { k: 'builtin', name: f.name, method: { func: f, self }, call: (ctx, args, kwargs) => ctx.callValue(f, [self, ...args], kwargs) };
  }), isType: true };
  m.set('types.FunctionType', functionType);
  m.set('types.LambdaType', functionType);
  m.set('types.MethodType', methodType);
  m.set('operator.mul', b('mul', (c, [a, d]) => c.interp.binop('*', a ?? NONE, d ?? NONE)));
  m.set('operator.add', b('add', (c, [a, d]) => c.interp.binop('+', a ?? NONE, d ?? NONE)));
  m.set('copy.deepcopy', b('deepcopy', (ctx, [x]) => (x ? deepCopy(ctx.interp, x) : unknown('deepcopy()'))));
  m.set('copy.copy', b('copy', (_c, [x]) => x ?? unknown('copy()')));
  m.set('itertools.chain', b('chain', (c, args) => {
    const out: Value[] = [];
    for (const a of args) {
      const items = c.interp.iterate(a);
      if (!items) return unknown('chain()');
      out.push(...items);
    }
    return list(out);
  }));
  const fromIterable = b('from_iterable', (c, [x]) => {
    const groups = x ? c.interp.iterate(x) : null;
    const out: Value[] = [];
    for (const g of groups ?? []) {
      const items = c.interp.iterate(g);
      if (!items) return unknown('chain.from_iterable()');
      out.push(...items);
    }
    return groups ? list(out) : unknown('chain.from_iterable() of an unknown iterable');
  });
  (m.get('itertools.chain') as BuiltinV).attrs = new Map([['from_iterable', fromIterable]]);
  m.set('string.ascii_lowercase', str('abcdefghijklmnopqrstuvwxyz'));
  m.set('string.ascii_uppercase', str('ABCDEFGHIJKLMNOPQRSTUVWXYZ'));
  m.set('string.ascii_letters', str('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'));
  m.set('string.digits', str('0123456789'));
  m.set('string.punctuation', str('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'));
  // dataclasses.asdict / astuple: the fields, nested records as dicts (tuples) too.
  const recordAs = (asDict: boolean) => (v: Value): Value => {
    if (v.k === 'instance' && v.cls.fields) {
      const vals = v.cls.fields.map((f) => recordAs(asDict)(v.attrs.get(f.name) ?? unknown(`field ${f.name}`)));
      return asDict ? ({ k: 'dict', keys: v.cls.fields.map((f) => str(f.name)), vals } as DictV) : tuple(vals);
    }
    if (v.k === 'list' || v.k === 'tuple') return { ...v, items: v.items.map(recordAs(asDict)) };
    if (v.k === 'dict') return { k: 'dict', keys: v.keys, vals: v.vals.map(recordAs(asDict)) };
    return v;
  };
  m.set('dataclasses.asdict', b('asdict', (_c, [obj]) => (obj?.k === 'instance' && obj.cls.fields ? recordAs(true)(obj) : unknown('asdict() of an unknown object'))));
  m.set('dataclasses.astuple', b('astuple', (_c, [obj]) => (obj?.k === 'instance' && obj.cls.fields ? recordAs(false)(obj) : unknown('astuple() of an unknown object'))));
  m.set('itertools.accumulate', b('accumulate', (c, [xs, fn], kwargs) => {
    const items = xs ? c.interp.iterate(xs) : null;
    if (!items || fn || kwargs.has('func')) return unknown('accumulate()');
    const out: Value[] = kwargs.has('initial') ? [kwargs.get('initial')!] : [];
    for (const it of items) out.push(out.length ? c.interp.binop('+', out[out.length - 1], it) : it);
    return list(out);
  }));
  installRe(m);
  // json.loads of a literal document: the values it holds (configs written inline).
  m.set('json.loads', b('loads', (_c, [x]) => {
    if (x?.k !== 'str') return unknown('json.loads() of a text not known');
    try {
      return fromJson(JSON.parse(x.v));
    } catch {
      return unknown('json.loads() of text that is not JSON');
    }
  }));
  // yaml.safe_load / yaml.load / yaml.full_load of a literal document (mmseg / YOLO-style configs written inline).
  const yamlLoad: Fn = (_c, [x]) => {
    if (x?.k !== 'str') return unknown('yaml.load() of a text not known');
    try {
      return fromJson(loadYaml(x.v, { schema: YAML_CORE, json: true }));
    } catch {
      return unknown('yaml.load() of text that is not YAML');
    }
  };
  for (const name of ['safe_load', 'load', 'full_load', 'unsafe_load']) m.set(`yaml.${name}`, b(name, yamlLoad));
  // dataclasses.replace(obj, **changes): a copy of the instance with those fields changed.
  m.set('dataclasses.replace', b('replace', (_c, [obj], kwargs) => {
    if (obj?.k !== 'instance') return unknown('dataclasses.replace() of an unknown object');
    const open = kwargs.get(OPEN_KWARGS);
    if (open) return open;
    const attrs = new Map(obj.attrs);
    for (const [k, v] of kwargs) attrs.set(k, v);
    return { ...obj, attrs };
  }));
  m.set('itertools.product', b('product', (c, args, kwargs) => {
    // product(*its, repeat=n): the iterables n times over.
    const rep = kwargs.has('repeat') ? num(kwargs.get('repeat')!) : 1;
    if (rep === null || rep < 0) return unknown('product() with a repeat not known');
    let acc: Value[][] = [[]];
    for (let r = 0; r < rep; r++)
      for (const a of args) {
        const items = c.interp.iterate(a);
        if (!items) return unknown('product()');
        acc = acc.flatMap((p) => items.map((it) => [...p, it]));
        if (acc.length > 100_000) return unknown('product() too long');
      }
    return list(acc.map((p) => tuple(p)));
  }));
  // inspect.signature(f).parameters: the parameter names in order (a bound method's without
  // its receiver), each with .name and .default (PyG-style MessagePassing collects message()'s
  // x_i / x_j arguments this way).
  m.set('inspect.signature', b('signature', (_c, [f]) => {
    // A method read off an object is a builtin carrying the function it binds (Interp.bindFound).
    const bound = f?.k === 'bound' || (f?.k === 'builtin' && !!f.method);
    const fn = f?.k === 'bound' ? f.func : f?.k === 'builtin' && f.method ? f.method.func : f;
    if (fn?.k !== 'func') return unknown('inspect.signature() of a function not defined in Python source');
    const params = fn.params.slice(bound && !fn.isStatic ? 1 : 0);
    const empty = str('<inspect.Parameter.empty>');
    const entry = (p: (typeof params)[number]) => {
      const o = b(p.name, () => unknown('calling an inspect.Parameter'));
      o.attrs = new Map<string, Value>([['name', str(p.name)], ['default', fn.defaults.get(p.name) ?? empty]]);
      return o;
    };
    const sig = b('Signature', () => unknown('calling an inspect.Signature'));
    sig.attrs = new Map<string, Value>([['parameters', { k: 'dict', keys: params.map((p) => str(p.name)), vals: params.map(entry) } as DictV]]);
    return sig;
  }));
  // inspect.currentframe(): the running function's frame, with f_locals, f_back (its caller's
  // frame, None past the outermost) and f_code.co_name; inspect.getargvalues(frame) gives
  // ArgInfo(args, varargs, keywords, locals) from the function's parameters (Lightning's
  // save_hyperparameters reads its caller's __init__ arguments this way).
  const frameRecord = new WeakMap<Value, { func: FuncV; scope: { vars: Map<string, Value> } }>();
  const frameObj = (c: CallCtx, depth: number): Value => {
    const frames = c.interp.frames;
    const fr = frames[frames.length - 1 - depth];
    // Frames further out than 16 read as None (a chain of every frame would cost on deep stacks).
    if (!fr || depth > 16) return NONE;
    const o = b('frame', () => unknown('calling a frame'));
    const code = b('code', () => unknown('calling a code object'));
    code.attrs = new Map<string, Value>([['co_name', str(fr.func.name)]]);
    o.attrs = new Map<string, Value>([['f_locals', frameLocals(fr.scope)], ['f_code', code], ['f_back', frameObj(c, depth + 1)]]);
    frameRecord.set(o, fr);
    return o;
  };
  m.set('inspect.currentframe', b('currentframe', (c) => frameObj(c, 0)));
  m.set('inspect.getargvalues', b('getargvalues', (c, [frame]) => {
    const fr = frame ? frameRecord.get(frame) : undefined;
    if (!fr) return unknown('getargvalues() of a frame not known');
    const named = fr.func.params.filter((p) => !p.star).map((p) => str(p.name));
    const star = (k: '*' | '**') => {
      const p = fr.func.params.find((q) => q.star === k);
      return p ? str(p.name) : NONE;
    };
    return namedTuple(['args', 'varargs', 'keywords', 'locals'], [list(named), star('*'), star('**'), frameLocals(fr.scope)]);
  }));
  // inspect.isfunction / ismethod / isclass (ldm's `default(val, d)`: `d() if isfunction(d) else d`).
  // A library builtin may be a Python function or a C one in the real library: not known.
  const isBound = (x: Value) => x.k === 'bound' || (x.k === 'builtin' && !!x.method);
  m.set('inspect.isfunction', b('isfunction', (_c, [x]) => (!x ? unknown('isfunction()') : x.k === 'func' ? bool(!x.isProperty) : x.k === 'builtin' && !x.method ? unknown('isfunction() of a library function') : FALSE)));
  m.set('inspect.ismethod', b('ismethod', (_c, [x]) => (!x ? unknown('ismethod()') : bool(isBound(x)))));
  m.set('inspect.isclass', b('isclass', (_c, [x]) => (!x ? unknown('isclass()') : bool(x.k === 'class'))));
  // starmap(f, pairs): f(*pair) for each.
  m.set('itertools.starmap', b('starmap', (c, [f, xs]) => {
    const items = xs ? c.interp.iterate(xs) : null;
    if (!f || !items) return unknown('starmap()');
    const out: Value[] = [];
    for (const it of items) {
      const args = c.interp.iterate(it);
      if (!args) return unknown('starmap() of an item not known');
      out.push(c.callValue(f, args));
    }
    return list(out);
  }));
  // islice(it, stop) / islice(it, start, stop[, step]): None for stop or step as in Python.
  m.set('itertools.islice', b('islice', (c, [xs, ...rest]) => {
    const items = xs ? c.interp.iterate(xs) : null;
    if (!items || rest.length === 0 || rest.length > 3) return unknown('islice()');
    const bound = (v: Value | undefined, dflt: number) => (v === undefined || v.k === 'none' ? dflt : num(v));
    const [start, stop, step] = rest.length === 1 ? [0, bound(rest[0], items.length), 1] : [bound(rest[0], 0), bound(rest[1], items.length), bound(rest[2], 1)];
    if (start === null || stop === null || step === null || start < 0 || stop < 0 || step < 1) return unknown('islice() bounds not known');
    const out: Value[] = [];
    for (let i = start; i < Math.min(stop, items.length); i += step) out.push(items[i]);
    return list(out);
  }));
  m.set('itertools.repeat', b('repeat', (_c, [x, n]) => {
    const k = num(n);
    return k === null || !x ? unknown('repeat()') : list(Array(Math.max(0, Math.min(k, 100_000))).fill(x));
  }));
  // pairwise(xs) (Python 3.10): consecutive pairs, `for cin, cout in pairwise(channels)`.
  m.set('itertools.pairwise', b('pairwise', (c, [xs]) => {
    const items = xs ? c.interp.iterate(xs) : null;
    if (!items) return unknown('pairwise() of an unknown iterable');
    return list(items.slice(1).map((it, i) => tuple([items[i], it])));
  }));
  // combinations(xs, r) / permutations(xs[, r]): tuples in Python's (lexicographic by position) order.
  const choose = (name: string, ordered: boolean): Fn => (c, [xs, r], kwargs) => {
    const items = xs ? c.interp.iterate(xs) : null;
    const rv = r ?? kwargs.get('r');
    const k = rv === undefined || rv.k === 'none' ? (ordered && items ? items.length : null) : num(rv);
    if (!items || k === null || k < 0) return unknown(`${name}() of an unknown iterable or length`);
    const out: Value[] = [];
    const walk = (picked: number[]) => {
      if (out.length > 100_000) return;
      if (picked.length === k) {
        out.push(tuple(picked.map((i) => items[i])));
        return;
      }
      const from = ordered || picked.length === 0 ? 0 : picked[picked.length - 1] + 1;
      for (let i = from; i < items.length; i++) if (!picked.includes(i)) walk([...picked, i]);
    };
    walk([]);
    return out.length > 100_000 ? unknown(`${name}() too long`) : list(out);
  };
  m.set('itertools.combinations', b('combinations', choose('combinations', false)));
  m.set('itertools.permutations', b('permutations', choose('permutations', true)));
  // zip_longest(*its, fillvalue=None): zip up to the longest, the short ones padded.
  m.set('itertools.zip_longest', b('zip_longest', (c, args, kwargs) => {
    const cols = args.map((a) => c.interp.iterate(a));
    if (cols.some((col) => !col)) return unknown('zip_longest() of an unknown iterable');
    const fill = kwargs.get('fillvalue') ?? NONE;
    const n = Math.max(0, ...cols.map((col) => col!.length));
    return list(Array.from({ length: n }, (_, i) => tuple(cols.map((col) => col![i] ?? fill))));
  }));
  // compress(data, selectors): the items whose selector is true.
  m.set('itertools.compress', b('compress', (c, [data, sel]) => {
    const items = data ? c.interp.iterate(data) : null;
    const flags = sel ? c.interp.iterate(sel) : null;
    if (!items || !flags) return unknown('compress() of an unknown iterable');
    const out: Value[] = [];
    for (let i = 0; i < Math.min(items.length, flags.length); i++) {
      const t = c.interp.truthy(flags[i]);
      if (t === null) return unknown('compress() with a selector not known');
      if (t) out.push(items[i]);
    }
    return list(out);
  }));

  // ---- list methods
  method('list', 'append', (_c, [self, x]) => {
    if (self.k === 'list' && x) self.items.push(x);
    return NONE;
  });
  method('list', 'extend', (c, [self, x]) => {
    const items = x ? c.interp.iterate(x) : null;
    if (self.k === 'list' && items && self.items.length + items.length <= c.interp.budget.maxListLength) self.items.push(...items);
    else if (self.k === 'list') self.partial = `extended with ${x ? describe(x) : 'nothing'}`;
    return NONE;
  });
  method('list', 'insert', (_c, [self, i, x]) => {
    const n = num(i);
    if (self.k === 'list' && n !== null && x) self.items.splice(n < 0 ? self.items.length + n : n, 0, x);
    return NONE;
  });
  method('list', 'pop', (_c, [self, i]) => {
    if (self.k !== 'list' || self.items.length === 0) return unknown('pop()');
    const n = i ? num(i) : -1;
    if (n === null) return unknown('pop()');
    const j = n < 0 ? self.items.length + n : n;
    return self.items.splice(j, 1)[0] ?? unknown('pop()');
  });
  method('list', 'reverse', (_c, [self]) => {
    if (self.k === 'list') self.items.reverse();
    return NONE;
  });
  method('list', 'copy', (_c, [self]) => (self.k === 'list' ? list([...self.items]) : unknown('copy')));
  method('list', 'clear', (_c, [self]) => {
    if (self.k === 'list') {
      self.items.length = 0;
      delete self.partial;
    }
    return NONE;
  });
  method('list', 'remove', (_c, [self, x]) => {
    if (self.k !== 'list' || !x) return NONE;
    for (let i = 0; i < self.items.length; i++) {
      const eq = valuesEqual(self.items[i], x);
      if (eq === true) {
        self.items.splice(i, 1);
        return NONE;
      }
      // Not known whether this item is the one: which one goes is not known either.
      if (eq === null) {
        self.partial = `an item removed (${describe(x)})`;
        return NONE;
      }
    }
    return NONE;
  });
  method('list', 'sort', (c, [self], kwargs) => {
    if (self.k !== 'list') return NONE;
    const sorted = sortedValues(c, self.items, kwargs);
    if (!sorted) self.partial = 'sorted by values not known';
    else self.items.splice(0, self.items.length, ...sorted);
    return NONE;
  });
  const indexFn: Fn = (_c, [self, x]) => {
    if ((self.k !== 'list' && self.k !== 'tuple') || !x) return unknown('index()');
    const i = self.items.findIndex((it) => valuesEqual(it, x) === true);
    return i < 0 ? unknown('index() not found') : int(i);
  };
  method('list', 'index', indexFn);
  method('tuple', 'index', indexFn);
  const countFn: Fn = (_c, [self, x]) => {
    if ((self.k !== 'list' && self.k !== 'tuple') || !x) return unknown('count()');
    return int(self.items.filter((it) => valuesEqual(it, x) === true).length);
  };
  method('list', 'count', countFn);
  method('tuple', 'count', countFn);
  // ---- dict methods
  method('dict', 'items', (_c, [self]) => (self.k === 'dict' ? list(self.keys.map((k, i) => tuple([k, self.vals[i]]))) : unknown('items()')));
  method('dict', 'keys', (_c, [self]) => (self.k === 'dict' ? list([...self.keys]) : unknown('keys()')));
  method('dict', 'values', (_c, [self]) => (self.k === 'dict' ? list([...self.vals]) : unknown('values()')));
  method('dict', 'get', (_c, [self, k, d]) => (self.k === 'dict' && k ? dictGet(self, k) ?? d ?? NONE : unknown('get()')));
  method('dict', 'pop', (_c, [self, k, d]) => {
    if (self.k !== 'dict' || !k) return unknown('pop()');
    const i = self.keys.findIndex((x) => valuesEqual(x, k) === true);
    if (i < 0) return d ?? unknown('pop() missing key');
    const v = self.vals[i];
    self.keys.splice(i, 1);
    self.vals.splice(i, 1);
    return v;
  });
  method('dict', 'clear', (_c, [self]) => {
    if (self.k === 'dict') {
      self.keys.length = 0;
      self.vals.length = 0;
    }
    return NONE;
  });
  method('dict', 'setdefault', (_c, [self, k, d]) => {
    if (self.k !== 'dict' || !k) return unknown('setdefault()');
    const v = dictGet(self, k);
    if (v) return v;
    dictPut(self, k, d ?? NONE);
    return d ?? NONE;
  });
  method('dict', 'update', (_c, [self, o], kwargs) => {
    if (self.k === 'dict') {
      if (o?.k === 'dict') o.keys.forEach((k, i) => dictPut(self, k, o.vals[i]));
      for (const [k, v] of kwargs) dictPut(self, k === OPEN_KWARGS ? v : str(k), v);
    }
    return NONE;
  });
  method('dict', 'copy', (_c, [self]) => (self.k === 'dict' ? { k: 'dict', keys: [...self.keys], vals: [...self.vals] } : unknown('copy()')));
  // ---- str methods
  const sm = (name: string, f: (s: string, args: Value[], ip: Interp, kwargs: Map<string, Value>) => Value) => method('str', name, (c, [self, ...args], kwargs) => (self.k === 'str' ? f(self.v, args, c.interp, kwargs) : unknown(name)));
  sm('upper', (s) => str(s.toUpperCase()));
  sm('lower', (s) => str(s.toLowerCase()));
  // strip / lstrip / rstrip: whitespace, or any of the given characters.
  const stripper = (name: string, left: boolean, right: boolean) => sm(name, (s, [chars]) => {
    if (chars && chars.k !== 'str' && chars.k !== 'none') return unknown(name);
    const set = chars?.k === 'str' ? chars.v : ' \t\n\r\f\v';
    let a = 0;
    let b = s.length;
    while (left && a < b && set.includes(s[a])) a++;
    while (right && b > a && set.includes(s[b - 1])) b--;
    return str(s.slice(a, b));
  });
  stripper('strip', true, true);
  stripper('lstrip', true, false);
  stripper('rstrip', false, true);
  sm('startswith', (s, [p]) => (p?.k === 'str' ? bool(s.startsWith(p.v)) : unknown('startswith')));
  sm('endswith', (s, [p]) => (p?.k === 'str' ? bool(s.endsWith(p.v)) : unknown('endswith')));
  sm('replace', (s, [a, c]) => (a?.k === 'str' && c?.k === 'str' ? str(s.split(a.v).join(c.v)) : unknown('replace')));
  // split / rsplit with Python's maxsplit (by position or keyword): at most that many cuts, from the left or the right.
  const splitter = (name: string, fromRight: boolean) => sm(name, (s, [sepArg, maxArg], _ip, kwargs) => {
    const sep = sepArg ?? kwargs.get('sep');
    const maxV = maxArg ?? kwargs.get('maxsplit');
    const max = maxV === undefined ? -1 : num(maxV);
    if ((sep && sep.k !== 'str' && sep.k !== 'none') || max === null || (sep?.k === 'str' && sep.v === '')) return unknown(name);
    const parts = pySplit(s, sep?.k === 'str' ? sep.v : null, max, fromRight);
    return list(parts.map((x) => str(x)));
  });
  splitter('split', false);
  splitter('rsplit', true);
  // partition / rpartition: (head, sep, tail) around the first / last `sep` (Hydra's `_target_` paths).
  const partitioner = (name: string, fromRight: boolean) => sm(name, (s, [sep]) => {
    if (sep?.k !== 'str' || sep.v === '') return unknown(name);
    const at = fromRight ? s.lastIndexOf(sep.v) : s.indexOf(sep.v);
    if (at < 0) return tuple(fromRight ? [str(''), str(''), str(s)] : [str(s), str(''), str('')]);
    return tuple([str(s.slice(0, at)), str(sep.v), str(s.slice(at + sep.v.length))]);
  });
  partitioner('partition', false);
  partitioner('rpartition', true);
  // find / rfind / count of a substring; title / capitalize / isalpha / isupper / islower.
  sm('find', (s, [x]) => (x?.k === 'str' ? int(s.indexOf(x.v)) : unknown('find')));
  sm('rfind', (s, [x]) => (x?.k === 'str' ? int(s.lastIndexOf(x.v)) : unknown('rfind')));
  sm('count', (s, [x]) => (x?.k === 'str' && x.v !== '' ? int(s.split(x.v).length - 1) : unknown('count')));
  sm('capitalize', (s) => str(s.charAt(0).toUpperCase() + s.slice(1).toLowerCase()));
  sm('title', (s) => str(s.toLowerCase().replace(/(^|[^A-Za-z])([a-z])/g, (_m, a: string, c: string) => a + c.toUpperCase())));
  sm('isalpha', (s) => bool(/^[A-Za-z]+$/.test(s)));
  sm('isupper', (s) => bool(/[A-Z]/.test(s) && !/[a-z]/.test(s)));
  sm('islower', (s) => bool(/[a-z]/.test(s) && !/[A-Z]/.test(s)));
  sm('join', (s, [x], ip) => {
    const items = x ? ip.iterate(x) : null;
    if (!items || items.some((i) => i.k !== 'str')) return unknown('join');
    return str(items.map((i) => (i as { v: string }).v).join(s));
  });
  sm('format', (s, args, ip, kwargs) => {
    let i = 0;
    let bad = false;
    const out = s.replace(/\{\{|\}\}|\{([^{}:!]*)(?:!([rsa]))?(?::([^{}]*))?\}/g, (m: string, field: string | undefined, conv: string | undefined, spec: string | undefined) => {
      if (m === '{{') return '{';
      if (m === '}}') return '}';
      const key = field ?? '';
      const v = key === '' ? args[i++] : /^\d+$/.test(key) ? args[parseInt(key, 10)] : kwargs.get(key);
      let t: string | null = null;
      if (v) {
        const shown = conv === 'r' && v.k === 'str' ? str(`'${v.v}'`) : v;
        t = formatValue(ip, shown, spec ?? '');
      }
      if (t === null) bad = true;
      return t ?? '';
    });
    return bad ? unknown('format') : str(out);
  });
  sm('isdigit', (s) => bool(/^\d+$/.test(s)));
  for (const t of ['int', 'float', 'str', 'bool', 'list', 'tuple', 'dict', 'set', 'type', 'range']) {
    const v = m.get(t);
    if (v?.k === 'builtin') v.isType = true;
  }
  return m;
}

/** Python's str.split / str.rsplit: on `sep`, or on runs of whitespace (null), with at most `max` cuts (-1: all). */
function pySplit(s: string, sep: string | null, max: number, fromRight: boolean): string[] {
  if (sep !== null) {
    const all = s.split(sep);
    if (max < 0 || all.length - 1 <= max) return all;
    return fromRight ? [all.slice(0, all.length - max).join(sep), ...all.slice(all.length - max)] : [...all.slice(0, max), all.slice(max).join(sep)];
  }
  const out: string[] = [];
  let rest = fromRight ? s.trimEnd() : s.trimStart();
  while (rest && (max < 0 || out.length < max)) {
    const m = fromRight ? /\s+(\S*)$/.exec(rest) : /^(\S*)\s+/.exec(rest);
    if (!m) break;
    out.push(m[1]);
    rest = fromRight ? rest.slice(0, m.index) : rest.slice(m[0].length);
  }
  // What is left: the last word, or (after `max` cuts) the rest as it stands.
  if (rest !== '') out.push(rest);
  return fromRight ? out.reverse() : out;
}

/**
 * The abstract types of collections.abc, typing and numbers that helpers test values against
 * (timm's `to_2tuple` asks `isinstance(x, collections.abc.Iterable)`): by value kind, whether
 * a value is one (kinds not listed, such as instances, stay unknown).
 */
const ITERABLE = { list: true, tuple: true, dict: true, str: true, tensor: true, int: false, float: false, bool: false, none: false } as const;
const ABSTRACT_TYPES: Record<string, Partial<Record<Value['k'], boolean>>> = {
  Iterable: ITERABLE, Collection: ITERABLE, Container: ITERABLE, Sized: ITERABLE,
  Sequence: { list: true, tuple: true, str: true, dict: false, int: false, float: false, bool: false, none: false },
  Mapping: { dict: true, list: false, tuple: false, str: false, int: false, float: false, bool: false, none: false, tensor: false },
  Number: { int: true, float: true, bool: true, str: false, list: false, tuple: false, dict: false, none: false },
  Integral: { int: true, bool: true, float: false, str: false, list: false, tuple: false, dict: false, none: false },
  Real: { int: true, float: true, bool: true, str: false, list: false, tuple: false, dict: false, none: false },
};
const ABC_MODULES = new Set(['collections.abc', 'collections', 'typing', 'numbers']);

/** A parsed JSON (or YAML) document as Python values (json.loads, yaml.safe_load). */
function fromJson(x: unknown): Value {
  if (x === null || x === undefined) return NONE;
  if (typeof x === 'boolean') return bool(x);
  if (typeof x === 'number') return Number.isInteger(x) ? int(x) : float(x);
  if (typeof x === 'string') return str(x);
  if (Array.isArray(x)) return list(x.map(fromJson));
  const entries = Object.entries(x as Record<string, unknown>);
  return { k: 'dict', keys: entries.map(([k]) => str(k)), vals: entries.map(([, v]) => fromJson(v)) };
}

/**
 * `sorted(items, key=..., reverse=...)` / `list.sort(...)`: Python's stable order of the items'
 * keys (numbers, strings, or tuples and lists of them); null when a key is not known or two
 * keys do not compare.
 */
function sortedValues(c: CallCtx, items: readonly Value[], kwargs: Map<string, Value>): Value[] | null {
  const keys = sortKeys(c, items, kwargs);
  if (!keys) return null;
  const reverse = kwargs.get('reverse');
  const sign = reverse?.k === 'bool' && reverse.v ? -1 : 1;
  const order = items.map((_, i) => i);
  let failed = false;
  order.sort((a, b) => {
    const r = compareValues(keys[a], keys[b]);
    if (r === null) failed = true;
    return sign * (r ?? 0);
  });
  return failed ? null : order.map((i) => items[i]);
}

/** Each item's sort key: `key(item)` when a key function is given, else the item. */
function sortKeys(c: CallCtx, items: readonly Value[], kwargs: Map<string, Value>): Value[] | null {
  const key = kwargs.get('key');
  if (!key || key.k === 'none') return [...items];
  const keys = items.map((v) => c.callValue(key, [v]));
  return keys.some((k) => k.k === 'unknown') ? null : keys;
}

/** Python's `<` between two values: numbers (and bools), strings, tuples / lists item by item; null otherwise. */
function compareValues(a: Value, b: Value): number | null {
  if (a.k === 'str' && b.k === 'str') return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
  if ((a.k === 'tuple' && b.k === 'tuple') || (a.k === 'list' && b.k === 'list')) {
    for (let i = 0; i < Math.min(a.items.length, b.items.length); i++) {
      const r = compareValues(a.items[i], b.items[i]);
      if (r !== 0) return r;
    }
    return a.items.length - b.items.length;
  }
  const x = a.k === 'bool' ? (a.v ? 1 : 0) : num(a);
  const y = b.k === 'bool' ? (b.v ? 1 : 0) : num(b);
  return x === null || y === null ? null : x - y;
}

const FORMAT_SPEC = /^(?:(.)?([<>=^]))?([+\- ])?z?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/;

/**
 * `format(v, spec)`: Python's format-spec mini-language for numbers, strings and flags
 * (fill, alignment, sign, zero padding, width, grouping, precision and type); null when the
 * value is not known or the spec is not one of these.
 */
export function formatValue(ip: Interp, v: Value, spec: string): string | null {
  if (spec === '') return ip.toStr(v);
  const m = FORMAT_SPEC.exec(spec);
  if (!m) return null;
  const [, fillGiven, alignGiven, sign = '-', alt, zero, widthText, group, precText, type] = m;
  const prec = precText === undefined ? undefined : Number(precText);
  let body: string | null;
  let numeric = false;
  let negative = false;
  const n = v.k === 'bool' ? (v.v ? 1 : 0) : num(v);
  if ((v.k === 'int' || v.k === 'float' || v.k === 'bool') && n !== null && !(v.k === 'bool' && !type)) {
    numeric = true;
    negative = n < 0 || Object.is(n, -0);
    const a = Math.abs(n);
    const isInt = v.k !== 'float';
    const t = type ?? (isInt ? 'd' : '');
    if (t !== '' && 'bodxX'.includes(t)) {
      if (!isInt) return null;
      body = t === 'd' ? String(a) : a.toString(t === 'b' ? 2 : t === 'o' ? 8 : 16);
      if (t === 'X') body = body.toUpperCase();
      if (alt && t !== 'd') body = `0${t}${body}`;
    } else if (t === 'f' || t === 'F') body = a.toFixed(prec ?? 6);
    else if (t === 'e' || t === 'E') {
      body = pyExponent(a.toExponential(prec ?? 6));
      if (t === 'E') body = body.toUpperCase();
    } else if (t === '%') body = `${(a * 100).toFixed(prec ?? 6)}%`;
    else if (t === 'g' || t === 'G' || t === 'n' || (t === '' && prec !== undefined)) body = pyGeneral(a, prec ?? (t === '' ? 12 : 6), t === '');
    else if (t === '') body = ip.toStr(float(a));
    else return null;
    const digits = group && body !== null ? /^\d+/.exec(body)?.[0] : undefined;
    if (digits) body = digits.replace(/\B(?=(\d{3})+(?!\d))/g, group!) + body!.slice(digits.length);
  } else {
    if (type && type !== 's') return null;
    body = ip.toStr(v);
    if (body !== null && prec !== undefined) body = body.slice(0, prec);
  }
  if (body === null) return null;
  const signText = numeric ? (negative ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '') : '';
  const width = widthText === undefined ? 0 : Number(widthText);
  const fill = fillGiven ?? (zero && !alignGiven ? '0' : ' ');
  const align = alignGiven ?? (zero && numeric ? '=' : numeric ? '>' : '<');
  const pad = Math.max(0, width - signText.length - body.length);
  if (align === '=') return signText + fill.repeat(pad) + body;
  const whole = signText + body;
  if (align === '<') return whole + fill.repeat(pad);
  if (align === '^') return fill.repeat(pad >> 1) + whole + fill.repeat(pad - (pad >> 1));
  return fill.repeat(pad) + whole;
}

/** JavaScript's `1.5e+6` as Python writes it: `1.5e+06`. */
function pyExponent(s: string): string {
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** The `g` presentation: `precision` significant digits, fixed or scientific as Python chooses, trailing zeros dropped. */
function pyGeneral(a: number, precision: number, keepPoint: boolean): string {
  const p = Math.max(1, precision);
  if (a === 0) return keepPoint ? '0.0' : '0';
  const exp = Math.floor(Math.log10(a));
  let out: string;
  if (exp < -4 || exp >= p) {
    out = pyExponent(a.toExponential(p - 1)).replace(/\.?0+e/, 'e');
  } else {
    out = a.toFixed(Math.max(0, p - 1 - exp));
    if (out.includes('.')) out = out.replace(/\.?0+$/, '');
    if (keepPoint && !out.includes('.')) out += '.0';
  }
  return out;
}

export function isInstance(ip: Interp, x: Value | undefined, c: Value | undefined): Value {
  if (!x || !c) return unknown('isinstance()');
  const classes = c.k === 'tuple' ? c.items : [c];
  const kindOf: Record<string, string> = { int: 'int', float: 'float', str: 'str', list: 'list', tuple: 'tuple', dict: 'dict', bool: 'bool', none: 'NoneType' };
  let unknownSeen = false;
  for (const k of classes) {
    if (k.k === 'builtin' && kindOf[x.k] === k.name) return TRUE;
    if (k.k === 'builtin' && k.name === 'int' && x.k === 'bool') return TRUE;
    if (k.k === 'builtin' && k.isType && x.k === 'builtin' && x.typeOf) return bool(x.typeOf === k);
    if (k.k === 'builtin' && k.isType && x.k === 'func') return bool(ip.resolvePath('types.FunctionType') === k);
    if (k.k === 'builtin' && k.isType && (x.k === 'bound' || (x.k === 'builtin' && x.method))) {
      return bool((x.k === 'builtin' || x.func.k === 'func') && ip.resolvePath('types.MethodType') === k);
    }
    if (k.k === 'builtin' && k.isType && k.name === 'type' && x.k === 'class') return TRUE;
    const xcls = x.k === 'instance' ? x.cls : x.k === 'dict' ? x.cls : undefined;
    if (k.k === 'class' && xcls && ip.mro(xcls).some((m) => m === k || m.qualname === k.qualname)) return TRUE;
    if (k.k === 'class' && x.k === 'tensor' && (k.qualname === 'torch.Tensor' || k.qualname === 'tf.Tensor')) return TRUE;
    if (k.k === 'modref') {
      const abc = ABSTRACT_TYPES[k.path.slice(k.path.lastIndexOf('.') + 1)];
      const known = abc && ABC_MODULES.has(k.path.slice(0, k.path.lastIndexOf('.'))) ? abc[x.k] : undefined;
      if (known === true) return TRUE;
      if (known === false) continue;
    }
    if (k.k === 'unknown' || k.k === 'modref') unknownSeen = true;
  }
  if (x.k === 'unknown') return unknown('isinstance() of an unknown value');
  return unknownSeen ? unknown('isinstance() against an unknown class') : FALSE;
}

/** copy.deepcopy of modules: a structural copy with fresh instance ids. */
export function deepCopy(ip: Interp, v: Value, memo = new Map<number, Value>()): Value {
  switch (v.k) {
    case 'list':
      return list(v.items.map((x) => deepCopy(ip, x, memo)));
    case 'tuple':
      return tuple(v.items.map((x) => deepCopy(ip, x, memo)));
    case 'dict':
      return { k: 'dict', keys: [...v.keys], vals: v.vals.map((x) => deepCopy(ip, x, memo)) };
    case 'instance': {
      const seen = memo.get(v.id);
      if (seen) return seen;
      const copy = { ...v, id: ip.newId(), attrs: new Map<string, Value>() };
      memo.set(v.id, copy);
      for (const [k, x] of v.attrs) copy.attrs.set(k, deepCopy(ip, x, memo));
      if (v.children) {
        copy.children = new Map();
        for (const [k, x] of v.children) copy.children.set(k, deepCopy(ip, x, memo));
      }
      if (v.ownParams) copy.ownParams = v.ownParams.map((p) => ({ ...p }));
      if (v.layer) copy.layer = { ...v.layer };
      return copy;
    }
    default:
      return v;
  }
}

export { addDims, floorDivDims, isUnknownDim };
