// Keras default layer names. Keras 3 (`keras/src/utils/naming.py`) snake-cases the class
// name and uniquifies it with a global per-prefix counter: `dense`, `dense_1`, ... The
// tf.keras of TensorFlow 2 (`legacy`) splits words before a capital followed by digits too
// (`(.)([A-Z][a-z0-9]+)`: ConvLSTM2D -> conv_lst_m2d, Keras 3's conv_lstm2d).

/** The naming base Keras derives from a class name: Conv2D -> conv2d, PReLU -> p_re_lu. */
export function kerasAutoName(className: string, legacy = false): string {
  let name = className.replace(/\W+/g, '');
  name = name.replace(legacy ? /(.)([A-Z][a-z0-9]+)/g : /(.)([A-Z][a-z]+)/g, '$1_$2');
  name = name.replace(/([a-z])([A-Z])/g, '$1_$2');
  return name.toLowerCase();
}

/** Per-prefix counter reproducing Keras' `uniquify`: first `prefix`, then `prefix_1`, `prefix_2`... */
export class KerasNameCounter {
  private readonly uids = new Map<string, number>();
  /** The file uses TensorFlow 2's tf.keras (and no standalone keras): its naming rules. */
  legacy = false;

  /** The next unique name for a class (auto-naming). */
  next(className: string): string {
    return this.uniquify(kerasAutoName(className, this.legacy));
  }

  uniquify(prefix: string): string {
    const n = this.uids.get(prefix) ?? 0;
    this.uids.set(prefix, n + 1);
    return n === 0 ? prefix : `${prefix}_${n}`;
  }
}
