// keras.applications.xception as a Python stub, written for TensorLens after the published
// Keras definition: named separable blocks (`block2_sepconv1`, `block2_sepconv1_bn`,
// `block3_sepconv1_act` ... `block14_sepconv2_act`), unnamed strided 1x1 residual
// projections (`conv2d`, `batch_normalization` ...) merged with `layers.add` (`add`, `add_1` ...).

import { PREPROCESS_TF_MODE } from './applications';

export const KERAS_XCEPTION = `
from keras import layers
from keras.models import Model
from keras.applications import _inputs, _pool


def _sep_bn(x, filters, name, act_name=None):
    if act_name is not None:
        x = layers.Activation("relu", name=act_name)(x)
    x = layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=name)(x)
    return layers.BatchNormalization(axis=-1, name=name + "_bn")(x)


def _strided_block(x, block, filters1, filters2, first_act=True):
    prefix = "block" + str(block)
    residual = layers.Conv2D(filters2, (1, 1), strides=(2, 2), padding="same", use_bias=False)(x)
    residual = layers.BatchNormalization(axis=-1)(residual)
    x = _sep_bn(x, filters1, prefix + "_sepconv1", prefix + "_sepconv1_act" if first_act else None)
    x = _sep_bn(x, filters2, prefix + "_sepconv2", prefix + "_sepconv2_act")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same", name=prefix + "_pool")(x)
    return layers.add([x, residual])


def Xception(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000,
             classifier_activation="softmax", name="xception"):
    img_input = _inputs(input_tensor, input_shape, 299, include_top)
    x = layers.Conv2D(32, (3, 3), strides=(2, 2), use_bias=False, name="block1_conv1")(img_input)
    x = layers.BatchNormalization(axis=-1, name="block1_conv1_bn")(x)
    x = layers.Activation("relu", name="block1_conv1_act")(x)
    x = layers.Conv2D(64, (3, 3), use_bias=False, name="block1_conv2")(x)
    x = layers.BatchNormalization(axis=-1, name="block1_conv2_bn")(x)
    x = layers.Activation("relu", name="block1_conv2_act")(x)

    x = _strided_block(x, 2, 128, 128, first_act=False)
    x = _strided_block(x, 3, 256, 256)
    x = _strided_block(x, 4, 728, 728)
    for i in range(5, 13):
        residual = x
        prefix = "block" + str(i)
        for j in range(1, 4):
            x = _sep_bn(x, 728, prefix + "_sepconv" + str(j), prefix + "_sepconv" + str(j) + "_act")
        x = layers.add([x, residual])
    x = _strided_block(x, 13, 728, 1024)

    x = _sep_bn(x, 1536, "block14_sepconv1")
    x = layers.Activation("relu", name="block14_sepconv1_act")(x)
    x = _sep_bn(x, 2048, "block14_sepconv2")
    x = layers.Activation("relu", name="block14_sepconv2_act")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _pool(x, pooling)
    return Model(img_input, x, name=name)


${PREPROCESS_TF_MODE}`;
