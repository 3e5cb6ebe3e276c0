// The translation contract shared by the emitters, the CLI and the editor: a target
// framework, the generated code, and one note per semantic difference (with the source
// line it comes from, and the exact parameter-count difference when there is one).

export type Target = 'pytorch' | 'keras' | 'tf-keras';

export interface TranslationNote {
  /** 1-based line in the source file (0 when the note is about the whole model). */
  line: number;
  message: string;
  /** Parameters the target has more (positive) or fewer (negative) than the source, inherent to the frameworks. */
  paramDelta?: number;
}

/** How to feed and check the translated model (for tests and the editor's "how to call it"). */
export interface TranslationMeta {
  /** The Python name the generated code binds the model to. */
  modelVar: string;
  /** Example inputs in the target's layout; batch dim 1. */
  inputs: Array<{ name: string; shape: number[]; dtype: 'float32' | 'int64' | 'int32'; high?: number }>;
  /** Sum of the notes' paramDelta: target trainable params − source trainable params. */
  paramDelta: number;
  /** The output shape in the target's layout (batch 1), when known. */
  outputShape?: Array<number | null>;
  /** Keras -> PyTorch: the model's final activation was left out because the translated loss takes logits. */
  finalActivationDropped?: 'softmax' | 'sigmoid';
  /** The translated training code, when the source had some: the loss kind decides which targets to feed it. */
  training?: { loss: 'cross_entropy' | 'categorical' | 'nll' | 'bce_logits' | 'bce' | 'mse' | 'mae' | 'huber'; entry: string };
}

export interface TranslationResult {
  code: string;
  notes: TranslationNote[];
  meta?: TranslationMeta;
}
