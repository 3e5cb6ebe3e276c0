// keras_hub.layers (formerly keras_nlp.layers) as a Python stub over keras.layers, written for
// TensorLens after the published KerasHub definitions (keras_hub/src/layers/modeling/*.py), for
// what a model's shapes and weights depend on: every sub-layer has the name KerasHub gives it and
// is built from the input shape as KerasHub's build() does. Masks, caches and initializers do not
// change shapes or weights and are not modelled.
//
// - TransformerEncoder / TransformerDecoder: MultiHeadAttention with key_dim = hidden // num_heads
//   (cross-attention only when the decoder is first called with an encoder sequence), two (three)
//   LayerNormalization, Dense(intermediate_dim) and Dense(hidden); the output has the input's shape.
// - FNetEncoder: Fourier mixing (no weights), two LayerNormalization and the same feed-forward.
// - TokenAndPositionEmbedding: ReversibleEmbedding (vocabulary, dim; a second (dim, vocabulary)
//   matrix when tie_weights=False) + PositionEmbedding (sequence_length, dim), summed.
// - PositionEmbedding: a (sequence_length, features) weight; SinePositionEncoding and RotaryEmbedding
//   have none; all three keep the input's shape.
// - MaskedLMHead: the encoded tokens gathered at mask_positions, Dense(features) + LayerNormalization,
//   then logits over the vocabulary: its own (features, vocabulary) kernel, or the token embedding's
//   transpose when one is given, + a (vocabulary,) bias: (batch, masks, vocabulary).

import type { StubModule } from '../../../eval/modules';
import { KERAS_LAYER_STUB_PRELUDE } from '../keras/layer-stub-prelude';

const SOURCE = `${KERAS_LAYER_STUB_PRELUDE}

def _residual(x, norm, body, normalize_first):
    # A transformer sub-block as KerasHub writes it: norm before (pre-LN) or after (post-LN) body + residual.
    residual = x
    if normalize_first:
        x = norm(x)
    x = body(x) + residual
    if not normalize_first:
        x = norm(x)
    return x


class ReversibleEmbedding(keras.layers.Embedding):
    def __init__(self, input_dim, output_dim, tie_weights=True, embeddings_initializer="uniform", embeddings_regularizer=None,
                 embeddings_constraint=None, mask_zero=False, reverse_dtype=None, logit_soft_cap=None, **kwargs):
        super().__init__(input_dim, output_dim, embeddings_initializer=embeddings_initializer, embeddings_regularizer=embeddings_regularizer,
                         embeddings_constraint=embeddings_constraint, mask_zero=mask_zero, **kwargs)
        self.tie_weights = tie_weights

    def build(self, inputs_shape=None):
        super().build(inputs_shape)
        if not self.tie_weights:
            self.reverse_embeddings = self.add_weight(name="reverse_embeddings", shape=(self.output_dim, self.input_dim))

    def call(self, inputs, reverse=False):
        if reverse:
            kernel = ops.transpose(self.embeddings) if self.tie_weights else self.reverse_embeddings
            return ops.matmul(inputs, kernel)
        return super().call(inputs)


class PositionEmbedding(keras.layers.Layer):
    def __init__(self, sequence_length, initializer="glorot_uniform", **kwargs):
        super().__init__(**kwargs)
        self.sequence_length = int(sequence_length)

    def build(self, inputs_shape):
        feature_size = inputs_shape[-1]
        self.position_embeddings = self.add_weight(name="embeddings", shape=[self.sequence_length, feature_size])

    def call(self, inputs, start_index=0, positions=None):
        return ops.broadcast_to(self.position_embeddings[None, : ops.shape(inputs)[-2], :], ops.shape(inputs))


class SinePositionEncoding(keras.layers.Layer):
    def __init__(self, max_wavelength=10000, **kwargs):
        super().__init__(**kwargs)
        self.max_wavelength = max_wavelength

    def call(self, inputs, start_index=0):
        return ops.zeros_like(inputs)


class RotaryEmbedding(keras.layers.Layer):
    def __init__(self, max_wavelength=10000, scaling_factor=1.0, sequence_axis=1, feature_axis=-1, **kwargs):
        super().__init__(**kwargs)

    def call(self, inputs, start_index=0, positions=None):
        return inputs * 1.0


class TokenAndPositionEmbedding(keras.layers.Layer):
    def __init__(self, vocabulary_size, sequence_length, embedding_dim, tie_weights=True, embeddings_initializer="uniform",
                 mask_zero=False, **kwargs):
        super().__init__(**kwargs)
        self.token_embedding = ReversibleEmbedding(vocabulary_size, embedding_dim, tie_weights=tie_weights, mask_zero=mask_zero,
                                                   name="token_embedding")
        self.position_embedding = PositionEmbedding(sequence_length=sequence_length, name="position_embedding")

    def call(self, inputs, start_index=0):
        embedded_tokens = self.token_embedding(inputs)
        embedded_positions = self.position_embedding(embedded_tokens, start_index=start_index)
        return embedded_tokens + embedded_positions


class _TransformerLayer(keras.layers.Layer):
    # What TransformerEncoder and TransformerDecoder share: their arguments, the self-attention
    # sub-block (MultiHeadAttention, LayerNormalization, Dropout) and the feed-forward one.
    def __init__(self, intermediate_dim, num_heads, dropout=0, activation="relu", layer_norm_epsilon=1e-05,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", normalize_first=False, **kwargs):
        super().__init__(**kwargs)
        self.intermediate_dim = intermediate_dim
        self.num_heads = num_heads
        self.dropout = dropout
        self.activation = activation
        self.layer_norm_epsilon = layer_norm_epsilon
        self.normalize_first = normalize_first

    def _build_self_attention(self, hidden_dim, name):
        head_dim = int(hidden_dim // self.num_heads)
        if head_dim == 0:
            raise ValueError("Attention head_dim computed cannot be zero: hidden_dim must be >= num_heads.")
        self._self_attention_layer = keras.layers.MultiHeadAttention(num_heads=self.num_heads, key_dim=head_dim, dropout=self.dropout, name=name)
        self._self_attention_layer_norm = keras.layers.LayerNormalization(epsilon=self.layer_norm_epsilon, name="self_attention_layer_norm")
        self._self_attention_dropout = keras.layers.Dropout(rate=self.dropout, name="self_attention_dropout")
        return head_dim

    def _build_feedforward(self, hidden_dim):
        self._feedforward_layer_norm = keras.layers.LayerNormalization(epsilon=self.layer_norm_epsilon, name="feedforward_layer_norm")
        self._feedforward_intermediate_dense = keras.layers.Dense(self.intermediate_dim, activation=self.activation,
                                                                  name="feedforward_intermediate_dense")
        self._feedforward_output_dense = keras.layers.Dense(hidden_dim, name="feedforward_output_dense")
        self._feedforward_dropout = keras.layers.Dropout(rate=self.dropout, name="feedforward_dropout")

    def _self_attention(self, x, training):
        return _residual(x, self._self_attention_layer_norm, lambda y: self._self_attention_dropout(
            self._self_attention_layer(query=y, value=y, training=training), training=training), self.normalize_first)

    def _feedforward(self, x, training):
        return _residual(x, self._feedforward_layer_norm, lambda y: self._feedforward_dropout(
            self._feedforward_output_dense(self._feedforward_intermediate_dense(y)), training=training), self.normalize_first)


class TransformerEncoder(_TransformerLayer):
    def build(self, inputs_shape):
        hidden_dim = inputs_shape[-1]
        self._build_self_attention(hidden_dim, "self_attention_layer")
        self._build_feedforward(hidden_dim)

    def call(self, inputs, padding_mask=None, attention_mask=None, training=None, return_attention_scores=False):
        return self._feedforward(self._self_attention(inputs, training), training)


class TransformerDecoder(_TransformerLayer):
    def build(self, decoder_sequence_shape, encoder_sequence_shape=None):
        hidden_dim = decoder_sequence_shape[-1]
        head_dim = self._build_self_attention(hidden_dim, "self_attention")
        self._cross_attention_layer = None
        if encoder_sequence_shape:
            self._cross_attention_layer = keras.layers.MultiHeadAttention(num_heads=self.num_heads, key_dim=head_dim, value_dim=head_dim,
                                                                          dropout=self.dropout, name="cross_attention")
            self._cross_attention_layer_norm = keras.layers.LayerNormalization(epsilon=self.layer_norm_epsilon, name="cross_attention_layer_norm")
            self._cross_attention_dropout = keras.layers.Dropout(rate=self.dropout, name="cross_attention_dropout")
        self._build_feedforward(hidden_dim)

    def call(self, decoder_sequence, encoder_sequence=None, decoder_padding_mask=None, decoder_attention_mask=None,
             encoder_padding_mask=None, encoder_attention_mask=None, self_attention_cache=None, self_attention_cache_update_index=None,
             cross_attention_cache=None, cross_attention_cache_update_index=None, use_causal_mask=True, training=None):
        x = self._self_attention(decoder_sequence, training)
        if self._cross_attention_layer is not None and encoder_sequence is not None:
            x = _residual(x, self._cross_attention_layer_norm, lambda y: self._cross_attention_dropout(
                self._cross_attention_layer(query=y, value=encoder_sequence, training=training), training=training), self.normalize_first)
        return self._feedforward(x, training)


class MaskedLMHead(keras.layers.Layer):
    def __init__(self, vocabulary_size=None, token_embedding=None, intermediate_activation="relu", activation=None,
                 layer_norm_epsilon=1e-05, kernel_initializer="glorot_uniform", bias_initializer="zeros", **kwargs):
        super().__init__(**kwargs)
        self.vocabulary_size = vocabulary_size
        self.token_embedding = token_embedding
        self.intermediate_activation = intermediate_activation
        self.activation = activation
        self.layer_norm_epsilon = layer_norm_epsilon
        if token_embedding is not None:
            self.vocabulary_size = token_embedding.input_dim

    def build(self, inputs_shape, mask_positions_shape=None):
        if self.token_embedding is not None:
            feature_size = self.token_embedding.output_dim
        else:
            feature_size = inputs_shape[-1]
        self._intermediate_dense = keras.layers.Dense(feature_size, activation=self.intermediate_activation, name="intermediate_dense")
        self._intermediate_layer_norm = keras.layers.LayerNormalization(epsilon=self.layer_norm_epsilon, name="intermediate_layer_norm")
        if self.token_embedding is None:
            self._kernel = self.add_weight(name="output_kernel", shape=[feature_size, self.vocabulary_size])
        self._bias = self.add_weight(name="output_bias", shape=[self.vocabulary_size])

    def call(self, inputs, mask_positions):
        x = ops.take_along_axis(inputs, ops.expand_dims(mask_positions, axis=-1), axis=1)
        x = self._intermediate_dense(x)
        x = self._intermediate_layer_norm(x)
        if self.token_embedding is not None:
            outputs = self.token_embedding(x, reverse=True)
        else:
            outputs = ops.matmul(x, self._kernel)
        return outputs + self._bias


class FNetEncoder(keras.layers.Layer):
    def __init__(self, intermediate_dim, dropout=0, activation="relu", layer_norm_epsilon=1e-5, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", **kwargs):
        super().__init__(**kwargs)
        self.intermediate_dim = intermediate_dim
        self.dropout = dropout
        self.activation = activation
        self.layer_norm_epsilon = layer_norm_epsilon

    def build(self, inputs_shape):
        feature_size = inputs_shape[-1]
        self._mixing_layer_norm = keras.layers.LayerNormalization(epsilon=self.layer_norm_epsilon, name="mixing_layer_norm")
        self._output_layer_norm = keras.layers.LayerNormalization(epsilon=self.layer_norm_epsilon, name="output_layer_norm")
        self._intermediate_dense = keras.layers.Dense(self.intermediate_dim, activation=self.activation, name="intermediate_dense")
        self._output_dense = keras.layers.Dense(feature_size, name="output_dense")
        self._output_dropout = keras.layers.Dropout(rate=self.dropout, name="output_dropout")

    def call(self, inputs, training=None):
        mixing_output = inputs * 1.0
        x = self._mixing_layer_norm(inputs + mixing_output)
        y = self._intermediate_dense(x)
        y = self._output_dense(y)
        y = self._output_dropout(y, training=training)
        return self._output_layer_norm(x + y)
`;

/** keras_hub.layers, under its old name keras_nlp.layers too. */
export const KERAS_HUB_LAYERS: StubModule = {
  module: 'keras_hub.layers',
  source: SOURCE,
  aliases: ['keras_nlp.layers'],
};
