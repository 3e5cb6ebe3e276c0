// DL111: an nn.Module (or Keras layer) subclass whose __init__ never calls the base
// initialiser, or calls it after assigning a submodule, or a misspelt __init__.

import type { Node } from '../../python/ast';
import { walkScope, type FunctionDef } from '../facts';
import type { Rule } from '../types';

const TYPOS = new Set(['_init_', '__init_', '_init__', '__int__', '__init', 'init', '__intit__', '__inti__']);

function isInitCall(n: Node): boolean {
  return n.t === 'Call' && n.fn.t === 'Attr' && n.fn.attr === '__init__';
}

function assignsSelf(fn: FunctionDef): Node | undefined {
  let hit: Node | undefined;
  walkScope(fn.body, (n) => {
    if (!hit && n.t === 'Assign' && n.targets.some((t) => t.t === 'Attr' && t.obj.t === 'Name' && t.obj.id === 'self')) hit = n;
  }, ['Assign']);
  return hit;
}

export const dl111: Rule = {
  meta: {
    code: 'DL111',
    name: 'missing-super-init',
    frameworks: ['pytorch', 'keras'],
    severity: 'error',
    fix: 'yes',
    needs: ['__init__', '_init_', '__init_', '_init__', '__int__', '__init', 'init', '__intit__', '__inti__'],
    docs: '`nn.Module.__init__` creates the registries for parameters and submodules: assigning a layer before calling it raises `AttributeError: cannot assign module before Module.__init__() call`, and a misspelt constructor (`_init_`) never runs, leaving a model without parameters. Fires on a module class (or Keras layer/model subclass) whose `__init__` never calls `super().__init__(...)` / `Base.__init__(self, ...)`, or (PyTorch) calls it only after assigning a module to `self`, and on `_init_`-like methods that assign `self.*` in a class without `__init__`. The fix inserts `super().__init__()` (Keras: `super().__init__(**kwargs)` when `**kwargs` is taken) or renames the method.',
  },
  check(ctx) {
    const facts = ctx.facts;
    /** Edits inserting the base initialiser call as the first statement (after a docstring) when the method has none. */
    const superInsert = (m: FunctionDef, text = 'super().__init__()') => {
      let has = false;
      walkScope(m.body, (n) => {
        if (isInitCall(n)) has = true;
      }, ['Call']);
      const first = m.body[0];
      const anchor = first && first.t === 'Expr' && first.value.t === 'Str' ? m.body[1] : first;
      if (has || !anchor || anchor.line <= m.line || !facts.standsAlone(anchor)) return [];
      return [{ range: { line: anchor.line, character: 0, endLine: anchor.line, endCharacter: 0 }, newText: `${facts.indentOf(anchor.line)}${text}\n` }];
    };
    ctx.walk((cls) => {
      if (cls.t !== 'ClassDef') return;
      const role = facts.classRole(cls);
      if (role === 'other') return;
      // (It reads the class, class headers and imports only: kept classes are not looked at again.)
      ctx.byClass(cls, () => {
        const methods = facts.methodsOf(cls);
        const init = methods.find((m) => m.name === '__init__');
        if (!init) {
          for (const m of methods) {
            if (!TYPOS.has(m.name) || !assignsSelf(m)) continue;
            ctx.report({
              range: ctx.rangeOf({ line: m.namePos.line, col: m.namePos.col, endLine: m.namePos.endLine, endCol: m.namePos.endCol }),
              message: `'${m.name}' looks like a misspelt __init__: it never runs, so the ${role === 'torch-module' ? 'module' : 'layer'} has no parameters. Rename it to __init__.`,
              fix: { title: 'Rename to __init__', edits: [{ range: ctx.rangeOf({ line: m.namePos.line, col: m.namePos.col, endLine: m.namePos.endLine, endCol: m.namePos.endCol }), newText: '__init__' }, ...superInsert(m)] },
            });
          }
          return;
        }
        let initCall: Node | undefined;
        let delegated = false;
        walkScope(init.body, (n) => {
          if (!initCall && isInitCall(n)) initCall = n;
          // Construction delegated elsewhere (a helper that may call the base initialiser): stay quiet.
          if (n.t === 'Call' && n.fn.t === 'Attr' && n.fn.obj.t === 'Name' && n.fn.obj.id === 'self' && /init/i.test(n.fn.attr)) delegated = true;
        }, ['Call']);
        if (delegated) return;
        const kwargs = init.params.find((p) => p.star === '**');
        const superText = role === 'keras-layer' && kwargs ? `super().__init__(**${kwargs.name})` : 'super().__init__()';
        const namePos = { line: init.namePos.line, col: init.namePos.col, endLine: init.namePos.endLine, endCol: init.namePos.endCol };
        if (!initCall) {
          const edits = superInsert(init, superText);
          const fix = edits.length ? { title: `Insert ${superText}`, edits } : undefined;
          ctx.report({
            range: ctx.rangeOf(namePos),
            message: `__init__ of ${cls.name} never calls the base initialiser: ${role === 'torch-module' ? 'assigning layers raises AttributeError and nothing is registered' : 'the layer is not set up'}. Call ${superText} first.`,
            fix,
          });
          return;
        }
        if (role !== 'torch-module') return;
        // A module / parameter assigned to self before the base initialiser.
        const lc = { noGrad: false, gradientTape: false, tfFunction: false, compiled: false, fn: init, cls };
        const callLine = (initCall as Node).line;
        for (const st of init.body) {
          if (st.line >= callLine) break;
          if (st.t !== 'Assign' || st.value.t !== 'Call') continue;
          if (!st.targets.some((t) => t.t === 'Attr' && t.obj.t === 'Name' && t.obj.id === 'self')) continue;
          const q = facts.qualifiedName(st.value.fn);
          if (facts.kindOfCall(st.value, lc).kind === 'Module' || q === 'torch.nn.Parameter') {
            ctx.report({
              node: st,
              message: `A module is assigned to self before the base __init__ runs (line ${callLine + 1}): AttributeError 'cannot assign module before Module.__init__() call'. Call ${superText} first.`,
            });
            return;
          }
        }
      });
    }, ['ClassDef']);
  },
};
