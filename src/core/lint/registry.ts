// Every lint rule, listed explicitly and sorted by code (no directory scanning). A rule
// code is never reused; tests check that RULES, docs/rules.md and the package.json
// settings schema agree. Rule authors add their import and their entry here.

import type { Rule } from './types';
import { dl101 } from './rules/dl101-softmax-before-cross-entropy';
import { dl102 } from './rules/dl102-log-probability-input-misuse';
import { dl103 } from './rules/dl103-bce-logits-mismatch';
import { dl104 } from './rules/dl104-missing-zero-grad';
import { dl105 } from './rules/dl105-loss-accumulated-with-graph';
import { dl106 } from './rules/dl106-train-eval-mode-toggling';
import { dl107 } from './rules/dl107-eval-without-no-grad';
import { dl108 } from './rules/dl108-method-reference-not-called';
import { dl109 } from './rules/dl109-direct-forward-call';
import { dl110 } from './rules/dl110-submodules-in-plain-container';
import { dl111 } from './rules/dl111-missing-super-init';
import { dl112 } from './rules/dl112-layer-created-in-forward';
import { dl113 } from './rules/dl113-functional-dropout-training-flag';
import { dl114 } from './rules/dl114-inplace-on-leaf-tensor';
import { dl115 } from './rules/dl115-view-on-non-contiguous';
import { dl116 } from './rules/dl116-non-inplace-result-discarded';
import { dl117 } from './rules/dl117-backward-under-no-grad';
import { dl118 } from './rules/dl118-requires-grad-typo';
import { dl119 } from './rules/dl119-deprecated-torch-api';
import { dl120 } from './rules/dl120-amp-fp16-without-grad-scaler';
import { dl121 } from './rules/dl121-torch-compile-pitfalls';
import { dl201 } from './rules/dl201-logits-flag-mismatch';
import { dl202 } from './rules/dl202-label-encoding-loss-mismatch';
import { dl203 } from './rules/dl203-softmax-single-unit';
import { dl204 } from './rules/dl204-binary-ce-on-softmax-multiclass';
import { dl205 } from './rules/dl205-input-shape-misplaced';
import { dl206 } from './rules/dl206-fit-before-compile';
import { dl207 } from './rules/dl207-training-flag-custom-loop';
import { dl208 } from './rules/dl208-mixed-keras-imports';
import { dl209 } from './rules/dl209-deprecated-keras-args';
import { dl210 } from './rules/dl210-mixed-precision-output-dtype';
import { dl211 } from './rules/dl211-batchnorm-momentum-convention';
import { dl301 } from './rules/dl301-tf1-api-in-tf2';
import { dl302 } from './rules/dl302-tf-function-retracing';
import { dl303 } from './rules/dl303-tf-function-python-state';
import { dl304 } from './rules/dl304-numpy-in-traced-code';
import { dl305 } from './rules/dl305-variable-in-tf-function';
import { dl306 } from './rules/dl306-loss-outside-gradient-tape';
import { dl307 } from './rules/dl307-non-persistent-tape-reuse';
import { dl308 } from './rules/dl308-dataset-shuffle-after-batch';
import { dl309 } from './rules/dl309-dataset-cache-after-random-map';
import { dl401 } from './rules/dl401-dense-in-features-mismatch';
import { dl402 } from './rules/dl402-channel-count-mismatch';
import { dl403 } from './rules/dl403-missing-flatten-before-dense';
import { dl404 } from './rules/dl404-flatten-size-mismatch';
import { dl405 } from './rules/dl405-spatial-dim-collapse';
import { dl406 } from './rules/dl406-layer-rank-mismatch';
import { dl407 } from './rules/dl407-rnn-output-tuple-not-unpacked';
import { dl408 } from './rules/dl408-stacked-rnn-missing-return-sequences';
import { dl409 } from './rules/dl409-attention-heads-not-divisible';
import { dl410 } from './rules/dl410-loss-target-shape-broadcast';
import { dl411 } from './rules/dl411-output-units-class-count-mismatch';
import { dl412 } from './rules/dl412-channels-order-suspect';
import { dl501 } from './rules/dl501-unsafe-torch-load';
import { dl502 } from './rules/dl502-unsafe-model-deserialization';
import { dl503 } from './rules/dl503-missing-global-seed';
import { dl504 } from './rules/dl504-dataloader-worker-seeding';
import { dl505 } from './rules/dl505-nondeterministic-algorithms';
import { dl506 } from './rules/dl506-hardcoded-cuda-device';
import { dl507 } from './rules/dl507-predict-in-loop';

export const RULES: readonly Rule[] = [
  dl101, dl102, dl103, dl104, dl105, dl106, dl107, dl108, dl109, dl110, dl111,
  dl112, dl113, dl114, dl115, dl116, dl117, dl118, dl119, dl120, dl121,
  dl201, dl202, dl203, dl204, dl205, dl206, dl207, dl208, dl209, dl210, dl211,
  dl301, dl302, dl303, dl304, dl305, dl306, dl307, dl308, dl309,
  dl401, dl402, dl403, dl404, dl405, dl406, dl407, dl408, dl409, dl410, dl411, dl412,
  dl501, dl502, dl503, dl504, dl505, dl506, dl507,
];

/** Catalogue entries (pitfalls.md) deliberately left out, with the reason; listed in docs/rules.md. */
export const NOT_IMPLEMENTED: ReadonlyArray<{ code: string; name: string; reason: string }> = [];

export function ruleByCode(code: string): Rule | undefined {
  return RULES.find((r) => r.meta.code === code);
}
