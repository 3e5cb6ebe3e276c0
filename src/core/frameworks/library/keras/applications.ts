// keras.applications as Python stubs over keras.layers, written for TensorLens after the
// published Keras 2 definitions: every layer carries the name keras.applications gives it
// (`conv1_conv`, `conv2_block1_1_conv`, `block1_conv1`, `expanded_conv_depthwise` ...), so
// summaries and `model.get_layer(...)` lookups match. `weights` never changes the layers,
// except EfficientNet's extra input Rescaling for ImageNet weights, as in Keras.
//
// The later families (Inception, Inception-ResNet, Xception, MobileNetV3, ConvNeXt, NASNet, EfficientNetV2)
// live in their own submodule stubs (./inception_v3.ts ...), parsed only when used: this
// module exposes their constructors as small forwarders that import the submodule on call.

/** keras.applications submodules this stub defines itself (module aliases), with their constructors. */
export const OWN_SUBMODULES: Readonly<Record<string, readonly string[]>> = {
  vgg16: ['VGG16'],
  vgg19: ['VGG19'],
  resnet: ['ResNet50', 'ResNet101', 'ResNet152'],
  resnet50: ['ResNet50'],
  resnet_v2: ['ResNet50V2', 'ResNet101V2', 'ResNet152V2'],
  mobilenet: ['MobileNet'],
  mobilenet_v2: ['MobileNetV2'],
  densenet: ['DenseNet121', 'DenseNet169', 'DenseNet201'],
  efficientnet: ['EfficientNetB0', 'EfficientNetB1', 'EfficientNetB2', 'EfficientNetB3', 'EfficientNetB4', 'EfficientNetB5', 'EfficientNetB6', 'EfficientNetB7'],
};

/**
 * The submodules whose `preprocess_input` is imagenet_utils mode "tf" (scale to [-1, 1]:
 * `x /= 127.5; x -= 1.0`, keras/src/applications/{mobilenet,mobilenet_v2,resnet_v2,xception,
 * inception_v3,inception_resnet_v2,nasnet}.py). On a Keras tensor these are two operation nodes of
 * the functional graph (Keras 3 `true_divide` / `subtract`, tf.keras `tf.math.truediv` /
 * `tf.math.subtract` TFOpLambda layers). EfficientNet, EfficientNetV2, ConvNeXt and MobileNetV3
 * pass their input through, as the stubs do.
 */
export const TF_MODE_PREPROCESS: ReadonlySet<string> = new Set(['mobilenet', 'mobilenet_v2', 'resnet_v2', 'inception_v3', 'inception_resnet_v2', 'xception', 'nasnet']);

/**
 * The main module's submodules and the imagenet_utils mode of their `preprocess_input`: "caffe"
 * (VGG, ResNet: RGB -> BGR, minus the ImageNet channel means) and "torch" (DenseNet: / 255, minus
 * mean, / std) besides "tf". The graph nodes differ between Keras 3 (`_preprocess_tensor_input`:
 * ops.stack of three slices, `+=` of the negated means) and tf.keras (`_preprocess_symbolic_input`:
 * `x[..., ::-1]`, `backend.bias_add`), so the stub asks keras.version(). Channels-first input is
 * kept unchanged (not modelled).
 */
export const PREPROCESS_MODE: Readonly<Record<string, 'tf' | 'caffe' | 'torch'>> = {
  vgg16: 'caffe', vgg19: 'caffe', resnet: 'caffe', resnet50: 'caffe', densenet: 'torch',
  ...Object.fromEntries([...TF_MODE_PREPROCESS].map((m) => [m, 'tf'])),
};

/** The caffe and torch modes as Python (the main stub's `_preprocess_caffe`, `_preprocess_torch`). */
const PREPROCESS_CAFFE_TORCH = `
def _channels_first(data_format):
    return data_format == "channels_first" or (data_format is None and keras.backend.image_data_format() == "channels_first")


def _minus_mean(x, mean):
    if keras.version().startswith("2."):
        return keras.backend.bias_add(x, keras.backend.constant([-m for m in mean]))
    x += ops.reshape(ops.convert_to_tensor([-m for m in mean]), (1,) * (len(x.shape) - 1) + (3,))
    return x


def _preprocess_caffe(x, data_format=None):
    if _channels_first(data_format):
        return x
    if keras.version().startswith("2."):
        x = x[..., ::-1]
    else:
        x = ops.stack([x[..., i] for i in (2, 1, 0)], axis=-1)
    return _minus_mean(x, [103.939, 116.779, 123.68])


def _preprocess_torch(x, data_format=None):
    if _channels_first(data_format):
        return x
    x /= 255.0
    x = _minus_mean(x, [0.485, 0.456, 0.406])
    x /= ops.convert_to_tensor([0.229, 0.224, 0.225])
    return x
`;

/** imagenet_utils mode "tf" as Python, for the stubs. */
export const PREPROCESS_TF_MODE = `
def preprocess_input(x, data_format=None):
    x /= 127.5
    x -= 1.0
    return x
`;

/** keras.applications submodules with a stub of their own, and the constructors each exports. */
export const LAZY_SUBMODULES: Readonly<Record<string, readonly string[]>> = {
  inception_v3: ['InceptionV3'],
  inception_resnet_v2: ['InceptionResNetV2'],
  xception: ['Xception'],
  mobilenet_v3: ['MobileNetV3Small', 'MobileNetV3Large'],
  convnext: ['ConvNeXtTiny', 'ConvNeXtSmall', 'ConvNeXtBase', 'ConvNeXtLarge', 'ConvNeXtXLarge'],
  nasnet: ['NASNetMobile', 'NASNetLarge'],
  efficientnet_v2: [
    'EfficientNetV2B0', 'EfficientNetV2B1', 'EfficientNetV2B2', 'EfficientNetV2B3', 'EfficientNetV2S', 'EfficientNetV2M', 'EfficientNetV2L',
  ],
};

/** `def InceptionV3(*args, **kwargs)` importing the real one from its submodule when called. */
const FORWARDERS = Object.entries(LAZY_SUBMODULES)
  .flatMap(([mod, names]) => names.map((n) => `
def ${n}(*args, **kwargs):
    from keras.applications.${mod} import ${n} as build
    return build(*args, **kwargs)
`))
  .join('');

/**
 * `keras.applications.resnet50.ResNet50(...)` and `keras.applications.convnext.preprocess_input`
 * reached as attributes of this module: one namespace class per submodule holding its
 * constructors and `preprocess_input` (its imagenet_utils mode, PREPROCESS_MODE, else the input unchanged).
 */
const NAMESPACES = Object.entries({ ...OWN_SUBMODULES, ...LAZY_SUBMODULES })
  .map(([mod, names]) => `
class ${mod}:
${names.map((n) => `    ${n} = ${n}\n`).join('')}    preprocess_input = ${PREPROCESS_MODE[mod] ? `_preprocess_${PREPROCESS_MODE[mod]}` : 'preprocess_input'}
`)
  .join('');

export const KERAS_APPLICATIONS = `
import math
import keras
from keras import layers, ops
from keras.models import Model


def _input_shape(input_shape, default_size, include_top):
    if input_shape is not None:
        return input_shape
    if include_top:
        return (default_size, default_size, 3)
    return (None, None, 3)


def _inputs(input_tensor, input_shape, default_size, include_top):
    if input_tensor is not None:
        return input_tensor
    return layers.Input(shape=_input_shape(input_shape, default_size, include_top))


def _pool(x, pooling, avg_name=None, max_name=None):
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name=avg_name)(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name=max_name)(x)
    return x


def correct_pad(inputs, kernel_size):
    input_size = inputs.shape[1:3]
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    if input_size[0] is None:
        adjust = (1, 1)
    else:
        adjust = (1 - input_size[0] % 2, 1 - input_size[1] % 2)
    correct = (kernel_size[0] // 2, kernel_size[1] // 2)
    return ((correct[0] - adjust[0], correct[0]), (correct[1] - adjust[1], correct[1]))


def _make_divisible(v, divisor, min_value=None):
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def _vgg(convs, model_name, include_top, input_tensor, input_shape, pooling, classes, classifier_activation):
    img_input = _inputs(input_tensor, input_shape, 224, include_top)
    x = img_input
    for b, (n, filters) in enumerate(zip(convs, [64, 128, 256, 512, 512])):
        for i in range(n):
            x = layers.Conv2D(filters, (3, 3), activation="relu", padding="same", name="block" + str(b + 1) + "_conv" + str(i + 1))(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name="block" + str(b + 1) + "_pool")(x)
    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _pool(x, pooling)
    return Model(img_input, x, name=model_name)


def VGG16(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax"):
    return _vgg([2, 2, 3, 3, 3], "vgg16", include_top, input_tensor, input_shape, pooling, classes, classifier_activation)


def VGG19(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax"):
    return _vgg([2, 2, 4, 4, 4], "vgg19", include_top, input_tensor, input_shape, pooling, classes, classifier_activation)


def _resnet(stack_fn, preact, use_bias, model_name, include_top, input_tensor, input_shape, pooling, classes, classifier_activation):
    img_input = _inputs(input_tensor, input_shape, 224, include_top)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=use_bias, name="conv1_conv")(x)
    if not preact:
        x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name="conv1_bn")(x)
        x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    x = stack_fn(x)
    if preact:
        x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name="post_bn")(x)
        x = layers.Activation("relu", name="post_relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _pool(x, pooling, "avg_pool", "max_pool")
    return Model(img_input, x, name=model_name)


def block1(x, filters, kernel_size=3, stride=1, conv_shortcut=True, name=None):
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=name + "_0_conv")(x)
        shortcut = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name + "_0_bn")(shortcut)
    else:
        shortcut = x
    x = layers.Conv2D(filters, 1, strides=stride, name=name + "_1_conv")(x)
    x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name + "_1_bn")(x)
    x = layers.Activation("relu", name=name + "_1_relu")(x)
    x = layers.Conv2D(filters, kernel_size, padding="same", name=name + "_2_conv")(x)
    x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name + "_2_bn")(x)
    x = layers.Activation("relu", name=name + "_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=name + "_3_conv")(x)
    x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name + "_3_bn")(x)
    x = layers.Add(name=name + "_add")([shortcut, x])
    x = layers.Activation("relu", name=name + "_out")(x)
    return x


def stack1(x, filters, blocks, stride1=2, name=None):
    x = block1(x, filters, stride=stride1, name=name + "_block1")
    for i in range(2, blocks + 1):
        x = block1(x, filters, conv_shortcut=False, name=name + "_block" + str(i))
    return x


def block2(x, filters, kernel_size=3, stride=1, conv_shortcut=False, name=None):
    preact = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name + "_preact_bn")(x)
    preact = layers.Activation("relu", name=name + "_preact_relu")(preact)
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=name + "_0_conv")(preact)
    else:
        shortcut = layers.MaxPooling2D(1, strides=stride)(x) if stride > 1 else x
    x = layers.Conv2D(filters, 1, strides=1, use_bias=False, name=name + "_1_conv")(preact)
    x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name + "_1_bn")(x)
    x = layers.Activation("relu", name=name + "_1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=name + "_2_pad")(x)
    x = layers.Conv2D(filters, kernel_size, strides=stride, use_bias=False, name=name + "_2_conv")(x)
    x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name + "_2_bn")(x)
    x = layers.Activation("relu", name=name + "_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=name + "_3_conv")(x)
    x = layers.Add(name=name + "_out")([shortcut, x])
    return x


def stack2(x, filters, blocks, stride1=2, name=None):
    x = block2(x, filters, conv_shortcut=True, name=name + "_block1")
    for i in range(2, blocks):
        x = block2(x, filters, name=name + "_block" + str(i))
    x = block2(x, filters, stride=stride1, name=name + "_block" + str(blocks))
    return x


def _resnet_v1(depths, model_name, include_top, input_tensor, input_shape, pooling, classes, classifier_activation):
    def stack_fn(x):
        x = stack1(x, 64, depths[0], stride1=1, name="conv2")
        x = stack1(x, 128, depths[1], name="conv3")
        x = stack1(x, 256, depths[2], name="conv4")
        return stack1(x, 512, depths[3], name="conv5")
    return _resnet(stack_fn, False, True, model_name, include_top, input_tensor, input_shape, pooling, classes, classifier_activation)


def _resnet_v2(depths, model_name, include_top, input_tensor, input_shape, pooling, classes, classifier_activation):
    def stack_fn(x):
        x = stack2(x, 64, depths[0], name="conv2")
        x = stack2(x, 128, depths[1], name="conv3")
        x = stack2(x, 256, depths[2], name="conv4")
        return stack2(x, 512, depths[3], stride1=1, name="conv5")
    return _resnet(stack_fn, True, True, model_name, include_top, input_tensor, input_shape, pooling, classes, classifier_activation)


def ResNet50(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", **kwargs):
    return _resnet_v1([3, 4, 6, 3], "resnet50", include_top, input_tensor, input_shape, pooling, classes, classifier_activation)


def ResNet101(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", **kwargs):
    return _resnet_v1([3, 4, 23, 3], "resnet101", include_top, input_tensor, input_shape, pooling, classes, classifier_activation)


def ResNet152(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", **kwargs):
    return _resnet_v1([3, 8, 36, 3], "resnet152", include_top, input_tensor, input_shape, pooling, classes, classifier_activation)


def ResNet50V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax"):
    return _resnet_v2([3, 4, 6, 3], "resnet50v2", include_top, input_tensor, input_shape, pooling, classes, classifier_activation)


def ResNet101V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax"):
    return _resnet_v2([3, 4, 23, 3], "resnet101v2", include_top, input_tensor, input_shape, pooling, classes, classifier_activation)


def ResNet152V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax"):
    return _resnet_v2([3, 8, 36, 3], "resnet152v2", include_top, input_tensor, input_shape, pooling, classes, classifier_activation)


def _conv_block(inputs, filters, alpha, kernel=(3, 3), strides=(1, 1)):
    filters = int(filters * alpha)
    x = layers.Conv2D(filters, kernel, padding="same", use_bias=False, strides=strides, name="conv1")(inputs)
    x = layers.BatchNormalization(axis=-1, name="conv1_bn")(x)
    return layers.ReLU(6.0, name="conv1_relu")(x)


def _depthwise_conv_block(inputs, pointwise_conv_filters, alpha, depth_multiplier=1, strides=(1, 1), block_id=1):
    pointwise_conv_filters = int(pointwise_conv_filters * alpha)
    n = str(block_id)
    if strides == (1, 1):
        x = inputs
    else:
        x = layers.ZeroPadding2D(((0, 1), (0, 1)), name="conv_pad_" + n)(inputs)
    x = layers.DepthwiseConv2D((3, 3), padding="same" if strides == (1, 1) else "valid", depth_multiplier=depth_multiplier,
                               strides=strides, use_bias=False, name="conv_dw_" + n)(x)
    x = layers.BatchNormalization(axis=-1, name="conv_dw_" + n + "_bn")(x)
    x = layers.ReLU(6.0, name="conv_dw_" + n + "_relu")(x)
    x = layers.Conv2D(pointwise_conv_filters, (1, 1), padding="same", use_bias=False, strides=(1, 1), name="conv_pw_" + n)(x)
    x = layers.BatchNormalization(axis=-1, name="conv_pw_" + n + "_bn")(x)
    return layers.ReLU(6.0, name="conv_pw_" + n + "_relu")(x)


def MobileNet(input_shape=None, alpha=1.0, depth_multiplier=1, dropout=1e-3, include_top=True, weights="imagenet", input_tensor=None,
              pooling=None, classes=1000, classifier_activation="softmax", **kwargs):
    img_input = _inputs(input_tensor, input_shape, 224, include_top)
    x = _conv_block(img_input, 32, alpha, strides=(2, 2))
    x = _depthwise_conv_block(x, 64, alpha, depth_multiplier, block_id=1)
    x = _depthwise_conv_block(x, 128, alpha, depth_multiplier, strides=(2, 2), block_id=2)
    x = _depthwise_conv_block(x, 128, alpha, depth_multiplier, block_id=3)
    x = _depthwise_conv_block(x, 256, alpha, depth_multiplier, strides=(2, 2), block_id=4)
    x = _depthwise_conv_block(x, 256, alpha, depth_multiplier, block_id=5)
    x = _depthwise_conv_block(x, 512, alpha, depth_multiplier, strides=(2, 2), block_id=6)
    for i in range(7, 12):
        x = _depthwise_conv_block(x, 512, alpha, depth_multiplier, block_id=i)
    x = _depthwise_conv_block(x, 1024, alpha, depth_multiplier, strides=(2, 2), block_id=12)
    x = _depthwise_conv_block(x, 1024, alpha, depth_multiplier, block_id=13)
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Dropout(dropout, name="dropout")(x)
        x = layers.Conv2D(classes, (1, 1), padding="same", name="conv_preds")(x)
        x = layers.Reshape((classes,), name="reshape_2")(x)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    else:
        x = _pool(x, pooling)
    # Keras names it after the width and the input rows (None when the size is open).
    return Model(img_input, x, name="mobilenet_%0.2f_%s" % (alpha, img_input.shape[1]))


def _inverted_res_block(inputs, expansion, stride, alpha, filters, block_id):
    in_channels = inputs.shape[-1]
    pointwise_filters = _make_divisible(int(filters * alpha), 8)
    x = inputs
    prefix = "block_" + str(block_id) + "_"
    if block_id:
        x = layers.Conv2D(expansion * in_channels, kernel_size=1, padding="same", use_bias=False, activation=None, name=prefix + "expand")(x)
        x = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name=prefix + "expand_BN")(x)
        x = layers.ReLU(6.0, name=prefix + "expand_relu")(x)
    else:
        prefix = "expanded_conv_"
    if stride == 2:
        x = layers.ZeroPadding2D(padding=correct_pad(x, 3), name=prefix + "pad")(x)
    x = layers.DepthwiseConv2D(kernel_size=3, strides=stride, activation=None, use_bias=False,
                               padding="same" if stride == 1 else "valid", name=prefix + "depthwise")(x)
    x = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name=prefix + "depthwise_BN")(x)
    x = layers.ReLU(6.0, name=prefix + "depthwise_relu")(x)
    x = layers.Conv2D(pointwise_filters, kernel_size=1, padding="same", use_bias=False, activation=None, name=prefix + "project")(x)
    x = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name=prefix + "project_BN")(x)
    if in_channels == pointwise_filters and stride == 1:
        return layers.Add(name=prefix + "add")([inputs, x])
    return x


def MobileNetV2(input_shape=None, alpha=1.0, include_top=True, weights="imagenet", input_tensor=None, pooling=None, classes=1000,
                classifier_activation="softmax", **kwargs):
    img_input = _inputs(input_tensor, input_shape, 224, include_top)
    first_block_filters = _make_divisible(32 * alpha, 8)
    x = layers.Conv2D(first_block_filters, kernel_size=3, strides=(2, 2), padding="same", use_bias=False, name="Conv1")(img_input)
    x = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name="bn_Conv1")(x)
    x = layers.ReLU(6.0, name="Conv1_relu")(x)
    rows = [(16, 1, 1, 0), (24, 2, 6, 1), (24, 1, 6, 2), (32, 2, 6, 3), (32, 1, 6, 4), (32, 1, 6, 5), (64, 2, 6, 6), (64, 1, 6, 7),
            (64, 1, 6, 8), (64, 1, 6, 9), (96, 1, 6, 10), (96, 1, 6, 11), (96, 1, 6, 12), (160, 2, 6, 13), (160, 1, 6, 14),
            (160, 1, 6, 15), (320, 1, 6, 16)]
    for filters, stride, expansion, block_id in rows:
        x = _inverted_res_block(x, filters=filters, alpha=alpha, stride=stride, expansion=expansion, block_id=block_id)
    last_block_filters = _make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    x = layers.Conv2D(last_block_filters, kernel_size=1, use_bias=False, name="Conv_1")(x)
    x = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name="Conv_1_bn")(x)
    x = layers.ReLU(6.0, name="out_relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D()(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _pool(x, pooling)
    return Model(img_input, x, name="mobilenetv2_%0.2f_%s" % (alpha, img_input.shape[1]))


def dense_block(x, blocks, name):
    for i in range(blocks):
        x = conv_block(x, 32, name=name + "_block" + str(i + 1))
    return x


def transition_block(x, reduction, name):
    x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name + "_bn")(x)
    x = layers.Activation("relu", name=name + "_relu")(x)
    x = layers.Conv2D(int(x.shape[3] * reduction), 1, use_bias=False, name=name + "_conv")(x)
    x = layers.AveragePooling2D(2, strides=2, name=name + "_pool")(x)
    return x


def conv_block(x, growth_rate, name):
    x1 = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name + "_0_bn")(x)
    x1 = layers.Activation("relu", name=name + "_0_relu")(x1)
    x1 = layers.Conv2D(4 * growth_rate, 1, use_bias=False, name=name + "_1_conv")(x1)
    x1 = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name + "_1_bn")(x1)
    x1 = layers.Activation("relu", name=name + "_1_relu")(x1)
    x1 = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False, name=name + "_2_conv")(x1)
    x = layers.Concatenate(axis=3, name=name + "_concat")([x, x1])
    return x


def _densenet(blocks, model_name, include_top, input_tensor, input_shape, pooling, classes, classifier_activation):
    img_input = _inputs(input_tensor, input_shape, 224, include_top)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1/conv")(x)
    x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name="conv1/bn")(x)
    x = layers.Activation("relu", name="conv1/relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    x = dense_block(x, blocks[0], name="conv2")
    x = transition_block(x, 0.5, name="pool2")
    x = dense_block(x, blocks[1], name="conv3")
    x = transition_block(x, 0.5, name="pool3")
    x = dense_block(x, blocks[2], name="conv4")
    x = transition_block(x, 0.5, name="pool4")
    x = dense_block(x, blocks[3], name="conv5")
    x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name="bn")(x)
    x = layers.Activation("relu", name="relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _pool(x, pooling, "avg_pool", "max_pool")
    return Model(img_input, x, name=model_name)


def DenseNet121(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax"):
    return _densenet([6, 12, 24, 16], "densenet121", include_top, input_tensor, input_shape, pooling, classes, classifier_activation)


def DenseNet169(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax"):
    return _densenet([6, 12, 32, 32], "densenet169", include_top, input_tensor, input_shape, pooling, classes, classifier_activation)


def DenseNet201(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax"):
    return _densenet([6, 12, 48, 32], "densenet201", include_top, input_tensor, input_shape, pooling, classes, classifier_activation)


_EFFICIENTNET_BLOCKS = [
    (3, 1, 32, 16, 1, 1), (3, 2, 16, 24, 6, 2), (5, 2, 24, 40, 6, 2), (3, 3, 40, 80, 6, 2),
    (5, 3, 80, 112, 6, 1), (5, 4, 112, 192, 6, 2), (3, 1, 192, 320, 6, 1),
]


def _efficientnet_block(inputs, activation, drop_rate, name, filters_in, filters_out, kernel_size, strides, expand_ratio, se_ratio):
    filters = filters_in * expand_ratio
    if expand_ratio != 1:
        x = layers.Conv2D(filters, 1, padding="same", use_bias=False, name=name + "expand_conv")(inputs)
        x = layers.BatchNormalization(axis=3, name=name + "expand_bn")(x)
        x = layers.Activation(activation, name=name + "expand_activation")(x)
    else:
        x = inputs
    if strides == 2:
        x = layers.ZeroPadding2D(padding=correct_pad(x, kernel_size), name=name + "dwconv_pad")(x)
        conv_pad = "valid"
    else:
        conv_pad = "same"
    x = layers.DepthwiseConv2D(kernel_size, strides=strides, padding=conv_pad, use_bias=False, name=name + "dwconv")(x)
    x = layers.BatchNormalization(axis=3, name=name + "bn")(x)
    x = layers.Activation(activation, name=name + "activation")(x)
    filters_se = max(1, int(filters_in * se_ratio))
    se = layers.GlobalAveragePooling2D(name=name + "se_squeeze")(x)
    se = layers.Reshape((1, 1, filters), name=name + "se_reshape")(se)
    se = layers.Conv2D(filters_se, 1, padding="same", activation=activation, name=name + "se_reduce")(se)
    se = layers.Conv2D(filters, 1, padding="same", activation="sigmoid", name=name + "se_expand")(se)
    x = layers.Multiply(name=name + "se_excite")([x, se])
    x = layers.Conv2D(filters_out, 1, padding="same", use_bias=False, name=name + "project_conv")(x)
    x = layers.BatchNormalization(axis=3, name=name + "project_bn")(x)
    if strides == 1 and filters_in == filters_out:
        if drop_rate > 0:
            x = layers.Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=name + "drop")(x)
        x = layers.Add(name=name + "add")([x, inputs])
    return x


def _efficientnet(width_coefficient, depth_coefficient, default_size, dropout_rate, model_name, include_top, weights, input_tensor,
                  input_shape, pooling, classes, classifier_activation, drop_connect_rate=0.2, depth_divisor=8, activation="swish"):
    def round_filters(filters):
        filters = filters * width_coefficient
        new_filters = max(depth_divisor, int(filters + depth_divisor / 2) // depth_divisor * depth_divisor)
        if new_filters < 0.9 * filters:
            new_filters += depth_divisor
        return int(new_filters)

    def round_repeats(repeats):
        return int(math.ceil(depth_coefficient * repeats))

    img_input = _inputs(input_tensor, input_shape, default_size, include_top)
    x = layers.Rescaling(1.0 / 255.0)(img_input)
    x = layers.Normalization(axis=3)(x)
    if weights == "imagenet":
        x = layers.Rescaling([1.0 / math.sqrt(s) for s in [0.229 ** 2, 0.224 ** 2, 0.225 ** 2]])(x)
    x = layers.ZeroPadding2D(padding=correct_pad(x, 3), name="stem_conv_pad")(x)
    x = layers.Conv2D(round_filters(32), 3, strides=2, padding="valid", use_bias=False, name="stem_conv")(x)
    x = layers.BatchNormalization(axis=3, name="stem_bn")(x)
    x = layers.Activation(activation, name="stem_activation")(x)
    b = 0
    blocks = float(sum([round_repeats(r[1]) for r in _EFFICIENTNET_BLOCKS]))
    for i, (kernel_size, repeats, filters_in, filters_out, expand_ratio, strides) in enumerate(_EFFICIENTNET_BLOCKS):
        filters_in = round_filters(filters_in)
        filters_out = round_filters(filters_out)
        for j in range(round_repeats(repeats)):
            if j > 0:
                strides = 1
                filters_in = filters_out
            x = _efficientnet_block(x, activation, drop_connect_rate * b / blocks, "block" + str(i + 1) + "abcdefghijklmnopqrstuvwxyz"[j] + "_",
                                    filters_in, filters_out, kernel_size, strides, expand_ratio, 0.25)
            b += 1
    x = layers.Conv2D(round_filters(1280), 1, padding="same", use_bias=False, name="top_conv")(x)
    x = layers.BatchNormalization(axis=3, name="top_bn")(x)
    x = layers.Activation(activation, name="top_activation")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _pool(x, pooling, "avg_pool", "max_pool")
    return Model(img_input, x, name=model_name)


def EfficientNetB0(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", **kwargs):
    return _efficientnet(1.0, 1.0, 224, 0.2, "efficientnetb0", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def EfficientNetB1(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", **kwargs):
    return _efficientnet(1.0, 1.1, 240, 0.2, "efficientnetb1", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def EfficientNetB2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", **kwargs):
    return _efficientnet(1.1, 1.2, 260, 0.3, "efficientnetb2", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def EfficientNetB3(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", **kwargs):
    return _efficientnet(1.2, 1.4, 300, 0.3, "efficientnetb3", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def EfficientNetB4(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", **kwargs):
    return _efficientnet(1.4, 1.8, 380, 0.4, "efficientnetb4", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def EfficientNetB5(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", **kwargs):
    return _efficientnet(1.6, 2.2, 456, 0.4, "efficientnetb5", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def EfficientNetB6(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", **kwargs):
    return _efficientnet(1.8, 2.6, 528, 0.5, "efficientnetb6", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def EfficientNetB7(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", **kwargs):
    return _efficientnet(2.0, 3.1, 600, 0.5, "efficientnetb7", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation)
${FORWARDERS}

def preprocess_input(x, data_format=None):
    return x
${PREPROCESS_TF_MODE.replace('def preprocess_input', 'def _preprocess_tf')}

${PREPROCESS_CAFFE_TORCH}

def _imagenet_preprocess(x, data_format=None, mode="caffe"):
    if mode == "tf":
        return _preprocess_tf(x)
    if mode == "torch":
        return _preprocess_torch(x, data_format)
    return _preprocess_caffe(x, data_format)


class imagenet_utils:
    preprocess_input = _imagenet_preprocess
${NAMESPACES}`;
