// Translation between PyTorch, Keras 3 and tf.keras: the typed API for the editor and
// the CLI. Models are translated from the IR (model instances, layer specs, bound
// arguments, propagated shapes); snippets go through the same machinery.

import type { DetailedAnalysis } from '../analyze';
import { translateKerasToTorch } from './from-keras';
import { translateTorchToKeras } from './from-torch';
import { translateTfModel } from './from-tf';
import { activationToDrop, detectKerasTraining, detectTorchTraining, kerasTrainingCode, torchTrainingCode } from './training';
import type { Target, TranslationNote, TranslationResult } from './types';

export type { Target, TranslationNote, TranslationResult, TranslationMeta } from './types';
export { ROSETTA, type RosettaTask } from './rosetta/index';

export const TARGETS: readonly Target[] = ['pytorch', 'keras', 'tf-keras'];

/** Translates the model `modelName` of an analysed file to `target`. Never throws on user code. */
/** `sourceText` (the analysed file) is used only where the translation keeps the source (Keras 3 <-> tf.keras). */
export function translateModel(detailed: DetailedAnalysis, modelName: string, target: Target, sourceText = ''): TranslationResult {
  const summary = detailed.analysis.models.find((m) => m.name === modelName);
  const inst = detailed.instances.get(modelName);
  if (!summary || !inst) {
    const names = detailed.analysis.models.map((m) => m.name).join(', ') || 'none';
    return { code: '', notes: [{ line: 0, message: `No model named '${modelName}' (models: ${names}).` }] };
  }
  try {
    if (summary.framework === 'pytorch') {
      if (target === 'pytorch') return { code: sourceText, notes: [{ line: summary.line, message: 'The model is already PyTorch; nothing to translate.' }] };
      return withTorchTraining(detailed, inst, translateTorchToKeras(detailed, summary, inst, target));
    }
    if (summary.framework === 'tensorflow') return translateTfModel(detailed, summary, inst, target);
    if (target === 'pytorch') {
      // The training code decides whether the model keeps its final softmax / sigmoid (torch losses take logits).
      const training = detectKerasTraining(detailed, inst);
      const r = translateKerasToTorch(detailed, summary, inst, { dropFinal: activationToDrop(training) });
      if (training && r.meta) {
        const code = torchTrainingCode(training, r.meta, r.notes).join('\n');
        const at = r.code.indexOf('\nif __name__ == "__main__":');
        r.code = at >= 0 ? `${r.code.slice(0, at)}${code}\n\n${r.code.slice(at)}` : `${r.code}${code}\n`;
      }
      return r;
    }
    return kerasDialect(sourceText, target);
  } catch (e) {
    return { code: '', notes: [{ line: summary.line, message: `Translation failed: ${(e as Error).message}` }] };
  }
}

/** A PyTorch training loop in the file becomes Keras compile + fit after the translated model. */
function withTorchTraining(detailed: DetailedAnalysis, inst: Parameters<typeof detectTorchTraining>[1], r: TranslationResult): TranslationResult {
  const training = detectTorchTraining(detailed, inst);
  if (!training || !r.meta) return r;
  r.code = `${r.code.trimEnd()}\n${kerasTrainingCode(training, r.meta.modelVar, r.notes).join('\n')}\n`;
  return r;
}

/** Keras 3 <-> tf.keras: the same API; only the imports change. */
function kerasDialect(text: string, target: Target): TranslationResult {
  const notes: TranslationNote[] = [];
  return { code: rewriteKerasImports(text, target, notes), notes };
}

/** Rewrites Keras imports between Keras 3 (`import keras`) and tf.keras (`from tensorflow import keras`). */
export function rewriteKerasImports(text: string, target: Target, notes: TranslationNote[]): string {
  const lines = text.split('\n');
  return lines
    .map((l, i) => {
      let r = l;
      if (target === 'tf-keras') {
        r = r.replace(/^(\s*)import keras\s*$/, '$1from tensorflow import keras')
          .replace(/^(\s*)from keras import /, '$1from tensorflow.keras import ')
          .replace(/^(\s*)from keras\.(\w+) import /, '$1from tensorflow.keras.$2 import ')
          .replace(/\bkeras\.ops\./g, 'tf.');
      } else {
        r = r.replace(/^(\s*)from tensorflow import keras\s*$/, '$1import keras')
          .replace(/^(\s*)from tensorflow\.keras import /, '$1from keras import ')
          .replace(/^(\s*)from tensorflow\.keras\.(\w+) import /, '$1from keras.$2 import ')
          .replace(/\btf\.keras\./g, 'keras.');
      }
      if (r !== l) notes.push({ line: i + 1, message: `import rewritten for ${target === 'tf-keras' ? 'tf.keras' : 'Keras 3'}` });
      return r;
    })
    .join('\n');
}

/** Best-effort translation of a selection: the machinery of translateModel on a snippet, via the caller's analysis. */
export { translateSnippet } from './snippet';
