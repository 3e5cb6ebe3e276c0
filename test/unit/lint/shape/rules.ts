// The twelve DL4xx rules, for tests that run them all.

import { dl401 } from '../../../../src/core/lint/rules/dl401-dense-in-features-mismatch';
import { dl402 } from '../../../../src/core/lint/rules/dl402-channel-count-mismatch';
import { dl403 } from '../../../../src/core/lint/rules/dl403-missing-flatten-before-dense';
import { dl404 } from '../../../../src/core/lint/rules/dl404-flatten-size-mismatch';
import { dl405 } from '../../../../src/core/lint/rules/dl405-spatial-dim-collapse';
import { dl406 } from '../../../../src/core/lint/rules/dl406-layer-rank-mismatch';
import { dl407 } from '../../../../src/core/lint/rules/dl407-rnn-output-tuple-not-unpacked';
import { dl408 } from '../../../../src/core/lint/rules/dl408-stacked-rnn-missing-return-sequences';
import { dl409 } from '../../../../src/core/lint/rules/dl409-attention-heads-not-divisible';
import { dl410 } from '../../../../src/core/lint/rules/dl410-loss-target-shape-broadcast';
import { dl411 } from '../../../../src/core/lint/rules/dl411-output-units-class-count-mismatch';
import { dl412 } from '../../../../src/core/lint/rules/dl412-channels-order-suspect';

export const SHAPE_RULES = [dl401, dl402, dl403, dl404, dl405, dl406, dl407, dl408, dl409, dl410, dl411, dl412];
