// keras.applications.nasnet as a Python stub, written for TensorLens after the published Keras
// definition of NASNet-A: `stem_conv1`, `stem_bn1`, reduction cells `reduction_conv_1_stem_1`,
// `separable_conv_1_reduction_left1_stem_1` ..., normal cells `normal_conv_1_0`,
// `normal_concat_0` ..., `adjust_*` layers when the previous path must be resized, and the
// unnamed ReLUs (`activation`, `activation_1` ...) Keras leaves to auto-naming.

import { PREPROCESS_TF_MODE } from './applications';

export const KERAS_NASNET = `
from keras import layers
from keras.models import Model
from keras.applications import _input_shape, _pool, correct_pad


def _bn(name):
    return layers.BatchNormalization(axis=-1, momentum=0.9997, epsilon=1e-3, name=name)


def _separable_conv_block(ip, filters, kernel_size=(3, 3), strides=(1, 1), block_id=None):
    x = layers.Activation("relu")(ip)
    if strides == (2, 2):
        x = layers.ZeroPadding2D(padding=correct_pad(x, kernel_size), name="separable_conv_1_pad_" + block_id)(x)
        conv_pad = "valid"
    else:
        conv_pad = "same"
    x = layers.SeparableConv2D(filters, kernel_size, strides=strides, name="separable_conv_1_" + block_id, padding=conv_pad,
                               use_bias=False)(x)
    x = _bn("separable_conv_1_bn_" + block_id)(x)
    x = layers.Activation("relu")(x)
    x = layers.SeparableConv2D(filters, kernel_size, name="separable_conv_2_" + block_id, padding="same", use_bias=False)(x)
    return _bn("separable_conv_2_bn_" + block_id)(x)


def _adjust_block(p, ip, filters, block_id=None):
    if p is None:
        return ip
    if p.shape[-2] != ip.shape[-2]:
        p = layers.Activation("relu", name="adjust_relu_1_" + block_id)(p)
        p1 = layers.AveragePooling2D((1, 1), strides=(2, 2), padding="valid", name="adjust_avg_pool_1_" + block_id)(p)
        p1 = layers.Conv2D(filters // 2, (1, 1), padding="same", use_bias=False, name="adjust_conv_1_" + block_id)(p1)
        p2 = layers.ZeroPadding2D(padding=((0, 1), (0, 1)))(p)
        p2 = layers.Cropping2D(cropping=((1, 0), (1, 0)))(p2)
        p2 = layers.AveragePooling2D((1, 1), strides=(2, 2), padding="valid", name="adjust_avg_pool_2_" + block_id)(p2)
        p2 = layers.Conv2D(filters // 2, (1, 1), padding="same", use_bias=False, name="adjust_conv_2_" + block_id)(p2)
        p = layers.concatenate([p1, p2], axis=-1)
        return _bn("adjust_bn_" + block_id)(p)
    if p.shape[-1] != filters:
        p = layers.Activation("relu")(p)
        p = layers.Conv2D(filters, (1, 1), strides=(1, 1), padding="same", name="adjust_conv_projection_" + block_id,
                          use_bias=False)(p)
        return _bn("adjust_bn_" + block_id)(p)
    return p


def _squeeze(ip, filters, kind, block_id):
    h = layers.Activation("relu")(ip)
    h = layers.Conv2D(filters, (1, 1), strides=(1, 1), padding="same", name=kind + "_conv_1_" + block_id, use_bias=False)(h)
    return _bn(kind + "_bn_1_" + block_id)(h)


def _avg3(x, strides, padding, name):
    return layers.AveragePooling2D((3, 3), strides=strides, padding=padding, name=name)(x)


def _normal_a_cell(ip, p, filters, block_id=None):
    p = _adjust_block(p, ip, filters, block_id)
    h = _squeeze(ip, filters, "normal", block_id)
    x1_1 = _separable_conv_block(h, filters, kernel_size=(5, 5), block_id="normal_left1_" + block_id)
    x1_2 = _separable_conv_block(p, filters, block_id="normal_right1_" + block_id)
    x1 = layers.add([x1_1, x1_2], name="normal_add_1_" + block_id)
    x2_1 = _separable_conv_block(p, filters, (5, 5), block_id="normal_left2_" + block_id)
    x2_2 = _separable_conv_block(p, filters, (3, 3), block_id="normal_right2_" + block_id)
    x2 = layers.add([x2_1, x2_2], name="normal_add_2_" + block_id)
    x3 = _avg3(h, (1, 1), "same", "normal_left3_" + block_id)
    x3 = layers.add([x3, p], name="normal_add_3_" + block_id)
    x4_1 = _avg3(p, (1, 1), "same", "normal_left4_" + block_id)
    x4_2 = _avg3(p, (1, 1), "same", "normal_right4_" + block_id)
    x4 = layers.add([x4_1, x4_2], name="normal_add_4_" + block_id)
    x5 = _separable_conv_block(h, filters, block_id="normal_left5_" + block_id)
    x5 = layers.add([x5, h], name="normal_add_5_" + block_id)
    x = layers.concatenate([p, x1, x2, x3, x4, x5], axis=-1, name="normal_concat_" + block_id)
    return x, ip


def _reduction_a_cell(ip, p, filters, block_id=None):
    p = _adjust_block(p, ip, filters, block_id)
    h = _squeeze(ip, filters, "reduction", block_id)
    h3 = layers.ZeroPadding2D(padding=correct_pad(h, 3), name="reduction_pad_1_" + block_id)(h)
    x1_1 = _separable_conv_block(h, filters, (5, 5), strides=(2, 2), block_id="reduction_left1_" + block_id)
    x1_2 = _separable_conv_block(p, filters, (7, 7), strides=(2, 2), block_id="reduction_right1_" + block_id)
    x1 = layers.add([x1_1, x1_2], name="reduction_add_1_" + block_id)
    x2_1 = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="valid", name="reduction_left2_" + block_id)(h3)
    x2_2 = _separable_conv_block(p, filters, (7, 7), strides=(2, 2), block_id="reduction_right2_" + block_id)
    x2 = layers.add([x2_1, x2_2], name="reduction_add_2_" + block_id)
    x3_1 = _avg3(h3, (2, 2), "valid", "reduction_left3_" + block_id)
    x3_2 = _separable_conv_block(p, filters, (5, 5), strides=(2, 2), block_id="reduction_right3_" + block_id)
    x3 = layers.add([x3_1, x3_2], name="reduction_add3_" + block_id)
    x4 = _avg3(x1, (1, 1), "same", "reduction_left4_" + block_id)
    x4 = layers.add([x2, x4])
    x5_1 = _separable_conv_block(x1, filters, (3, 3), block_id="reduction_left4_" + block_id)
    x5_2 = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="valid", name="reduction_right5_" + block_id)(h3)
    x5 = layers.add([x5_1, x5_2], name="reduction_add4_" + block_id)
    x = layers.concatenate([x2, x3, x4, x5], axis=-1, name="reduction_concat_" + block_id)
    return x, ip


def NASNet(input_shape=None, penultimate_filters=4032, num_blocks=6, stem_block_filters=96, skip_reduction=True,
           filter_multiplier=2, include_top=True, weights="imagenet", input_tensor=None, pooling=None, classes=1000,
           default_size=None, classifier_activation="softmax"):
    if default_size is None:
        default_size = 331
    if input_tensor is not None:
        img_input = input_tensor
    else:
        img_input = layers.Input(shape=_input_shape(input_shape, default_size, include_top))
    filters = penultimate_filters // 24
    x = layers.Conv2D(stem_block_filters, (3, 3), strides=(2, 2), padding="valid", use_bias=False, name="stem_conv1")(img_input)
    x = _bn("stem_bn1")(x)
    p = None
    x, p = _reduction_a_cell(x, p, filters // (filter_multiplier ** 2), block_id="stem_1")
    x, p = _reduction_a_cell(x, p, filters // filter_multiplier, block_id="stem_2")
    for stage in range(3):
        width = filters * filter_multiplier ** stage
        if stage > 0:
            x, p0 = _reduction_a_cell(x, p, width, block_id="reduce_" + str(stage * num_blocks))
            p = p if skip_reduction else p0
        for i in range(num_blocks):
            x, p = _normal_a_cell(x, p, width, block_id=str(stage * num_blocks + (1 if stage else 0) + i))
    x = layers.Activation("relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D()(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _pool(x, pooling)
    return Model(img_input, x, name="NASNet")


def NASNetMobile(input_shape=None, include_top=True, weights="imagenet", input_tensor=None, pooling=None, classes=1000,
                 classifier_activation="softmax"):
    if not include_top and input_shape is None:
        input_shape = (224, 224, 3)
    return NASNet(input_shape, penultimate_filters=1056, num_blocks=4, stem_block_filters=32, skip_reduction=False,
                  filter_multiplier=2, include_top=include_top, weights=weights, input_tensor=input_tensor, pooling=pooling,
                  classes=classes, default_size=224, classifier_activation=classifier_activation)


def NASNetLarge(input_shape=None, include_top=True, weights="imagenet", input_tensor=None, pooling=None, classes=1000,
                classifier_activation="softmax"):
    return NASNet(input_shape, penultimate_filters=4032, num_blocks=6, stem_block_filters=96, skip_reduction=True,
                  filter_multiplier=2, include_top=include_top, weights=weights, input_tensor=input_tensor, pooling=pooling,
                  classes=classes, default_size=331, classifier_activation=classifier_activation)


${PREPROCESS_TF_MODE}`;
