// keras.applications as Python stub modules: the main module (VGG, ResNet, MobileNet V1/V2,
// DenseNet, EfficientNet, reachable under their submodule aliases `keras.applications.resnet50`,
// `keras.applications.mobilenet_v2` ...) and one stub per later family, parsed only when a file
// uses it (`keras.applications.InceptionV3` forwards to `keras.applications.inception_v3`;
// `keras.applications.convnext.X` goes through the main module's `convnext` namespace).
// `tf.keras` and `tensorflow.keras` spellings are canonicalised to `keras` by the interpreter.

import type { StubModule } from '../../../eval/modules';
import { KERAS_APPLICATIONS, LAZY_SUBMODULES, OWN_SUBMODULES, PREPROCESS_MODE } from './applications';
import { KERAS_CONVNEXT } from './convnext';
import { KERAS_EFFICIENTNET_V2 } from './efficientnet_v2';
import { KERAS_INCEPTION_RESNET_V2 } from './inception_resnet_v2';
import { KERAS_INCEPTION_V3 } from './inception_v3';
import { KERAS_MOBILENET_V3 } from './mobilenet_v3';
import { KERAS_NASNET } from './nasnet';
import { KERAS_XCEPTION } from './xception';

export const KERAS_APPLICATIONS_STUB: StubModule = {
  module: 'keras.applications',
  source: KERAS_APPLICATIONS,
  aliases: Object.keys(OWN_SUBMODULES).filter((name) => !PREPROCESS_MODE[name]).map((name) => `keras.applications.${name}`),
};

/**
 * `keras.applications.vgg16`, `.resnet50`, `.mobilenet_v2`, `.densenet` ...: the main module's
 * names with the submodule's own `preprocess_input` (its imagenet_utils mode), so `from
 * keras.applications.mobilenet_v2 import preprocess_input` scales its input as Keras does.
 */
const PREPROCESS_ALIASES: StubModule[] = Object.keys(OWN_SUBMODULES)
  .filter((name) => PREPROCESS_MODE[name])
  .map((name) => ({
    module: `keras.applications.${name}`,
    source: `from keras.applications import *\nfrom keras.applications import _preprocess_${PREPROCESS_MODE[name]} as preprocess_input\n`,
  }));

/** `keras.applications.imagenet_utils`: its `preprocess_input(x, mode=...)`. */
const IMAGENET_UTILS: StubModule = {
  module: 'keras.applications.imagenet_utils',
  source: 'from keras.applications import _imagenet_preprocess as preprocess_input\n',
};

const SUBMODULE_SOURCES: Record<keyof typeof LAZY_SUBMODULES & string, string> = {
  inception_v3: KERAS_INCEPTION_V3,
  inception_resnet_v2: KERAS_INCEPTION_RESNET_V2,
  xception: KERAS_XCEPTION,
  mobilenet_v3: KERAS_MOBILENET_V3,
  convnext: KERAS_CONVNEXT,
  nasnet: KERAS_NASNET,
  efficientnet_v2: KERAS_EFFICIENTNET_V2,
};

/** `keras.applications.inception_v3`, `.inception_resnet_v2`, `.xception`, `.mobilenet_v3`, `.convnext`, `.nasnet`, `.efficientnet_v2`. */
export const KERAS_APPLICATION_SUBMODULES: StubModule[] = Object.keys(LAZY_SUBMODULES).map((name) => ({
  module: `keras.applications.${name}`,
  source: SUBMODULE_SOURCES[name as keyof typeof SUBMODULE_SOURCES],
}));

/** Every keras.applications stub module. */
export const KERAS_APPLICATIONS_STUBS: StubModule[] = [KERAS_APPLICATIONS_STUB, ...PREPROCESS_ALIASES, IMAGENET_UTILS, ...KERAS_APPLICATION_SUBMODULES];
