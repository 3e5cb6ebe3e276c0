// keras.applications.efficientnet_v2 as a Python stub, written for TensorLens after the
// published Keras definition: `stem_conv`, `stem_bn`, Fused-MBConv and MBConv blocks named
// `block1a_project_conv`, `block2a_expand_conv`, `block4a_dwconv2`, `block4a_se_reduce` ...,
// `top_conv`, `top_bn`, `avg_pool`, `top_dropout`, `predictions`. B0-B3 preprocess with a
// Rescaling and a Normalization of fixed mean/variance (no weights); S/M/L with one Rescaling.

export const KERAS_EFFICIENTNET_V2 = `
import math
from keras import layers
from keras.models import Model
from keras.applications import _input_shape

# Stages: (kernel, repeats, filters in, filters out, expand ratio, se ratio, strides, fused).
_B = [
    (3, 1, 32, 16, 1, 0, 1, True), (3, 2, 16, 32, 4, 0, 2, True), (3, 2, 32, 48, 4, 0, 2, True),
    (3, 3, 48, 96, 4, 0.25, 2, False), (3, 5, 96, 112, 6, 0.25, 1, False), (3, 8, 112, 192, 6, 0.25, 2, False),
]
_BLOCKS = {
    "efficientnetv2-b0": _B, "efficientnetv2-b1": _B, "efficientnetv2-b2": _B, "efficientnetv2-b3": _B,
    "efficientnetv2-s": [
        (3, 2, 24, 24, 1, 0, 1, True), (3, 4, 24, 48, 4, 0, 2, True), (3, 4, 48, 64, 4, 0, 2, True),
        (3, 6, 64, 128, 4, 0.25, 2, False), (3, 9, 128, 160, 6, 0.25, 1, False), (3, 15, 160, 256, 6, 0.25, 2, False),
    ],
    "efficientnetv2-m": [
        (3, 3, 24, 24, 1, 0, 1, True), (3, 5, 24, 48, 4, 0, 2, True), (3, 5, 48, 80, 4, 0, 2, True),
        (3, 7, 80, 160, 4, 0.25, 2, False), (3, 14, 160, 176, 6, 0.25, 1, False), (3, 18, 176, 304, 6, 0.25, 2, False),
        (3, 5, 304, 512, 6, 0.25, 1, False),
    ],
    "efficientnetv2-l": [
        (3, 4, 32, 32, 1, 0, 1, True), (3, 7, 32, 64, 4, 0, 2, True), (3, 7, 64, 96, 4, 0, 2, True),
        (3, 10, 96, 192, 4, 0.25, 2, False), (3, 19, 192, 224, 6, 0.25, 1, False), (3, 25, 224, 384, 6, 0.25, 2, False),
        (3, 7, 384, 640, 6, 0.25, 1, False),
    ],
}


def round_filters(filters, width_coefficient, min_depth, depth_divisor):
    filters *= width_coefficient
    minimum_depth = min_depth or depth_divisor
    return int(max(minimum_depth, int(filters + depth_divisor / 2) // depth_divisor * depth_divisor))


def round_repeats(repeats, depth_coefficient):
    return int(math.ceil(depth_coefficient * repeats))


def _bn(name, bn_momentum):
    return layers.BatchNormalization(axis=3, momentum=bn_momentum, name=name)


def _se(x, filters, input_filters, se_ratio, activation, name):
    filters_se = max(1, int(input_filters * se_ratio))
    se = layers.GlobalAveragePooling2D(name=name + "se_squeeze")(x)
    se = layers.Reshape((1, 1, filters), name=name + "se_reshape")(se)
    se = layers.Conv2D(filters_se, 1, padding="same", activation=activation, name=name + "se_reduce")(se)
    se = layers.Conv2D(filters, 1, padding="same", activation="sigmoid", name=name + "se_expand")(se)
    return layers.multiply([x, se], name=name + "se_excite")


def _residual(x, inputs, input_filters, output_filters, strides, survival_probability, name):
    if strides == 1 and input_filters == output_filters:
        if survival_probability:
            x = layers.Dropout(survival_probability, noise_shape=(None, 1, 1, 1), name=name + "drop")(x)
        x = layers.add([x, inputs], name=name + "add")
    return x


def MBConvBlock(input_filters, output_filters, expand_ratio=1, kernel_size=3, strides=1, se_ratio=0.0, bn_momentum=0.9,
                activation="swish", survival_probability=0.8, name=None):
    def apply(inputs):
        filters = input_filters * expand_ratio
        x = inputs
        if expand_ratio != 1:
            x = layers.Conv2D(filters=filters, kernel_size=1, strides=1, padding="same", use_bias=False, name=name + "expand_conv")(x)
            x = _bn(name + "expand_bn", bn_momentum)(x)
            x = layers.Activation(activation, name=name + "expand_activation")(x)
        x = layers.DepthwiseConv2D(kernel_size=kernel_size, strides=strides, padding="same", use_bias=False, name=name + "dwconv2")(x)
        x = _bn(name + "bn", bn_momentum)(x)
        x = layers.Activation(activation, name=name + "activation")(x)
        if 0 < se_ratio <= 1:
            x = _se(x, filters, input_filters, se_ratio, activation, name)
        x = layers.Conv2D(filters=output_filters, kernel_size=1, strides=1, padding="same", use_bias=False, name=name + "project_conv")(x)
        x = _bn(name + "project_bn", bn_momentum)(x)
        return _residual(x, inputs, input_filters, output_filters, strides, survival_probability, name)

    return apply


def FusedMBConvBlock(input_filters, output_filters, expand_ratio=1, kernel_size=3, strides=1, se_ratio=0.0, bn_momentum=0.9,
                     activation="swish", survival_probability=0.8, name=None):
    def apply(inputs):
        filters = input_filters * expand_ratio
        x = inputs
        if expand_ratio != 1:
            x = layers.Conv2D(filters, kernel_size=kernel_size, strides=strides, padding="same", use_bias=False, name=name + "expand_conv")(x)
            x = _bn(name + "expand_bn", bn_momentum)(x)
            x = layers.Activation(activation=activation, name=name + "expand_activation")(x)
        if 0 < se_ratio <= 1:
            x = _se(x, filters, input_filters, se_ratio, activation, name)
        x = layers.Conv2D(output_filters, kernel_size=1 if expand_ratio != 1 else kernel_size, strides=1 if expand_ratio != 1 else strides,
                          padding="same", use_bias=False, name=name + "project_conv")(x)
        x = _bn(name + "project_bn", bn_momentum)(x)
        if expand_ratio == 1:
            x = layers.Activation(activation=activation, name=name + "project_activation")(x)
        return _residual(x, inputs, input_filters, output_filters, strides, survival_probability, name)

    return apply


def EfficientNetV2(width_coefficient, depth_coefficient, default_size, dropout_rate=0.2, drop_connect_rate=0.2, depth_divisor=8,
                   min_depth=8, bn_momentum=0.9, activation="swish", blocks_args="default", name="efficientnetv2", include_top=True,
                   weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000,
                   classifier_activation="softmax", include_preprocessing=True, variant=None):
    variant = variant or name
    if blocks_args == "default":
        blocks_args = _BLOCKS[variant]
    input_shape = _input_shape(input_shape, default_size, include_top)
    if input_tensor is not None:
        img_input = input_tensor
    else:
        img_input = layers.Input(shape=input_shape)
    x = img_input
    if include_preprocessing:
        if variant.split("-")[-1].startswith("b") and input_shape[2] == 3:
            x = layers.Rescaling(scale=1.0 / 255)(x)
            x = layers.Normalization(mean=[0.485, 0.456, 0.406], variance=[0.229 ** 2, 0.224 ** 2, 0.225 ** 2], axis=3)(x)
        else:
            x = layers.Rescaling(scale=1.0 / 128.0, offset=-1)(x)

    def rf(filters):
        return round_filters(filters, width_coefficient, min_depth, depth_divisor)

    x = layers.Conv2D(filters=rf(blocks_args[0][2]), kernel_size=3, strides=2, padding="same", use_bias=False, name="stem_conv")(x)
    x = _bn("stem_bn", bn_momentum)(x)
    x = layers.Activation(activation, name="stem_activation")(x)
    b = 0
    blocks = float(sum([args[1] for args in blocks_args]))
    for i, (kernel_size, repeats, filters_in, filters_out, expand_ratio, se_ratio, strides, fused) in enumerate(blocks_args):
        filters_in = rf(filters_in)
        filters_out = rf(filters_out)
        block = FusedMBConvBlock if fused else MBConvBlock
        for j in range(round_repeats(repeats, depth_coefficient)):
            if j > 0:
                strides = 1
                filters_in = filters_out
            x = block(input_filters=filters_in, output_filters=filters_out, expand_ratio=expand_ratio, kernel_size=kernel_size,
                      strides=strides, se_ratio=se_ratio, bn_momentum=bn_momentum, activation=activation,
                      survival_probability=drop_connect_rate * b / blocks,
                      name="block" + str(i + 1) + "abcdefghijklmnopqrstuvwxyz"[j] + "_")(x)
            b += 1
    x = layers.Conv2D(filters=rf(1280), kernel_size=1, strides=1, padding="same", use_bias=False, name="top_conv")(x)
    x = _bn("top_bn", bn_momentum)(x)
    x = layers.Activation(activation=activation, name="top_activation")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)
    return Model(img_input, x, name=name)


def EfficientNetV2B0(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000,
                     classifier_activation="softmax", include_preprocessing=True, name="efficientnetv2-b0"):
    return EfficientNetV2(1.0, 1.0, 224, name=name, variant="efficientnetv2-b0", include_top=include_top, weights=weights, input_tensor=input_tensor,
                          input_shape=input_shape, pooling=pooling, classes=classes, classifier_activation=classifier_activation,
                          include_preprocessing=include_preprocessing)


def EfficientNetV2B1(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000,
                     classifier_activation="softmax", include_preprocessing=True, name="efficientnetv2-b1"):
    return EfficientNetV2(1.0, 1.1, 240, name=name, variant="efficientnetv2-b1", include_top=include_top, weights=weights, input_tensor=input_tensor,
                          input_shape=input_shape, pooling=pooling, classes=classes, classifier_activation=classifier_activation,
                          include_preprocessing=include_preprocessing)


def EfficientNetV2B2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000,
                     classifier_activation="softmax", include_preprocessing=True, name="efficientnetv2-b2"):
    return EfficientNetV2(1.1, 1.2, 260, name=name, variant="efficientnetv2-b2", include_top=include_top, weights=weights, input_tensor=input_tensor,
                          input_shape=input_shape, pooling=pooling, classes=classes, classifier_activation=classifier_activation,
                          include_preprocessing=include_preprocessing)


def EfficientNetV2B3(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000,
                     classifier_activation="softmax", include_preprocessing=True, name="efficientnetv2-b3"):
    return EfficientNetV2(1.2, 1.4, 300, name=name, variant="efficientnetv2-b3", include_top=include_top, weights=weights, input_tensor=input_tensor,
                          input_shape=input_shape, pooling=pooling, classes=classes, classifier_activation=classifier_activation,
                          include_preprocessing=include_preprocessing)


def EfficientNetV2S(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000,
                    classifier_activation="softmax", include_preprocessing=True, name="efficientnetv2-s"):
    return EfficientNetV2(1.0, 1.0, 384, name=name, variant="efficientnetv2-s", include_top=include_top, weights=weights, input_tensor=input_tensor,
                          input_shape=input_shape, pooling=pooling, classes=classes, classifier_activation=classifier_activation,
                          include_preprocessing=include_preprocessing)


def EfficientNetV2M(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000,
                    classifier_activation="softmax", include_preprocessing=True, name="efficientnetv2-m"):
    return EfficientNetV2(1.0, 1.0, 480, name=name, variant="efficientnetv2-m", include_top=include_top, weights=weights, input_tensor=input_tensor,
                          input_shape=input_shape, pooling=pooling, classes=classes, classifier_activation=classifier_activation,
                          include_preprocessing=include_preprocessing)


def EfficientNetV2L(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000,
                    classifier_activation="softmax", include_preprocessing=True, name="efficientnetv2-l"):
    return EfficientNetV2(1.0, 1.0, 480, name=name, variant="efficientnetv2-l", include_top=include_top, weights=weights, input_tensor=input_tensor,
                          input_shape=input_shape, pooling=pooling, classes=classes, classifier_activation=classifier_activation,
                          include_preprocessing=include_preprocessing)


def preprocess_input(x, data_format=None):
    return x
`;
