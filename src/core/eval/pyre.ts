// Python's `re` module over JavaScript regular expressions, for model code that parses its
// settings out of strings (EfficientNet's BlockDecoder: `re.split(r"(\d.*)", "k3")`).
// A pattern is translated when the two dialects agree on it (named groups `(?P<n>...)`,
// `\A`, `\Z`, leading inline flags); anything else (verbose patterns, a pattern JavaScript
// refuses) gives Unknown, and so does a split or search whose empty matches the two would
// treat differently.

import type { BuiltinV, CallCtx, Value } from './values';
import { NONE, int, list, str, tuple, unknown } from './values';

type Fn = (ctx: CallCtx, args: Value[], kwargs: Map<string, Value>) => Value;
const b = (name: string, call: Fn): BuiltinV => ({ k: 'builtin', name, call });

/** Python's flag values (re.I, re.M, re.S, re.X, re.A). */
const FLAGS: Record<string, number> = { I: 2, IGNORECASE: 2, M: 8, MULTILINE: 8, S: 16, DOTALL: 16, X: 64, VERBOSE: 64, A: 256, ASCII: 256, U: 32, UNICODE: 32 };

interface Compiled {
  source: string;
  flags: number;
  re: RegExp;
  groups: number;
}

/** A group with a quantifier inside, itself quantified: `(a+)+`, `(\w*x)*`, `(?:a|b+){2,}`. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]/;

/** Texts longer than this are not matched (a model file's settings strings are short). */
const MAX_SUBJECT = 100_000;

/** A Python pattern (text or compiled object) and flags as a JavaScript RegExp (global, with indices); null when not translatable. */
function compile(p: Value | undefined, f: Value | undefined): Compiled | null {
  let source: string;
  let flags = f?.k === 'int' && typeof f.v === 'number' ? f.v : f === undefined || f.k === 'none' ? 0 : -1;
  if (flags < 0) return null;
  if (p?.k === 'str') source = p.v;
  else if (p?.k === 'builtin' && p.name === 'Pattern' && p.attrs) {
    const s = p.attrs.get('pattern');
    const pf = p.attrs.get('flags');
    if (s?.k !== 'str' || pf?.k !== 'int' || typeof pf.v !== 'number') return null;
    source = s.v;
    flags |= pf.v;
  } else return null;
  let js = source;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(js);
  if (inline) {
    for (const ch of inline[1]) flags |= { a: 256, i: 2, L: 0, m: 8, s: 16, u: 32, x: 64 }[ch] ?? 0;
    js = js.slice(inline[0].length);
  }
  if (flags & 64) return null;
  // A quantified group that holds a quantifier (`(a+)+`) can backtrack for longer than any
  // budget: JavaScript runs a match to its end, and the step and time limits cannot stop it.
  if (NESTED_QUANTIFIER.test(source)) return null;
  if (/\(\?[aiLmsux-]+[:)]/.test(js) || /\\[Zz]\B|\(\?\(/.test(js.replace(/\\Z/g, ''))) return null;
  js = js.replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>').replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>').replace(/\\A/g, '^').replace(/\\Z/g, '$(?![\\s\\S])');
  let jsFlags = 'gd';
  if (flags & 2) jsFlags += 'i';
  if (flags & 8) jsFlags += 'm';
  if (flags & 16) jsFlags += 's';
  try {
    const re = new RegExp(js, jsFlags);
    const groups = new RegExp(`${js}|`, jsFlags.replace('g', '')).exec('')!.length - 1;
    return { source, flags, re, groups };
  } catch {
    return null;
  }
}

const grp = (x: string | undefined): Value => (x === undefined ? NONE : str(x));

/** A match object: group(), groups(), groupdict(), start(), end(), span(), string. */
function matchObject(m: RegExpExecArray, text: string): Value {
  const names = m.groups ?? {};
  const index = (g: Value | undefined): number | null => {
    if (!g) return 0;
    if (g.k === 'int' && typeof g.v === 'number') return g.v >= 0 && g.v < m.length ? g.v : null;
    return null;
  };
  const named = (g: Value | undefined): string | undefined | null => {
    if (g?.k === 'str') return g.v in names ? names[g.v] : null;
    const i = index(g);
    return i === null ? null : m[i];
  };
  const span = (g: Value | undefined): [number, number] | null => {
    if (!g || (g.k === 'int' && g.v === 0)) return [m.index, m.index + m[0].length];
    if (g.k === 'str') {
      const r = m.indices?.groups?.[g.v];
      return r ? [r[0], r[1]] : g.v in names ? [-1, -1] : null;
    }
    const i = index(g);
    if (i === null) return null;
    const r = m.indices?.[i];
    return r ? [r[0], r[1]] : [-1, -1];
  };
  const attrs = new Map<string, Value>([
    ['group', b('group', (_c, args) => {
      const vals = (args.length ? args : [int(0)]).map(named);
      if (vals.some((v) => v === null)) return unknown('group() of a group the pattern does not have');
      return vals.length === 1 ? grp(vals[0] as string | undefined) : tuple(vals.map((v) => grp(v as string | undefined)));
    })],
    ['groups', b('groups', (_c, [d]) => tuple(m.slice(1).map((x) => (x === undefined ? d ?? NONE : str(x)))))],
    ['groupdict', b('groupdict', (_c, [d]) => {
      const ks = Object.keys(names);
      return { k: 'dict', keys: ks.map((k) => str(k)), vals: ks.map((k) => (names[k] === undefined ? d ?? NONE : str(names[k]!))) };
    })],
    ['start', b('start', (_c, [g]) => { const s = span(g); return s ? int(s[0]) : unknown('start()'); })],
    ['end', b('end', (_c, [g]) => { const s = span(g); return s ? int(s[1]) : unknown('end()'); })],
    ['span', b('span', (_c, [g]) => { const s = span(g); return s ? tuple([int(s[0]), int(s[1])]) : unknown('span()'); })],
    ['string', str(text)],
  ]);
  return { k: 'builtin', name: 'Match', call: () => unknown('a match object is not callable'), attrs };
}

/** All matches of `c` in `text` from `pos`; null when one is empty where Python and JavaScript may differ. */
function allMatches(c: Compiled, text: string, allowEmpty: boolean): RegExpExecArray[] | null {
  const re = new RegExp(c.re.source, c.re.flags);
  const out: RegExpExecArray[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0] === '') {
      if (!allowEmpty) return null;
      re.lastIndex++;
    }
    out.push(m);
    if (out.length > 100000) return null;
  }
  return out;
}

/** Python's replacement template (\1, \g<1>, \g<name>, \n, \\) for one match; null when it names no group. */
function expand(template: string, m: RegExpExecArray): string | null {
  let bad = false;
  const out = template.replace(/\\(?:g<([^>]*)>|(\d{1,2})|(.))/g, (_all, g: string | undefined, d: string | undefined, e: string | undefined) => {
    if (g !== undefined || d !== undefined) {
      const key = g ?? d!;
      const v = /^\d+$/.test(key) ? (Number(key) < m.length ? m[Number(key)] : ((bad = true), '')) : m.groups && key in m.groups ? m.groups[key] : ((bad = true), '');
      return v ?? '';
    }
    const esc: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\' };
    return esc[e!] ?? `\\${e}`;
  });
  return bad ? null : out;
}

function numArg(v: Value | undefined, dflt: number): number | null {
  if (v === undefined || v.k === 'none') return dflt;
  return v.k === 'int' && typeof v.v === 'number' ? v.v : null;
}

/** The operations of a pattern: each takes the pattern then the `re.X(pattern, ...)` arguments that follow it. */
function ops(): Record<string, (ctx: CallCtx, c: Compiled, args: Value[], kwargs: Map<string, Value>) => Value> {
  const search = (mode: 'match' | 'search' | 'fullmatch') => (_ctx: CallCtx, c: Compiled, [s]: Value[]): Value => {
    if (s?.k !== 'str') return unknown(`re.${mode}() of a text not known`);
    const src = mode === 'search' ? c.re.source : mode === 'match' ? `^(?:${c.re.source})` : `^(?:${c.re.source})$(?![\\s\\S])`;
    const re = new RegExp(src, c.re.flags.replace('g', '').replace('m', mode === 'search' ? 'm' : ''));
    const m = re.exec(s.v);
    return m ? matchObject(m, s.v) : NONE;
  };
  return {
    match: search('match'),
    search: search('search'),
    fullmatch: search('fullmatch'),
    split: (_ctx, c, [s, max], kw) => {
      const maxsplit = numArg(max ?? kw.get('maxsplit'), 0);
      if (s?.k !== 'str' || maxsplit === null) return unknown('re.split() of a text not known');
      const ms = allMatches(c, s.v, false);
      if (!ms) return unknown('re.split() with empty matches');
      const out: Value[] = [];
      let last = 0;
      for (const m of maxsplit > 0 ? ms.slice(0, maxsplit) : ms) {
        out.push(str(s.v.slice(last, m.index)));
        for (let i = 1; i < m.length; i++) out.push(grp(m[i]));
        last = m.index + m[0].length;
      }
      out.push(str(s.v.slice(last)));
      return list(out);
    },
    findall: (_ctx, c, [s]) => {
      if (s?.k !== 'str') return unknown('re.findall() of a text not known');
      const ms = allMatches(c, s.v, true);
      if (!ms) return unknown('re.findall()');
      return list(ms.map((m) => (c.groups === 0 ? str(m[0]) : c.groups === 1 ? str(m[1] ?? '') : tuple(m.slice(1).map((x) => str(x ?? ''))))));
    },
    finditer: (_ctx, c, [s]) => {
      if (s?.k !== 'str') return unknown('re.finditer() of a text not known');
      const ms = allMatches(c, s.v, true);
      return ms ? list(ms.map((m) => matchObject(m, s.v))) : unknown('re.finditer()');
    },
    sub: (ctx, c, [repl, s, cnt], kw) => {
      const count = numArg(cnt ?? kw.get('count'), 0);
      if (s?.k !== 'str' || !repl || count === null) return unknown('re.sub() of a text not known');
      const ms = allMatches(c, s.v, true);
      if (!ms) return unknown('re.sub()');
      let out = '';
      let last = 0;
      for (const m of count > 0 ? ms.slice(0, count) : ms) {
        let r: string | null;
        if (repl.k === 'str') r = expand(repl.v, m);
        else {
          const v = ctx.callValue(repl, [matchObject(m, s.v)]);
          r = v.k === 'str' ? v.v : null;
        }
        if (r === null) return unknown('re.sub() replacement not known');
        out += s.v.slice(last, m.index) + r;
        last = m.index + m[0].length;
      }
      return str(out + s.v.slice(last));
    },
  };
}

/** A compiled pattern object: its methods and `.pattern` / `.flags` / `.groups`. */
function patternObject(c: Compiled): Value {
  const attrs = new Map<string, Value>([
    ['pattern', str(c.source)],
    ['flags', int(c.flags)],
    ['groups', int(c.groups)],
  ]);
  const obj: BuiltinV = { k: 'builtin', name: 'Pattern', call: () => unknown('a pattern is not callable'), attrs };
  for (const [name, op] of Object.entries(ops())) attrs.set(name, b(name, (ctx, args, kw) => (tooLong(args) ? unknown(`Pattern.${name}() of a long text`) : op(ctx, c, args, kw))));
  return obj;
}

function tooLong(args: Value[]): boolean {
  return args.some((a) => a.k === 'str' && a.v.length > MAX_SUBJECT);
}

/** Adds `re.*` to the builtins. */
export function installRe(m: Map<string, Value>): void {
  for (const [k, v] of Object.entries(FLAGS)) m.set(`re.${k}`, int(v));
  // re.X(pattern, ..., flags=): the flags are the last positional of each function, or a keyword.
  const flagPos: Record<string, number> = { match: 2, search: 2, fullmatch: 2, split: 3, findall: 2, finditer: 2, sub: 4 };
  for (const [name, op] of Object.entries(ops())) {
    m.set(`re.${name}`, b(name, (ctx, [p, ...rest], kw) => {
      const fi = flagPos[name] - 1;
      const c = compile(p, rest[fi] ?? kw.get('flags'));
      if (!c) return unknown(`re.${name}() of a pattern not known`);
      if (tooLong(rest)) return unknown(`re.${name}() of a long text`);
      return op(ctx, c, rest.slice(0, fi), kw);
    }));
  }
  m.set('re.compile', b('compile', (_c, [p, f], kw) => {
    const c = compile(p, f ?? kw.get('flags'));
    return c ? patternObject(c) : unknown('re.compile() of a pattern not known');
  }));
  m.set('re.escape', b('escape', (_c, [s]) => (s?.k === 'str' ? str(s.v.replace(/[^A-Za-z0-9_]/g, (ch) => `\\${ch}`)) : unknown('re.escape()'))));
}
