// tensorflow_model_optimization.sparsity.keras (TF Model Optimization, pruning) as a Python stub
// over keras.layers, written for TensorLens after the published tfmot definitions
// (sparsity/keras/pruning_wrapper.py, prune_registry.py), for what the pruned model's summary
// shows: prune_low_magnitude wraps every layer in a PruneLowMagnitude wrapper named
// `prune_low_magnitude_<layer>`, which keeps the layer's weights and adds non-trainable ones: a
// mask of each prunable weight's shape and a scalar threshold per prunable weight, and one scalar
// pruning_step. Prunable weights (prune_registry.py): Dense / Conv* / LocallyConnected* `kernel`,
// DepthwiseConv2D `depthwise_kernel`, SeparableConv* `pointwise_kernel`, Embedding `embeddings`.
// A Sequential is rebuilt layer by layer; other models are left as they are (not modelled).

import type { StubModule } from '../../../eval/modules';

const SOURCE = `
import keras

_KERNEL = ("Dense", "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose", "LocallyConnected1D", "LocallyConnected2D")


def _prunable_weights(layer):
    name = type(layer).__name__
    if name in _KERNEL:
        return [layer.kernel]
    if name == "DepthwiseConv2D":
        return [layer.depthwise_kernel]
    if name in ("SeparableConv1D", "SeparableConv2D"):
        return [layer.pointwise_kernel]
    if name == "Embedding":
        return [layer.embeddings]
    return []


class PruneLowMagnitude(keras.layers.Wrapper):
    def __init__(self, layer, pruning_schedule=None, block_size=(1, 1), block_pooling_type="AVG", **kwargs):
        if "name" not in kwargs:
            kwargs["name"] = "prune_low_magnitude_" + layer.name
        super().__init__(layer, **kwargs)

    def build(self, input_shape):
        self.layer.build(input_shape)
        for weight in _prunable_weights(self.layer):
            self.add_weight(name="mask", shape=tuple(weight.shape), initializer="ones", trainable=False)
            self.add_weight(name="threshold", shape=[], initializer="zeros", trainable=False)
        self.pruning_step = self.add_weight(name="pruning_step", shape=[], initializer="zeros", dtype="int64", trainable=False)

    def call(self, inputs, training=None):
        return self.layer(inputs)


def prune_low_magnitude(to_prune, pruning_schedule=None, block_size=(1, 1), block_pooling_type="AVG", pruning_policy=None, sparsity_m_by_n=None, **kwargs):
    if isinstance(to_prune, keras.Sequential):
        return keras.Sequential([keras.Input(batch_shape=to_prune.input_shape)] + [PruneLowMagnitude(l) for l in to_prune.layers])
    if isinstance(to_prune, keras.Model):
        return to_prune
    return PruneLowMagnitude(to_prune, pruning_schedule=pruning_schedule, block_size=block_size, block_pooling_type=block_pooling_type, **kwargs)


def strip_pruning(model):
    return model


class UpdatePruningStep(keras.callbacks.Callback):
    pass


class PruningSummaries(keras.callbacks.Callback):
    def __init__(self, log_dir=None, update_freq="epoch", **kwargs):
        pass


class PolynomialDecay:
    def __init__(self, initial_sparsity, final_sparsity, begin_step, end_step, power=3, frequency=100):
        pass


class ConstantSparsity:
    def __init__(self, target_sparsity, begin_step, end_step=-1, frequency=100):
        pass
`;

/** tensorflow_model_optimization.sparsity.keras (`tfmot.sparsity.keras.prune_low_magnitude`). */
export const TFMOT_SPARSITY: StubModule = {
  module: 'tensorflow_model_optimization.sparsity.keras',
  source: SOURCE,
};
