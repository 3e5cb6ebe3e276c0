// Which of some methods a user class defines itself on top of a framework class: a Keras layer
// subclass with its own call() / build(), a torch layer or nn.Sequential subclass with its own
// forward(). The mappings translate the built-in part only, so such a class needs a TODO.

import type { ClassV } from '../eval/values';

/**
 * The methods of `names` that `cls` or a base class below the framework's defines in Python
 * (a function, not a builtin), in the order of `names`. A built-in layer class (it has a spec)
 * ends the walk: what lies above it is the framework's.
 */
export function userMethods(cls: ClassV, names: readonly string[]): string[] {
  const found = new Set<string>();
  const seen = new Set<ClassV>();
  const walk = (c: ClassV): void => {
    if (seen.has(c) || c.spec) return;
    seen.add(c);
    for (const m of names) if (c.attrs.get(m)?.k === 'func') found.add(m);
    c.bases.forEach(walk);
  };
  walk(cls);
  return names.filter((m) => found.has(m));
}
