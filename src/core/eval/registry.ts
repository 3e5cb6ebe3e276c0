// The qualified-name registry (`torch.nn.Conv2d`, `keras.layers.Dense`, `tf.matmul` ...).
// Each analysis gets fresh runtimes, and a registry of several hundred classes and op
// builtins built eagerly for every analysis costs more than most files' evaluation: most
// entries are therefore defined once per process as factories over the runtime, and a
// value is made the first time an analysis looks it up (then kept for that analysis).

import type { Value } from './values';

/** Read access to qualified names, as the interpreter uses it. */
export interface RegistryView {
  get(path: string): Value | undefined;
  /** Every known name (values are made on `get`); for `from x import *`. */
  names(): Iterable<string>;
}

/** Factories shared by every runtime of one kind, keyed by qualified name. */
export type RegistryFactories<R> = ReadonlyMap<string, (runtime: R) => Value>;

/** One runtime's registry: eagerly set values over the shared lazy factories. */
export class Registry<R = unknown> implements RegistryView {
  private readonly values = new Map<string, Value>();

  constructor(
    private readonly runtime: R,
    private readonly factories: RegistryFactories<R>,
  ) {}

  set(path: string, v: Value): this {
    this.values.set(path, v);
    return this;
  }

  get(path: string): Value | undefined {
    const v = this.values.get(path);
    if (v !== undefined) return v;
    const make = this.factories.get(path);
    if (!make) return undefined;
    const made = make(this.runtime);
    this.values.set(path, made);
    return made;
  }

  names(): string[] {
    const ks = new Set(this.values.keys());
    for (const k of this.factories.keys()) ks.add(k);
    return [...ks];
  }
}

/** Several registries looked up in order (the first that knows a name wins). */
export class ChainRegistry implements RegistryView {
  constructor(private readonly parts: readonly RegistryView[]) {}

  get(path: string): Value | undefined {
    for (const p of this.parts) {
      const v = p.get(path);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  names(): string[] {
    const ks = new Set<string>();
    for (const p of this.parts) for (const k of p.names()) ks.add(k);
    return [...ks];
  }
}
