// Keras 3 / tf.keras model code the r14 probe got wrong. Figures are from Keras' documented
// weight shapes and output-shape rules (cited per test), never from the engine's own output.
import { describe, expect, it } from 'vitest';
import { kerasSummaries } from './model-summaries';

const { model, models, rows } = kerasSummaries();

describe('Layer.from_config(layer.get_config())', () => {
  // keras/src/layers/layer.py: get_config() gives {name, trainable, dtype} (a built-in layer adds
  // its constructor arguments); from_config is the classmethod `cls(**config)`.
  it('rebuilds a custom layer from its config: same name, same arguments, same weights', () => {
    const m = model(`
      import tensorflow as tf
      from tensorflow import keras
      from tensorflow.keras import layers

      class LowRank(layers.Layer):
          def __init__(self, units, rank=4, **kwargs):
              super().__init__(**kwargs)
              self.units = units
              self.rank = rank

          def build(self, input_shape):
              self.u = self.add_weight(name="u", shape=(input_shape[-1], self.rank))
              self.v = self.add_weight(name="v", shape=(self.rank, self.units))
              self.ema = self.add_weight(name="ema", shape=(self.units,), trainable=False)

          def call(self, x):
              return tf.matmul(tf.matmul(x, self.u), self.v)

          def get_config(self):
              config = super().get_config()
              config.update({"units": self.units, "rank": self.rank})
              return config

      clone = LowRank.from_config(LowRank(5, rank=3, name="low").get_config())
      x = keras.Input(shape=(7,))
      m = keras.Model(x, clone(x))
    `, 'm');
    // u (7, 3) + v (3, 5) trainable, ema (5,) not: 21 + 15 + 5
    expect(rows(m)).toEqual([['low', [null, 5], 41]]);
    expect([m.total_params, m.trainable_params]).toEqual([41, 36]);
  });

  it('rebuilds a built-in layer with its arguments, and a subclassed model from its own get_config', () => {
    const src = `
      import keras
      from keras import layers

      d = layers.Dense(7, use_bias=False, name="d1")
      d2 = layers.Dense.from_config(d.get_config())
      cfg = layers.Conv2D(4, 3, strides=2).get_config()
      cfg["name"] = "c_copy"
      c2 = layers.Conv2D.from_config(cfg)
      x = keras.Input(shape=(8, 8, 3))
      m = keras.Model(x, d2(layers.Flatten()(c2(x))))

      class Head(keras.Model):
          def __init__(self, units=3, **kwargs):
              super().__init__(**kwargs)
              self.units = units
              self.out = layers.Dense(units)

          def call(self, x):
              return self.out(x)

          def get_config(self):
              return {"units": self.units}

      head = Head.from_config(Head(5).get_config())
      head.build((None, 4))
    `;
    // Conv2D 3x3 stride 2 valid on 8: (8 - 3) // 2 + 1 = 3, 3*3*3*4 + 4 = 112; Flatten 3*3*4 = 36;
    // Dense 36 -> 7 without bias = 252.
    expect(rows(model(src, 'm'))).toEqual([
      ['c_copy', [null, 3, 3, 4], 112],
      ['flatten', [null, 36], 0],
      ['d1', [null, 7], 252],
    ]);
    // Head(units=5): Dense 4 -> 5 = 25
    expect(model(src, 'head').total_params).toBe(25);
  });
});

describe('keras.Model with a dict of inputs', () => {
  // Keras flattens a nested structure with tree.flatten, dict keys sorted: model.inputs of
  // keras.Model(inputs={"income": ..., "history": ..., "age": ...}) are age, history, income.
  it('orders its inputs by key, and a dict call matches them by key', () => {
    const src = `
      from tensorflow import keras
      from tensorflow.keras import layers

      feats = {"income": keras.Input(shape=(1,)), "history": keras.Input(shape=(12, 3)), "age": keras.Input(shape=(2,))}
      h = layers.GlobalMaxPooling1D()(layers.Conv1D(4, 3)(feats["history"]))
      x = layers.Concatenate()([feats["age"], feats["income"], h])
      inner = keras.Model(inputs=feats, outputs=layers.Dense(1)(x))

      a = keras.Input(shape=(2,))
      hist = keras.Input(shape=(12, 3))
      inc = keras.Input(shape=(1,))
      outer = keras.Model([a, hist, inc], inner({"history": hist, "income": inc, "age": a}))
    `;
    const inner = model(src, 'inner');
    expect(inner.input_shapes).toEqual([[null, 2], [null, 12, 3], [null, 1]]);
    // Conv1D k3 on (12, 3): 10 steps, 3*3*4 + 4 = 40; concat 2 + 1 + 4 = 7; Dense 7 -> 1 = 8
    expect(inner.total_params).toBe(48);
    expect(model(src, 'outer').output_shape).toEqual([null, 1]);
    expect(models(src).find((m) => m.name === 'outer')!.total_params).toBe(48);
  });
});

describe('keras.Model with a dict of outputs', () => {
  // model.outputs is tree.flatten(outputs): a dict's values by sorted key, whatever the
  // order the dict was written in.
  it('gives its output shapes in sorted-key order', () => {
    const m = model(`
      import keras
      from keras import layers

      img = keras.Input(shape=(16, 16, 3))
      trunk = layers.GlobalAveragePooling2D()(layers.Conv2D(8, 3)(img))
      heads = {"score": layers.Dense(1)(trunk), "box": layers.Dense(4)(trunk), "label": layers.Dense(5)(trunk)}
      m = keras.Model(img, heads)
    `, 'm');
    expect(m.output_shape).toEqual([[null, 4], [null, 5], [null, 1]]);
    // Conv2D 3*3*3*8 + 8 = 224; Dense 8 -> 1, 4, 5: 9 + 36 + 45
    expect(m.total_params).toBe(224 + 9 + 36 + 45);
  });
});

describe('a layer a subclassed model never calls', () => {
  // Keras builds a layer on its first call: one call() never uses holds no weights, and
  // model.summary() lists it as "0 (unbuilt)".
  it('has 0 parameters in its row, as in the total', () => {
    const m = model(`
      import keras
      from keras import layers

      class Tower(keras.Model):
          def __init__(self):
              super().__init__()
              self.blocks = [layers.Dense(32, activation="relu") for _ in range(2)]
              self.norms = {"pre": layers.LayerNormalization(), "post": layers.LayerNormalization()}
              self.head = layers.Dense(2)

          def call(self, x):
              for blk in self.blocks:
                  x = blk(x)
              return self.head(self.norms["pre"](x))

      tower = Tower()
      tower.build((None, 20))
    `, 'tower');
    // Dense 20 -> 32 = 672, 32 -> 32 = 1056, LayerNormalization(32) = 64, Dense 32 -> 2 = 66
    expect(rows(m)).toEqual([
      ['dense', [null, 32], 672],
      ['dense_1', [null, 32], 1056],
      ['layer_normalization', [null, 32], 64],
      ['layer_normalization_1', null, 0],
      ['dense_2', [null, 2], 66],
    ]);
    expect(m.total_params).toBe(672 + 1056 + 64 + 66);
  });
});

describe('keras.Model with nested list inputs', () => {
  // Keras flattens the inputs structure (nest.flatten / tree.flatten): Model([p1, [p2, p3]], ...)
  // has three inputs, and a call on [x1, [x2, x3]] maps them in that flattened order.
  it('is called as a layer on the same nested structure', () => {
    const m = model(`
      from tensorflow import keras
      from tensorflow.keras import layers

      p1, p2, p3 = keras.Input(shape=(4,)), keras.Input(shape=(5,)), keras.Input(shape=(6,))
      inner = keras.Model([p1, [p2, p3]], layers.Concatenate()([p1, p2, p3]), name="inner")
      x1, x2, x3 = keras.Input(shape=(4,)), keras.Input(shape=(5,)), keras.Input(shape=(6,))
      outer = keras.Model([x1, x2, x3], layers.Dense(1)(inner([x1, [x2, x3]])))
    `, 'outer');
    // concat 4 + 5 + 6 = 15; Dense 15 -> 1 = 16
    expect(rows(m)).toEqual([['inner', [null, 15], 0], ['dense', [null, 1], 16]]);
  });
});

describe('a custom layer returning a dict of tensors', () => {
  // The layer's call is one node of the functional graph (its Dense sub-layers are not layers of
  // the model); its row shows its first output in flatten order (sorted keys: "y").
  it('is one row with its sub-layers\' weights, also when its model is called as a layer', () => {
    const src = `
      import keras
      from keras import layers

      class TwoHeads(layers.Layer):
          def __init__(self, **kwargs):
              super().__init__(**kwargs)
              self.z_head = layers.Dense(3)
              self.y_head = layers.Dense(2)

          def call(self, x):
              return {"z": self.z_head(x), "y": self.y_head(x)}

      feat = keras.Input(shape=(6,))
      out = TwoHeads()(feat)
      m = keras.Model(feat, [out["y"], out["z"]], name="heads_model")
      i2 = keras.Input(shape=(6,))
      outer = keras.Model(i2, layers.Concatenate()(m(i2)))
    `;
    // Dense 6 -> 3 = 21, 6 -> 2 = 14
    expect(rows(model(src, 'm'))).toEqual([['two_heads', [null, 2], 35]]);
    expect(model(src, 'm').output_shape).toEqual([[null, 2], [null, 3]]);
    expect(rows(model(src, 'outer'))).toEqual([['heads_model', [null, 2], 35], ['concatenate', [null, 5], 0]]);
  });
});

describe('keras.layers.MelSpectrogram', () => {
  // keras/src/layers/preprocessing/mel_spectrogram.py compute_output_shape: (batch, samples) ->
  // (batch, num_mel_bins, (samples + sequence_stride + 1) // sequence_stride); no weights. Its
  // docstring example: 16000 samples, stride 256 -> 63 frames.
  it('gives (batch, num_mel_bins, frames) and no weights', () => {
    const m = model(`
      import keras
      from keras import layers

      audio = keras.Input(shape=(16000,))
      spec = layers.MelSpectrogram(num_mel_bins=64, sampling_rate=8000, sequence_stride=256, fft_length=2048)(audio)
      spec = layers.Reshape((64, -1, 1))(spec)
      m = keras.Model(audio, layers.Conv2D(4, 3)(spec))
    `, 'm');
    // Conv2D 3x3 valid on (64, 63, 1): (62, 61, 4), 9*4 + 4 = 40
    expect(rows(m)).toEqual([
      ['mel_spectrogram', [null, 64, 63], 0],
      ['reshape', [null, 64, 63, 1], 0],
      ['conv2d', [null, 62, 61, 4], 40],
    ]);
  });
});

describe('keras.layers.STFTSpectrogram', () => {
  // keras/src/layers/preprocessing/stft_spectrogram.py: a Conv1D over time (kernel frame_length,
  // stride frame_step) with kernels real_kernel / imag_kernel of shape (frame_length, 1,
  // fft_length // 2 + 1). Its docstring examples on 160000 samples, frame 256, step 128, fft 512:
  // valid -> (1249, 257); same on 2 channels -> (1250, 514); expand_dims on 3 -> (1250, 257, 3).
  it('gives the documented shapes and 2 * frame_length * (fft_length // 2 + 1) weights', () => {
    const src = `
      import keras
      from keras import layers

      a = keras.Input(shape=(160000, 1))
      m1 = keras.Model(a, layers.STFTSpectrogram(frame_length=256, frame_step=128, fft_length=512, trainable=False)(a))
      b = keras.Input(shape=(160000, 2))
      m2 = keras.Model(b, layers.STFTSpectrogram(frame_length=256, frame_step=128, fft_length=512, padding="same")(b))
      c = keras.Input(shape=(160000, 3))
      m3 = keras.Model(c, layers.STFTSpectrogram(frame_length=256, frame_step=128, fft_length=512, padding="same", expand_dims=True)(c))
      d = keras.Input(shape=(1000, 1))
      m4 = keras.Model(d, layers.STFTSpectrogram(mode="real", frame_length=100)(d))
    `;
    const k = 2 * 256 * 257;
    expect(rows(model(src, 'm1'))).toEqual([['stft_spectrogram', [null, 1249, 257], k]]);
    expect(model(src, 'm1').trainable_params).toBe(0);
    expect(rows(model(src, 'm2'))).toEqual([['stft_spectrogram_1', [null, 1250, 514], k]]);
    expect(rows(model(src, 'm3'))).toEqual([['stft_spectrogram_2', [null, 1250, 257, 3], k]]);
    // frame 100: step 50, fft 128 (65 bins); (1000 - 100) // 50 + 1 = 19 frames; one kernel 100*65
    expect(rows(model(src, 'm4'))).toEqual([['stft_spectrogram_3', [null, 19, 65], 6500]]);
  });
});

describe('keras.applications preprocess_input on a Keras tensor', () => {
  // keras/src/applications/imagenet_utils.py _preprocess_tensor_input, mode "tf" (MobileNet,
  // MobileNetV2, ResNetV2, Xception, InceptionV3, InceptionResNetV2, NASNet): x /= 127.5;
  // x -= 1.0. EfficientNet's preprocess_input passes its input through.
  it('is two operation nodes in Keras 3 (true_divide, subtract)', () => {
    const m = model(`
      import keras
      from keras import layers
      from keras.applications.xception import preprocess_input as xception_pre

      inputs = keras.Input(shape=(32, 32, 3))
      x = keras.applications.mobilenet_v2.preprocess_input(inputs)
      x = xception_pre(x)
      x = keras.applications.efficientnet.preprocess_input(x)
      m = keras.Model(inputs, layers.Conv2D(4, 3)(x))
    `, 'm');
    // Conv2D 3x3 valid: 30, 3*3*3*4 + 4 = 112
    expect(m.layers.map((l) => [l.path, l.type, l.output_shape, l.params])).toEqual([
      ['true_divide', 'TrueDivide', [null, 32, 32, 3], 0],
      ['subtract', 'Subtract', [null, 32, 32, 3], 0],
      ['true_divide_1', 'TrueDivide', [null, 32, 32, 3], 0],
      ['subtract_1', 'Subtract', [null, 32, 32, 3], 0],
      ['conv2d', 'Conv2D', [null, 30, 30, 4], 112],
    ]);
  });

  it('is two TFOpLambda layers in tf.keras, also when imported from the submodule', () => {
    // The TF transfer-learning tutorial's summary lists tf.math.truediv and tf.math.subtract
    // (TFOpLambda) before mobilenetv2_1.00_160.
    const m = model(`
      import tensorflow as tf
      from tensorflow.keras.applications.mobilenet_v2 import preprocess_input

      inputs = tf.keras.Input(shape=(32, 32, 3))
      x = preprocess_input(inputs)
      m = tf.keras.Model(inputs, tf.keras.layers.Conv2D(4, 3)(x))
    `, 'm');
    expect(m.layers.map((l) => [l.path, l.type])).toEqual([
      ['tf.math.truediv', 'TFOpLambda'],
      ['tf.math.subtract', 'TFOpLambda'],
      ['conv2d', 'Conv2D'],
    ]);
  });

  it('is modelled for imagenet_utils.preprocess_input(x, mode="tf")', () => {
    const m = model(`
      import keras
      from keras.applications import imagenet_utils

      inputs = keras.Input(shape=(32, 32, 3))
      x = imagenet_utils.preprocess_input(inputs, mode="tf")
      m = keras.Model(inputs, keras.layers.Conv2D(2, 3)(x))
    `, 'm');
    // Conv2D 3x3 valid on 32: 30, 3*3*3*2 + 2 = 56
    expect(rows(m)).toEqual([
      ['true_divide', [null, 32, 32, 3], 0],
      ['subtract', [null, 32, 32, 3], 0],
      ['conv2d', [null, 30, 30, 2], 56],
    ]);
  });

  // Modes "caffe" (VGG, ResNet: RGB -> BGR, minus the ImageNet means) and "torch" (DenseNet: / 255,
  // minus mean, / std). tf.keras (_preprocess_symbolic_input): x[..., ::-1] and backend.bias_add,
  // which is tf.nn.bias_add (a TFOpLambda of that name); Keras 3 (_preprocess_tensor_input):
  // ops.stack of the three channel slices, x += the negated means, x /= the stds.
  it('models the caffe and torch modes in tf.keras', () => {
    const m = model(`
      import tensorflow as tf
      from tensorflow.keras.applications.vgg16 import preprocess_input as vgg_pre

      inputs = tf.keras.Input(shape=(32, 32, 3))
      x = vgg_pre(inputs)
      x = tf.keras.applications.densenet.preprocess_input(x)
      m = tf.keras.Model(inputs, tf.keras.layers.Conv2D(2, 3)(x))
    `, 'm');
    expect(m.layers.map((l) => [l.path, l.type, l.output_shape])).toEqual([
      ['tf.__operators__.getitem', 'SlicingOpLambda', [null, 32, 32, 3]],
      ['tf.nn.bias_add', 'TFOpLambda', [null, 32, 32, 3]],
      ['tf.math.truediv', 'TFOpLambda', [null, 32, 32, 3]],
      ['tf.nn.bias_add_1', 'TFOpLambda', [null, 32, 32, 3]],
      ['tf.math.truediv_1', 'TFOpLambda', [null, 32, 32, 3]],
      ['conv2d', 'Conv2D', [null, 30, 30, 2]],
    ]);
  });

  it('models the caffe mode in Keras 3', () => {
    const m = model(`
      import keras

      inputs = keras.Input(shape=(32, 32, 3))
      x = keras.applications.resnet50.preprocess_input(inputs)
      m = keras.Model(inputs, keras.layers.Conv2D(2, 3)(x))
    `, 'm');
    expect(m.layers.map((l) => [l.path, l.type, l.output_shape])).toEqual([
      ['get_item', 'GetItem', [null, 32, 32]],
      ['get_item_1', 'GetItem', [null, 32, 32]],
      ['get_item_2', 'GetItem', [null, 32, 32]],
      ['stack', 'Stack', [null, 32, 32, 3]],
      ['add', 'Add', [null, 32, 32, 3]],
      ['conv2d', 'Conv2D', [null, 30, 30, 2]],
    ]);
  });
});
