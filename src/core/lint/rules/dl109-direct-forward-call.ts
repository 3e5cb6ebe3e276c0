// DL109: `self.block.forward(x)` bypasses Module.__call__, so forward hooks (profilers,
// quantisation, pruning, DDP/FSDP) silently do not run.

import type { ClassDef, LintFacts } from '../facts';
import type { Rule } from '../types';

export const dl109: Rule = {
  meta: {
    code: 'DL109',
    name: 'direct-forward-call',
    frameworks: ['pytorch'],
    severity: 'warning',
    fix: 'yes',
    needs: ['forward'],
    scoped: true,
    docs: 'Calling `module.forward(x)` bypasses `Module.__call__`, so registered forward / pre-forward hooks (used by profilers, quantisation, pruning, DDP/FSDP) do not run. Call the module: `module(x)`. Fires when the receiver is proved a module (a name bound to an `nn` layer or a module class of this file) or is a `self.*` attribute inside a torch module class. `super().forward(...)`, `Base.forward(self, ...)` and a `self.*` attribute only ever set to an instance of a plain class of this file (no base but `object` or another such class) are allowed. The fix removes `.forward`.',
  },
  check(ctx) {
    const facts = ctx.facts;
    ctx.walk((n, anc) => {
      if (n.t !== 'Call' || n.fn.t !== 'Attr' || n.fn.attr !== 'forward') return;
      const recv = n.fn.obj;
      if (recv.t === 'Call' && recv.fn.t === 'Name' && recv.fn.id === 'super') return;
      if (recv.t === 'Name' && (recv.id === 'self' || facts.classNamed(recv.id) || facts.imports.has(recv.id))) return;
      if (facts.qualifiedName(recv)) return;
      const lc = facts.contextAt(anc);
      if (lc.fn && (lc.fn.name === '__call__' || lc.fn.name === 'forward' && recv.t === 'Name' && recv.id === 'self')) return;
      const k = facts.kindOf(recv, lc);
      let severity: 'warning' | undefined;
      if (k.kind === 'Module') severity = 'warning';
      // An attribute of self in a torch module class is a submodule (the catalogue: a warning, whatever it was built from).
      else if (k.kind === 'Unknown' && recv.t === 'Attr' && recv.obj.t === 'Name' && recv.obj.id === 'self' && facts.isTorchModuleClass(lc.cls) && !plainAttr(facts, lc.cls!, recv.attr)) severity = 'warning';
      if (!severity) return;
      const fn = n.fn;
      ctx.report({
        node: n.fn,
        severity,
        message: `'${facts.textOf(recv)}.forward(...)' skips the module's hooks; call '${facts.textOf(recv)}(...)' instead.`,
        fix: { title: 'Call the module instead of forward', edits: [{ range: { line: recv.endLine, character: recv.endCol, endLine: fn.attrPos.endLine, endCharacter: fn.attrPos.endCol }, newText: '' }] },
      });
    }, ['Call']);
  },
};

/** `self.<attr>` is only ever set to instances of plain classes of this file (receivers known not to be modules). */
function plainAttr(facts: LintFacts, cls: ClassDef, attr: string): boolean {
  const values = facts.selfAttrValues(cls, attr);
  return !!values && values.every((v) => {
    if (v.t !== 'Call' || v.fn.t !== 'Name') return false;
    const c = facts.classNamed(v.fn.id);
    return !!c && facts.isPlainClass(c);
  });
}
