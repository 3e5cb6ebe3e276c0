// keras.applications.inception_v3 as a Python stub, written for TensorLens after the published
// Keras definition: the conv/BN/ReLU units are unnamed (Keras auto-names them `conv2d`,
// `batch_normalization`, `activation`, `conv2d_1` ...), the mixing blocks are `mixed0` ...
// `mixed10` (with `mixed9_0`, `mixed9_1` inside the last two). BatchNormalization has no
// gamma (scale=False), as in Keras.

import { PREPROCESS_TF_MODE } from './applications';

export const KERAS_INCEPTION_V3 = `
from keras import layers
from keras.models import Model
from keras.applications import _inputs, _pool


def conv2d_bn(x, filters, num_row, num_col, padding="same", strides=(1, 1), name=None):
    conv_name = None if name is None else name + "_conv"
    bn_name = None if name is None else name + "_bn"
    x = layers.Conv2D(filters, (num_row, num_col), strides=strides, padding=padding, use_bias=False, name=conv_name)(x)
    x = layers.BatchNormalization(axis=3, scale=False, name=bn_name)(x)
    return layers.Activation("relu", name=name)(x)


def _chain(x, specs):
    for filters, rows, cols in specs:
        x = conv2d_bn(x, filters, rows, cols)
    return x


def _pool_branch(x, filters):
    x = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x)
    return conv2d_bn(x, filters, 1, 1)


def _block_35(x, pool_filters, name):
    b1 = conv2d_bn(x, 64, 1, 1)
    b5 = _chain(x, [(48, 1, 1), (64, 5, 5)])
    b3 = _chain(x, [(64, 1, 1), (96, 3, 3), (96, 3, 3)])
    bp = _pool_branch(x, pool_filters)
    return layers.concatenate([b1, b5, b3, bp], axis=3, name=name)


def _block_17(x, width, name):
    b1 = conv2d_bn(x, 192, 1, 1)
    b7 = _chain(x, [(width, 1, 1), (width, 1, 7), (192, 7, 1)])
    b77 = _chain(x, [(width, 1, 1), (width, 7, 1), (width, 1, 7), (width, 7, 1), (192, 1, 7)])
    bp = _pool_branch(x, 192)
    return layers.concatenate([b1, b7, b77, bp], axis=3, name=name)


def _block_8(x, i):
    b1 = conv2d_bn(x, 320, 1, 1)
    b3 = conv2d_bn(x, 384, 1, 1)
    b3 = layers.concatenate([conv2d_bn(b3, 384, 1, 3), conv2d_bn(b3, 384, 3, 1)], axis=3, name="mixed9_" + str(i))
    bd = _chain(x, [(448, 1, 1), (384, 3, 3)])
    bd = layers.concatenate([conv2d_bn(bd, 384, 1, 3), conv2d_bn(bd, 384, 3, 1)], axis=3)
    bp = _pool_branch(x, 192)
    return layers.concatenate([b1, b3, bd, bp], axis=3, name="mixed" + str(9 + i))


def InceptionV3(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000,
                classifier_activation="softmax"):
    img_input = _inputs(input_tensor, input_shape, 299, include_top)
    x = conv2d_bn(img_input, 32, 3, 3, strides=(2, 2), padding="valid")
    x = conv2d_bn(x, 32, 3, 3, padding="valid")
    x = conv2d_bn(x, 64, 3, 3)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = conv2d_bn(x, 80, 1, 1, padding="valid")
    x = conv2d_bn(x, 192, 3, 3, padding="valid")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)

    x = _block_35(x, 32, "mixed0")
    x = _block_35(x, 64, "mixed1")
    x = _block_35(x, 64, "mixed2")

    b3 = conv2d_bn(x, 384, 3, 3, strides=(2, 2), padding="valid")
    bd = conv2d_bn(_chain(x, [(64, 1, 1), (96, 3, 3)]), 96, 3, 3, strides=(2, 2), padding="valid")
    bp = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = layers.concatenate([b3, bd, bp], axis=3, name="mixed3")

    x = _block_17(x, 128, "mixed4")
    x = _block_17(x, 160, "mixed5")
    x = _block_17(x, 160, "mixed6")
    x = _block_17(x, 192, "mixed7")

    b3 = conv2d_bn(conv2d_bn(x, 192, 1, 1), 320, 3, 3, strides=(2, 2), padding="valid")
    b7 = conv2d_bn(_chain(x, [(192, 1, 1), (192, 1, 7), (192, 7, 1)]), 192, 3, 3, strides=(2, 2), padding="valid")
    bp = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = layers.concatenate([b3, b7, bp], axis=3, name="mixed8")

    x = _block_8(x, 0)
    x = _block_8(x, 1)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _pool(x, pooling)
    return Model(img_input, x, name="inception_v3")


${PREPROCESS_TF_MODE}`;
