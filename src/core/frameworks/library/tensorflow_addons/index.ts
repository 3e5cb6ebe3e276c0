// tensorflow_addons.layers (TensorFlow Addons, tf.keras 2) as a Python stub over keras.layers,
// written for TensorLens after the published TFA definitions (tensorflow_addons/layers/*.py), for
// the layers model code uses most whose weights and shapes are known exactly:
// - GroupNormalization(groups=32, axis=-1, ...): gamma / beta over the `axis` channels, as Keras';
//   InstanceNormalization is GroupNormalization with groups=-1 (one group per channel).
// - AdaptiveAverage/MaxPooling1D/2D/3D(output_size, data_format): Keras' adaptive pooling.
// - SpectralNormalization(layer): the wrapped layer's weights + a non-trainable u of (1, out).
// - Maxout(num_units, axis=-1): the max over groups of channels, no weights.
// - GELU, StochasticDepth([shortcut, residual]): no weights, shape kept.
// WeightNormalization is left out: its data-init clone of the wrapped layer makes the count
// depend on TFA's version. A class not defined here is an unmodelled layer (module __getattr__).

import type { StubModule } from '../../../eval/modules';
import { KERAS_LAYER_STUB_PRELUDE } from '../keras/layer-stub-prelude';

const SOURCE = `${KERAS_LAYER_STUB_PRELUDE}

class GroupNormalization(keras.layers.GroupNormalization):
    pass


class InstanceNormalization(keras.layers.GroupNormalization):
    def __init__(self, **kwargs):
        kwargs["groups"] = -1
        super().__init__(**kwargs)


class AdaptiveAveragePooling1D(keras.layers.AdaptiveAveragePooling1D):
    pass


class AdaptiveAveragePooling2D(keras.layers.AdaptiveAveragePooling2D):
    pass


class AdaptiveAveragePooling3D(keras.layers.AdaptiveAveragePooling3D):
    pass


class AdaptiveMaxPooling1D(keras.layers.AdaptiveMaxPooling1D):
    pass


class AdaptiveMaxPooling2D(keras.layers.AdaptiveMaxPooling2D):
    pass


class AdaptiveMaxPooling3D(keras.layers.AdaptiveMaxPooling3D):
    pass


class SpectralNormalization(keras.layers.SpectralNormalization):
    pass


class Maxout(keras.layers.Layer):
    def __init__(self, num_units, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.num_units = num_units
        self.axis = axis

    def call(self, inputs):
        shape = list(inputs.shape)
        num_channels = shape[self.axis]
        if num_channels % self.num_units:
            raise ValueError(f"number of features({num_channels}) is not a multiple of num_units({self.num_units})")
        axis = self.axis if self.axis >= 0 else len(shape) + self.axis
        grouped = shape[1:axis] + [self.num_units, num_channels // self.num_units] + shape[axis + 1:]
        return ops.max(ops.reshape(inputs, [-1] + grouped), axis=axis + 1)


class GELU(keras.layers.Layer):
    def __init__(self, approximate=True, **kwargs):
        super().__init__(**kwargs)
        self.approximate = approximate

    def call(self, inputs):
        return keras.activations.gelu(inputs, approximate=self.approximate)


class StochasticDepth(keras.layers.Layer):
    def __init__(self, survival_probability=0.5, **kwargs):
        super().__init__(**kwargs)
        self.survival_probability = survival_probability

    def call(self, x, training=None):
        shortcut, residual = x
        return shortcut + residual
`;

/** tensorflow_addons.layers (`import tensorflow_addons as tfa; tfa.layers.InstanceNormalization()`). */
export const TFA_LAYERS: StubModule = {
  module: 'tensorflow_addons.layers',
  source: SOURCE,
};
