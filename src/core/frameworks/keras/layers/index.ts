// The Keras layer catalogue: every spec, listed explicitly and sorted by name.
// Adding a layer = writing it in its family file and listing it here.

import type { LayerSpec } from '../../spec';
import { ELU, LeakyReLU, PReLU, ReLU, Softmax } from './activations';
import { AdditiveAttention, Attention, MultiHeadAttention } from './attention';
import { Conv1D, Conv1DTranspose, Conv2D, Conv2DTranspose, Conv3D, Conv3DTranspose, DepthwiseConv1D, DepthwiseConv2D, SeparableConv1D, SeparableConv2D } from './conv';
import { Activation, ActivityRegularization, Dense, EinsumDense, Embedding, Identity, Lambda, Masking } from './core';
import { Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract } from './merging';
import { BatchNormalization, GroupNormalization, LayerNormalization, UnitNormalization } from './normalization';
import { AveragePooling1D, AveragePooling2D, AveragePooling3D, GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D, GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D, MaxPooling1D, MaxPooling2D, MaxPooling3D } from './pooling';
import { CategoryEncoding, CenterCrop, Discretization, Hashing, IntegerLookup, Normalization, RandomContrast, RandomFlip, RandomRotation, RandomTranslation, RandomZoom, Rescaling, Resizing, StringLookup, TextVectorization } from './preprocessing';
import { AlphaDropout, Dropout, GaussianDropout, GaussianNoise, SpatialDropout1D, SpatialDropout2D, SpatialDropout3D } from './regularization';
import { Cropping1D, Cropping2D, Cropping3D, Flatten, Permute, RepeatVector, Reshape, UpSampling1D, UpSampling2D, UpSampling3D, ZeroPadding1D, ZeroPadding2D, ZeroPadding3D } from './reshaping';
import { Bidirectional, ConvLSTM1D, ConvLSTM2D, ConvLSTM3D, GRU, GRUCell, LSTM, LSTMCell, RNN, SimpleRNN, SimpleRNNCell, StackedRNNCells, TimeDistributed } from './rnn';

export { kerasAutoName, KerasNameCounter } from '../naming';

export const KERAS_LAYERS: LayerSpec[] = [
  Activation,
  ActivityRegularization,
  Add,
  AdditiveAttention,
  AlphaDropout,
  Attention,
  Average,
  AveragePooling1D,
  AveragePooling2D,
  AveragePooling3D,
  BatchNormalization,
  Bidirectional,
  CategoryEncoding,
  CenterCrop,
  Concatenate,
  Conv1D,
  Conv1DTranspose,
  Conv2D,
  Conv2DTranspose,
  Conv3D,
  Conv3DTranspose,
  ConvLSTM1D,
  ConvLSTM2D,
  ConvLSTM3D,
  Cropping1D,
  Cropping2D,
  Cropping3D,
  Dense,
  DepthwiseConv1D,
  DepthwiseConv2D,
  Discretization,
  Dot,
  Dropout,
  ELU,
  EinsumDense,
  Embedding,
  Flatten,
  GRU,
  GRUCell,
  GaussianDropout,
  GaussianNoise,
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalAveragePooling3D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  GlobalMaxPooling3D,
  GroupNormalization,
  Hashing,
  Identity,
  IntegerLookup,
  LSTM,
  LSTMCell,
  Lambda,
  LayerNormalization,
  LeakyReLU,
  Masking,
  MaxPooling1D,
  MaxPooling2D,
  MaxPooling3D,
  Maximum,
  Minimum,
  MultiHeadAttention,
  Multiply,
  Normalization,
  PReLU,
  Permute,
  RNN,
  RandomContrast,
  RandomFlip,
  RandomRotation,
  RandomTranslation,
  RandomZoom,
  ReLU,
  RepeatVector,
  Rescaling,
  Reshape,
  Resizing,
  SeparableConv1D,
  SeparableConv2D,
  SimpleRNN,
  SimpleRNNCell,
  Softmax,
  SpatialDropout1D,
  SpatialDropout2D,
  SpatialDropout3D,
  StackedRNNCells,
  StringLookup,
  Subtract,
  TextVectorization,
  TimeDistributed,
  UnitNormalization,
  UpSampling1D,
  UpSampling2D,
  UpSampling3D,
  ZeroPadding1D,
  ZeroPadding2D,
  ZeroPadding3D,
];

const BY_NAME = new Map(KERAS_LAYERS.map((s) => [s.name, s]));

/** The spec of a Keras layer class by its class name (`Conv2D`), or undefined. */
export function kerasLayerSpec(name: string): LayerSpec | undefined {
  return BY_NAME.get(name);
}
