// keras.applications as one Python stub module, reachable under its submodule aliases
// (`keras.applications.resnet50`, `keras.applications.mobilenet_v2`, ...; `tf.keras` and
// `tensorflow.keras` spellings are canonicalised to `keras` by the interpreter).

import type { StubModule } from '../../../eval/modules';
import { KERAS_APPLICATIONS } from './applications';

export const KERAS_APPLICATIONS_STUB: StubModule = {
  module: 'keras.applications',
  source: KERAS_APPLICATIONS,
  aliases: [
    'keras.applications.vgg16', 'keras.applications.vgg19', 'keras.applications.resnet', 'keras.applications.resnet50',
    'keras.applications.resnet_v2', 'keras.applications.mobilenet', 'keras.applications.mobilenet_v2',
    'keras.applications.densenet', 'keras.applications.efficientnet',
  ],
};
