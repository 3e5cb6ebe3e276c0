// keras.applications.convnext as a Python stub, written for TensorLens after the published
// Keras definition: layers named `convnext_tiny_stem` (a Sequential of `_stem_conv` and
// `_stem_layernorm`), `convnext_tiny_downsampling_block_0` ..., and per block
// `convnext_tiny_stage_0_block_0_depthwise_conv`, `_layernorm`, `_pointwise_conv_1`, `_gelu`,
// `_pointwise_conv_2`, `_layer_scale`, `_identity`. LayerScale (a learned per-channel gamma)
// and StochasticDepth (no weights) are Keras' own custom layers, written here as Layer
// subclasses so their weights are counted by add_weight like any user layer. Layer norms use
// epsilon 1e-6. Keras adds the residual with `inputs + layer(x)`; here it is an `Add` layer,
// which keeps the functional graph made of layers (it has no weights either way).

export const KERAS_CONVNEXT = `
from keras import layers
from keras.models import Model, Sequential
from keras.applications import _input_shape


class StochasticDepth(layers.Layer):
    def __init__(self, drop_path_rate, **kwargs):
        super().__init__(**kwargs)
        self.drop_path_rate = drop_path_rate

    def call(self, x, training=None):
        return x


class LayerScale(layers.Layer):
    def __init__(self, init_values, projection_dim, **kwargs):
        super().__init__(**kwargs)
        self.init_values = init_values
        self.projection_dim = projection_dim

    def build(self, _):
        self.gamma = self.add_weight(shape=(self.projection_dim,), trainable=True)

    def call(self, x):
        return x * self.gamma


def ConvNeXtBlock(projection_dim, drop_path_rate=0.0, layer_scale_init_value=1e-6, name=None):
    def apply(inputs):
        x = layers.Conv2D(filters=projection_dim, kernel_size=7, padding="same", groups=projection_dim,
                          name=name + "_depthwise_conv")(inputs)
        x = layers.LayerNormalization(epsilon=1e-6, name=name + "_layernorm")(x)
        x = layers.Dense(4 * projection_dim, name=name + "_pointwise_conv_1")(x)
        x = layers.Activation("gelu", name=name + "_gelu")(x)
        x = layers.Dense(projection_dim, name=name + "_pointwise_conv_2")(x)
        if layer_scale_init_value is not None:
            x = LayerScale(layer_scale_init_value, projection_dim, name=name + "_layer_scale")(x)
        if drop_path_rate:
            layer = StochasticDepth(drop_path_rate, name=name + "_stochastic_depth")
        else:
            layer = layers.Activation("linear", name=name + "_identity")
        return layers.Add()([inputs, layer(x)])

    return apply


def PreStem(name):
    def apply(x):
        return layers.Normalization(mean=[0.485 * 255, 0.456 * 255, 0.406 * 255],
                                    variance=[(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2],
                                    name=name + "_prestem_normalization")(x)

    return apply


def Head(num_classes=1000, classifier_activation=None, name=None):
    def apply(x):
        x = layers.GlobalAveragePooling2D(name=name + "_head_gap")(x)
        x = layers.LayerNormalization(epsilon=1e-6, name=name + "_head_layernorm")(x)
        return layers.Dense(num_classes, activation=classifier_activation, name=name + "_head_dense")(x)

    return apply


def ConvNeXt(depths, projection_dims, drop_path_rate=0.0, layer_scale_init_value=1e-6, default_size=224, name="convnext",
             include_preprocessing=True, include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None,
             classes=1000, classifier_activation="softmax"):
    input_shape = _input_shape(input_shape, default_size, include_top)
    if input_tensor is not None:
        inputs = input_tensor
    else:
        inputs = layers.Input(shape=input_shape)
    x = inputs
    if include_preprocessing and input_shape[2] == 3:
        x = PreStem(name=name)(x)
    stem = Sequential([
        layers.Conv2D(projection_dims[0], kernel_size=4, strides=4, name=name + "_stem_conv"),
        layers.LayerNormalization(epsilon=1e-6, name=name + "_stem_layernorm"),
    ], name=name + "_stem")
    downsample_layers = [stem]
    for i in range(3):
        downsample_layers.append(Sequential([
            layers.LayerNormalization(epsilon=1e-6, name=name + "_downsampling_layernorm_" + str(i)),
            layers.Conv2D(projection_dims[i + 1], kernel_size=2, strides=2, name=name + "_downsampling_conv_" + str(i)),
        ], name=name + "_downsampling_block_" + str(i)))
    total = sum(depths)
    rates = [drop_path_rate * k / (total - 1) if total > 1 else 0.0 for k in range(total)]
    cur = 0
    for i in range(4):
        x = downsample_layers[i](x)
        for j in range(depths[i]):
            x = ConvNeXtBlock(projection_dim=projection_dims[i], drop_path_rate=rates[cur + j],
                              layer_scale_init_value=layer_scale_init_value,
                              name=name + "_stage_" + str(i) + "_block_" + str(j))(x)
        cur += depths[i]
    if include_top:
        x = Head(num_classes=classes, classifier_activation=classifier_activation, name=name)(x)
    else:
        if pooling == "avg":
            x = layers.GlobalAveragePooling2D()(x)
        elif pooling == "max":
            x = layers.GlobalMaxPooling2D()(x)
        x = layers.LayerNormalization(epsilon=1e-6)(x)
    return Model(inputs=inputs, outputs=x, name=name)


_CONFIGS = {
    "tiny": ([3, 3, 9, 3], [96, 192, 384, 768]),
    "small": ([3, 3, 27, 3], [96, 192, 384, 768]),
    "base": ([3, 3, 27, 3], [128, 256, 512, 1024]),
    "large": ([3, 3, 27, 3], [192, 384, 768, 1536]),
    "xlarge": ([3, 3, 27, 3], [256, 512, 1024, 2048]),
}


def _variant(size, name, include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes, classifier_activation):
    depths, dims = _CONFIGS[size]
    return ConvNeXt(depths, dims, drop_path_rate=0.0, layer_scale_init_value=1e-6, default_size=224, name=name,
                    include_preprocessing=include_preprocessing, include_top=include_top, weights=weights,
                    input_tensor=input_tensor, input_shape=input_shape, pooling=pooling, classes=classes,
                    classifier_activation=classifier_activation)


def ConvNeXtTiny(include_top=True, include_preprocessing=True, weights="imagenet", input_tensor=None, input_shape=None,
                 pooling=None, classes=1000, classifier_activation="softmax", name="convnext_tiny"):
    return _variant("tiny", name, include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def ConvNeXtSmall(include_top=True, include_preprocessing=True, weights="imagenet", input_tensor=None, input_shape=None,
                  pooling=None, classes=1000, classifier_activation="softmax", name="convnext_small"):
    return _variant("small", name, include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def ConvNeXtBase(include_top=True, include_preprocessing=True, weights="imagenet", input_tensor=None, input_shape=None,
                 pooling=None, classes=1000, classifier_activation="softmax", name="convnext_base"):
    return _variant("base", name, include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def ConvNeXtLarge(include_top=True, include_preprocessing=True, weights="imagenet", input_tensor=None, input_shape=None,
                  pooling=None, classes=1000, classifier_activation="softmax", name="convnext_large"):
    return _variant("large", name, include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def ConvNeXtXLarge(include_top=True, include_preprocessing=True, weights="imagenet", input_tensor=None, input_shape=None,
                   pooling=None, classes=1000, classifier_activation="softmax", name="convnext_xlarge"):
    return _variant("xlarge", name, include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def preprocess_input(x, data_format=None):
    return x
`;
