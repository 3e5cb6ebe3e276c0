// Library architectures written as Python stubs (torchvision.models, keras.applications,
// timm) and the standard-library modules model scripts read their settings from (argparse), by dotted module path. Each stub is parsed once per process and run only when a
// file imports it (src/core/eval/modules.ts). Listed explicitly, as every registry here.

import type { StubModule } from '../../eval/modules';
import { EINOPS } from './einops/index';
import { KERAS_APPLICATIONS_STUBS } from './keras/index';
import { KERAS_HUB_LAYERS } from './keras_hub/index';
import { TFA_LAYERS } from './tensorflow_addons/index';
import { TFMOT_SPARSITY } from './tfmot/index';
import { LIGHTNING } from './lightning/index';
import { ARGPARSE } from './stdlib/argparse';
import { OS_STUB, TYPES_STUB } from './stdlib/config';
import { TIMM_STUBS } from './timm/index';
import { TORCHAUDIO, TORCHAUDIO_TRANSFORMS } from './torchaudio/index';
import { TORCHVISION_DETECTION } from './torchvision/detection';
import { TORCHVISION_MODELS } from './torchvision/index';
import { TORCHVISION_QUANTIZATION } from './torchvision/quantization';
import { TORCHVISION_SEGMENTATION } from './torchvision/segmentation';
import { TORCHVISION_FEATURE_EXTRACTION } from './torchvision/feature_extraction';
import { TORCHVISION_TRANSFORMS } from './torchvision/transforms';
import { TORCHVISION_VIDEO } from './torchvision/video';

const STUBS: StubModule[] = [...KERAS_APPLICATIONS_STUBS, KERAS_HUB_LAYERS, TFA_LAYERS, TFMOT_SPARSITY, TORCHVISION_MODELS, TORCHVISION_DETECTION, TORCHVISION_SEGMENTATION, TORCHVISION_FEATURE_EXTRACTION, TORCHVISION_VIDEO, TORCHVISION_TRANSFORMS, TORCHVISION_QUANTIZATION, ...TIMM_STUBS, EINOPS, LIGHTNING, TORCHAUDIO, TORCHAUDIO_TRANSFORMS, ARGPARSE, OS_STUB, TYPES_STUB];

export const LIBRARY_STUBS: ReadonlyMap<string, StubModule> = new Map(
  STUBS.flatMap((s) => [s.module, ...(s.aliases ?? [])].map((name) => [name, s] as const)),
);
