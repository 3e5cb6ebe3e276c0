// DL109: `self.block.forward(x)` bypasses Module.__call__, so forward hooks (profilers,
// quantisation, pruning, DDP/FSDP) silently do not run.

import type { Binding, ClassDef, FunctionDef, LintFacts } from '../facts';
import type { Node } from '../../python/ast';
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
    docs: 'Calling `module.forward(x)` bypasses `Module.__call__`, so registered forward / pre-forward hooks (used by profilers, quantisation, pruning, DDP/FSDP) do not run. Call the module: `module(x)`. Fires when the receiver is proved a module (a name bound to an `nn` layer or a module class of this file) or is a `self.*` attribute inside a torch module class (also an element `self.blocks[i]` of an `nn.ModuleList` / `nn.Sequential` / `nn.ModuleDict` attribute, and the `.module` of a `DataParallel` / `DistributedDataParallel` wrapper), or a submodule attribute `net.encoder` of an instance of a module class of this file. `super().forward(...)`, `Base.forward(self, ...)` and a `self.*` attribute only ever set to an instance of a plain class of this file (no base but `object` or another such class) are allowed. The fix removes `.forward`.',
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
      // `for layer in self.layers: layer.forward(x)` over an nn.ModuleList / nn.Sequential / ModuleDict.values().
      else if (k.kind === 'Unknown' && recv.t === 'Name' && lc.cls && facts.isTorchModuleClass(lc.cls) && iteratesSubmodules(facts, lc.cls, recv.id, facts.soleBinding(recv.id, lc.fn))) severity = 'warning';
      // `self.blocks[i].forward(x)`: an element of a module container attribute.
      else if (k.kind === 'Unknown' && recv.t === 'Subscript' && recv.obj.t === 'Attr' && recv.obj.obj.t === 'Name' && recv.obj.obj.id === 'self' && facts.isTorchModuleClass(lc.cls) && containerAttr(facts, lc.cls!, recv.obj.attr)) severity = 'warning';
      // `model.module.forward(x)`: the module a DataParallel / DistributedDataParallel wrapper holds.
      else if (k.kind === 'Unknown' && (isWrapper(facts, recv, lc.fn) || (recv.t === 'Attr' && recv.attr === 'module' && isWrapper(facts, recv.obj, lc.fn)))) severity = 'warning';
      // `net.encoder.forward(x)`: a submodule attribute of a module-class instance of this file.
      else if (k.kind === 'Unknown' && recv.t === 'Attr' && submoduleOfInstance(facts, recv, lc)) severity = 'warning';
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

/**
 * `x.<attr>` where `x` is a Module value bound once to an instance of a torch module class of
 * this file, and that class only ever sets `self.<attr>` to torch.nn layers or instances of
 * torch module classes of this file: the attribute is a submodule.
 */
function submoduleOfInstance(facts: LintFacts, recv: Extract<Node, { t: 'Attr' }>, lc: ReturnType<LintFacts['contextAt']>): boolean {
  const obj = recv.obj;
  if (obj.t !== 'Name' || facts.kindOf(obj, lc).kind !== 'Module') return false;
  const b = lc.fn && facts.bindingsOf(lc.fn).has(obj.id) ? facts.soleBinding(obj.id, lc.fn) : facts.soleBinding(obj.id, undefined);
  const v = b?.how === 'assign' ? b.value : undefined;
  if (!v || v.t !== 'Call' || v.fn.t !== 'Name') return false;
  const cls = facts.classNamed(v.fn.id);
  if (!cls || !facts.isTorchModuleClass(cls)) return false;
  const values = facts.selfAttrValues(cls, recv.attr);
  return !!values && values.length > 0 && values.every((x) => {
    if (x.t !== 'Call') return false;
    const q = facts.qualifiedName(x.fn);
    if (q) return q.startsWith('torch.nn.') && /^[A-Z]/.test(q.slice(q.lastIndexOf('.') + 1)) && !q.startsWith('torch.nn.Parameter');
    const c = x.fn.t === 'Name' ? facts.classNamed(x.fn.id) : undefined;
    return !!c && facts.isTorchModuleClass(c);
  });
}

/** `self.<attr>` is only ever set to instances of plain classes of this file (receivers known not to be modules). */
function plainAttr(facts: LintFacts, cls: ClassDef, attr: string): boolean {
  const values = facts.selfAttrValues(cls, attr);
  return !!values && values.every((v) => {
    if (v.t !== 'Call' || v.fn.t !== 'Name') return false;
    const c = facts.classNamed(v.fn.id);
    return !!c && facts.isPlainClass(c);
  });
}

const CONTAINERS = new Set(['torch.nn.ModuleList', 'torch.nn.Sequential']);
const WRAPPERS = new Set(['torch.nn.DataParallel', 'torch.nn.parallel.DataParallel', 'torch.nn.parallel.DistributedDataParallel', 'torch.nn.parallel.data_parallel.DataParallel', 'torch.nn.parallel.distributed.DistributedDataParallel']);

/** A name bound once (in the function, else at module level) to a DataParallel / DistributedDataParallel wrapper. */
function isWrapper(facts: LintFacts, n: Node, fn: FunctionDef | undefined): boolean {
  if (n.t !== 'Name') return false;
  const b = (fn && facts.bindingsOf(fn).has(n.id)) ? facts.soleBinding(n.id, fn) : facts.soleBinding(n.id, undefined);
  return !!b && b.how === 'assign' && b.value?.t === 'Call' && WRAPPERS.has(facts.qualifiedName(b.value.fn) ?? '');
}

/** `self.<attr>` is only ever set to an nn.ModuleList, nn.Sequential or nn.ModuleDict: indexing it gives a module. */
function containerAttr(facts: LintFacts, cls: ClassDef, attr: string): boolean {
  const values = facts.selfAttrValues(cls, attr);
  return !!values && values.length > 0 && values.every((v) => {
    if (v.t !== 'Call') return false;
    const q = facts.qualifiedName(v.fn);
    return !!q && (CONTAINERS.has(q) || q === 'torch.nn.ModuleDict');
  });
}

/**
 * A loop variable bound by `for m in self.<attr>` (also through `enumerate(...)`, `reversed(...)`,
 * or `self.<attr>.values()` for an `nn.ModuleDict`) where `self.<attr>` is only ever set to that
 * container: every element is a module.
 */
function iteratesSubmodules(facts: LintFacts, cls: ClassDef, name: string, b: Binding | undefined): boolean {
  if (!b || b.how !== 'for' || !b.iter || b.stmt.t !== 'For') return false;
  let it: Node = b.iter;
  if (it.t === 'Call' && it.fn.t === 'Name' && (it.fn.id === 'enumerate' || it.fn.id === 'reversed') && it.args[0]?.kind === 'pos') {
    // enumerate: only the second element of the target is the module.
    if (it.fn.id === 'enumerate') {
      const tgt = b.stmt.target;
      const second = tgt.t === 'Tuple' && tgt.elts.length === 2 ? tgt.elts[1] : undefined;
      if (!second || second.t !== 'Name' || second.id !== name) return false;
    }
    it = it.args[0].value;
  }
  let dict = false;
  if (it.t === 'Call' && it.fn.t === 'Attr' && it.fn.attr === 'values' && it.args.length === 0) {
    dict = true;
    it = it.fn.obj;
  }
  if (it.t !== 'Attr' || it.obj.t !== 'Name' || it.obj.id !== 'self') return false;
  const values = facts.selfAttrValues(cls, it.attr);
  return !!values && values.every((v) => {
    if (v.t !== 'Call') return false;
    const q = facts.qualifiedName(v.fn);
    return !!q && (dict ? q === 'torch.nn.ModuleDict' : CONTAINERS.has(q));
  });
}
