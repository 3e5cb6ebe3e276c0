// Keras default layer names. Keras 3 (`keras/src/utils/naming.py`) snake-cases the class
// name and uniquifies it with a global per-prefix counter: `dense`, `dense_1`, ...

/** The naming base Keras derives from a class name: Conv2D -> conv2d, PReLU -> p_re_lu. */
export function kerasAutoName(className: string): string {
  let name = className.replace(/\W+/g, '');
  name = name.replace(/(.)([A-Z][a-z]+)/g, '$1_$2');
  name = name.replace(/([a-z])([A-Z])/g, '$1_$2');
  return name.toLowerCase();
}

/** Per-prefix counter reproducing Keras' `uniquify`: first `prefix`, then `prefix_1`, `prefix_2`... */
export class KerasNameCounter {
  private readonly uids = new Map<string, number>();

  /** The next unique name for a class (auto-naming). */
  next(className: string): string {
    return this.uniquify(kerasAutoName(className));
  }

  uniquify(prefix: string): string {
    const n = this.uids.get(prefix) ?? 0;
    this.uids.set(prefix, n + 1);
    return n === 0 ? prefix : `${prefix}_${n}`;
  }
}
