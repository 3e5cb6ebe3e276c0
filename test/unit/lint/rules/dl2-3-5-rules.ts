// The DL2xx / DL3xx / DL5xx rules, for the corpus and good-fixture tests.
import type { Rule } from '../../../../src/core/lint/types';
import { dl201 } from '../../../../src/core/lint/rules/dl201-logits-flag-mismatch';
import { dl202 } from '../../../../src/core/lint/rules/dl202-label-encoding-loss-mismatch';
import { dl203 } from '../../../../src/core/lint/rules/dl203-softmax-single-unit';
import { dl204 } from '../../../../src/core/lint/rules/dl204-binary-ce-on-softmax-multiclass';
import { dl205 } from '../../../../src/core/lint/rules/dl205-input-shape-misplaced';
import { dl206 } from '../../../../src/core/lint/rules/dl206-fit-before-compile';
import { dl207 } from '../../../../src/core/lint/rules/dl207-training-flag-custom-loop';
import { dl208 } from '../../../../src/core/lint/rules/dl208-mixed-keras-imports';
import { dl209 } from '../../../../src/core/lint/rules/dl209-deprecated-keras-args';
import { dl210 } from '../../../../src/core/lint/rules/dl210-mixed-precision-output-dtype';
import { dl211 } from '../../../../src/core/lint/rules/dl211-batchnorm-momentum-convention';
import { dl301 } from '../../../../src/core/lint/rules/dl301-tf1-api-in-tf2';
import { dl302 } from '../../../../src/core/lint/rules/dl302-tf-function-retracing';
import { dl303 } from '../../../../src/core/lint/rules/dl303-tf-function-python-state';
import { dl304 } from '../../../../src/core/lint/rules/dl304-numpy-in-traced-code';
import { dl305 } from '../../../../src/core/lint/rules/dl305-variable-in-tf-function';
import { dl306 } from '../../../../src/core/lint/rules/dl306-loss-outside-gradient-tape';
import { dl307 } from '../../../../src/core/lint/rules/dl307-non-persistent-tape-reuse';
import { dl308 } from '../../../../src/core/lint/rules/dl308-dataset-shuffle-after-batch';
import { dl309 } from '../../../../src/core/lint/rules/dl309-dataset-cache-after-random-map';
import { dl501 } from '../../../../src/core/lint/rules/dl501-unsafe-torch-load';
import { dl502 } from '../../../../src/core/lint/rules/dl502-unsafe-model-deserialization';
import { dl503 } from '../../../../src/core/lint/rules/dl503-missing-global-seed';
import { dl504 } from '../../../../src/core/lint/rules/dl504-dataloader-worker-seeding';
import { dl505 } from '../../../../src/core/lint/rules/dl505-nondeterministic-algorithms';
import { dl506 } from '../../../../src/core/lint/rules/dl506-hardcoded-cuda-device';
import { dl507 } from '../../../../src/core/lint/rules/dl507-predict-in-loop';

export const RULES_2_3_5: Rule[] = [
  dl201, dl202, dl203, dl204, dl205, dl206, dl207, dl208, dl209, dl210, dl211,
  dl301, dl302, dl303, dl304, dl305, dl306, dl307, dl308, dl309,
  dl501, dl502, dl503, dl504, dl505, dl506, dl507,
];
