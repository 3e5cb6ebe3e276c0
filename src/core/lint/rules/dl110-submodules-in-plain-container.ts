// DL110: layers kept in a plain list / dict attribute of an nn.Module are not registered:
// not trained, not moved by .to(device), not saved by state_dict().

import type { Node } from '../../python/ast';
import { walkScope, type ClassDef, type FunctionDef, type LexicalContext, type LintFacts } from '../facts';
import type { Rule } from '../types';

function isModuleCall(e: Node, facts: LintFacts, lc: LexicalContext): 'module' | 'param' | undefined {
  if (e.t !== 'Call') return undefined;
  const q = facts.qualifiedName(e.fn);
  if (q === 'torch.nn.Parameter' || q === 'torch.nn.parameter.Parameter') return 'param';
  return facts.kindOfCall(e, lc).kind === 'Module' ? 'module' : undefined;
}

/** Element kind of a container literal / comprehension: every element must be a module (or a parameter). */
function elementKind(v: Node, facts: LintFacts, lc: LexicalContext): { kind: 'module' | 'param'; dict: boolean } | undefined {
  let elts: Node[] = [];
  let dict = false;
  if (v.t === 'List' || v.t === 'Tuple') elts = v.elts;
  else if (v.t === 'Dict') {
    if (v.keys.some((k) => !k || k.t !== 'Str')) return undefined;
    elts = v.values;
    dict = true;
  } else if (v.t === 'Comp' && (v.kind === 'list' || v.kind === 'dict')) {
    elts = [v.elt];
    dict = v.kind === 'dict';
  } else return undefined;
  if (!elts.length) return undefined;
  const kinds = elts.map((e) => isModuleCall(e, facts, lc));
  if (kinds.some((k) => !k) || new Set(kinds).size !== 1) return undefined;
  return { kind: kinds[0]!, dict };
}

export const dl110: Rule = {
  meta: {
    code: 'DL110',
    name: 'submodules-in-plain-container',
    frameworks: ['pytorch'],
    severity: 'error',
    fix: 'yes',
    needs: ['self'],
    docs: 'Layers stored in a Python `list`/`dict` attribute of an `nn.Module` are not registered as submodules: their parameters are missing from `model.parameters()` (never trained), `.to(device)` does not move them and `state_dict()` does not save them. Fires on `self.x = [<layers>]`, `{...}` and comprehensions of layer constructions, on `self.x = []` later filled with `self.x.append(<layer>)`, on `self.x = {}` later filled with `self.x[key] = <layer>`, and on `self.x = blocks` where the local `blocks` is such a list (or `[]` filled with `blocks.append(<layer>)` in the same method) not also passed to a container there, unless the class wraps the attribute in `nn.ModuleList`/`nn.Sequential` or registers modules with `add_module`/`setattr`. Keras classes are not concerned (Keras tracks list attributes). The fix wraps the value in `nn.ModuleList(...)` / `nn.ModuleDict(...)` (`ParameterList`/`ParameterDict` for parameters).',
  },
  check(ctx) {
    const facts = ctx.facts;
    const nn = facts.localAlias('torch.nn');
    ctx.walk((cls) => {
      if (cls.t !== 'ClassDef' || !facts.isTorchModuleClass(cls)) return;
      // (It reads the class, class headers and imports only: kept classes are not looked at again.)
      ctx.byClass(cls, () => checkClass(cls));
    }, ['ClassDef']);

    /** The kind of what is appended to a list (`<recv>.append(<layer>)`) in one method, when it is a layer or parameter. */
    function appendedKind(m: FunctionDef, lc: LexicalContext, isRecv: (x: Node) => boolean): 'module' | 'param' | undefined {
      let appended: 'module' | 'param' | undefined;
      walkScope(m.body, (x) => {
        if (x.t === 'Call' && x.fn.t === 'Attr' && x.fn.attr === 'append' && isRecv(x.fn.obj) && x.args.length === 1) {
          let v = x.args[0].value;
          if (v.t === 'Name') {
            const b = facts.soleBinding(v.id, m);
            if (b && b.how === 'assign' && b.value) v = b.value;
          }
          const k = isModuleCall(v, facts, lc);
          if (k) appended ??= k;
        }
      }, ['Call']);
      return appended;
    }

    function checkClass(cls: ClassDef): void {
      const classText = facts.textOf(cls);
      if (/\badd_module\s*\(|\bsetattr\s*\(\s*self\b|\bregister_module\s*\(/.test(classText)) return;
      const wrapped = (attr: string) => new RegExp(`(ModuleList|ModuleDict|Sequential|ParameterList|ParameterDict)\\(\\s*\\*?\\s*self\\.${attr}\\b`).test(classText);
      for (const m of facts.methodsOf(cls)) {
        const lc: LexicalContext = { noGrad: false, gradientTape: false, tfFunction: false, compiled: false, fn: m, cls };
        walkScope(m.body, (n) => {
          if (n.t !== 'Assign' || n.targets.length !== 1) return;
          const t = n.targets[0];
          if (t.t !== 'Attr' || t.obj.t !== 'Name' || t.obj.id !== 'self') return;
          // (The wrapper search scans the class text: done only for a candidate.)
          const ek = elementKind(n.value, facts, lc);
          if (ek) {
            if (wrapped(t.attr)) return;
            const wrapper = ek.kind === 'param' ? (ek.dict ? 'ParameterDict' : 'ParameterList') : ek.dict ? 'ModuleDict' : 'ModuleList';
            const inner = facts.textOf(n.value);
            ctx.report({
              node: n,
              message: `self.${t.attr} holds ${ek.kind === 'param' ? 'parameters' : 'layers'} in a plain ${ek.dict ? 'dict' : 'list'}: they are not registered (not trained, not moved by .to(), not saved). Use nn.${wrapper}.`,
              fix: nn ? { title: `Wrap in nn.${wrapper}`, edits: [{ range: ctx.rangeOf(n.value), newText: `${nn}.${wrapper}(${n.value.t === 'Comp' && n.value.kind === 'list' ? inner : inner})` }] } : undefined,
            });
            return;
          }
          // self.x = blocks, where the local `blocks` is a list of layers (literal, comprehension,
          // or [] filled with blocks.append(<layer>) in this method) not also handed to a container.
          if (n.value.t === 'Name') {
            const local = n.value.id;
            const b = facts.soleBinding(local, m);
            if (!b || b.how !== 'assign' || !b.value || b.stmt.line >= n.line) return;
            let kind = elementKind(b.value, facts, lc)?.kind;
            const dict = b.value.t === 'Dict' || (b.value.t === 'Comp' && b.value.kind === 'dict');
            if (!kind && b.value.t === 'List' && b.value.elts.length === 0) kind = appendedKind(m, lc, (x) => x.t === 'Name' && x.id === local);
            if (!kind) return;
            const methodText = facts.textOf(m);
            if (wrapped(t.attr) || new RegExp(`(ModuleList|ModuleDict|Sequential|ParameterList|ParameterDict)\\(\\s*\\*?\\s*${local}\\b`).test(methodText)) return;
            const wrapper = kind === 'param' ? (dict ? 'ParameterDict' : 'ParameterList') : dict ? 'ModuleDict' : 'ModuleList';
            ctx.report({
              node: n,
              message: `self.${t.attr} is the plain ${dict ? 'dict' : 'list'} '${local}' of ${kind === 'param' ? 'parameters' : 'layers'} (line ${b.stmt.line + 1}): they are not registered (not trained, not moved by .to(), not saved). Use nn.${wrapper}(${local}).`,
              fix: nn ? { title: `Wrap in nn.${wrapper}`, edits: [{ range: ctx.rangeOf(n.value), newText: `${nn}.${wrapper}(${local})` }] } : undefined,
            });
            return;
          }
          // self.x = {} then self.x[key] = <layer> (in any method)
          if (n.value.t === 'Dict' && n.value.keys.length === 0) {
            if (wrapped(t.attr)) return;
            let stored: 'module' | 'param' | undefined;
            for (const m2 of facts.methodsOf(cls)) {
              const lc2 = { ...lc, fn: m2 };
              walkScope(m2.body, (x) => {
                if (x.t !== 'Assign' || x.targets.length !== 1) return;
                const tg = x.targets[0];
                if (tg.t !== 'Subscript' || tg.obj.t !== 'Attr' || tg.obj.attr !== t.attr || tg.obj.obj.t !== 'Name' || tg.obj.obj.id !== 'self') return;
                stored ??= isModuleCall(x.value, facts, lc2);
              }, ['Assign']);
            }
            if (!stored) return;
            const wrapper = stored === 'param' ? 'ParameterDict' : 'ModuleDict';
            ctx.report({
              node: n,
              message: `self.${t.attr} is a plain dict filled with ${stored === 'param' ? 'parameters' : 'layers'}: they are not registered (not trained, not moved by .to(), not saved). Use nn.${wrapper}().`,
              fix: nn ? { title: `Use nn.${wrapper}()`, edits: [{ range: ctx.rangeOf(n.value), newText: `${nn}.${wrapper}()` }] } : undefined,
            });
            return;
          }
          // self.x = [] then self.x.append(<layer>)
          if (n.value.t === 'List' && n.value.elts.length === 0) {
            if (wrapped(t.attr)) return;
            let appended: 'module' | 'param' | undefined;
            const isSelfAttr = (x: Node) => x.t === 'Attr' && x.attr === t.attr && x.obj.t === 'Name' && x.obj.id === 'self';
            for (const m2 of facts.methodsOf(cls)) appended ??= appendedKind(m2, { ...lc, fn: m2 }, isSelfAttr);
            if (!appended) return;
            const wrapper = appended === 'param' ? 'ParameterList' : 'ModuleList';
            ctx.report({
              node: n,
              message: `self.${t.attr} is a plain list filled with ${appended === 'param' ? 'parameters' : 'layers'}: they are not registered (not trained, not moved by .to(), not saved). Use nn.${wrapper}().`,
              fix: nn ? { title: `Use nn.${wrapper}()`, edits: [{ range: ctx.rangeOf(n.value), newText: `${nn}.${wrapper}()` }] } : undefined,
            });
          }
        }, ['Assign']);
      }
    }
  },
};
