// The Keras layer catalogue: every spec, listed explicitly and sorted by name.
// Adding a layer = writing it in its family file and listing it here.

import type { LayerSpec } from '../../spec';
import { ELU, LeakyReLU, PReLU, ReLU, Softmax, ThresholdedReLU } from './activations';
import { AdditiveAttention, Attention, GroupedQueryAttention, MultiHeadAttention } from './attention';
import { Conv1D, Conv1DTranspose, Conv2D, Conv2DTranspose, Conv3D, Conv3DTranspose, DepthwiseConv1D, DepthwiseConv2D, LocallyConnected1D, LocallyConnected2D, SeparableConv1D, SeparableConv2D } from './conv';
import { Activation, ActivityRegularization, Dense, EinsumDense, Embedding, Identity, Lambda, Masking, RandomFourierFeatures } from './core';
import { Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract } from './merging';
import { BatchNormalization, GroupNormalization, LayerNormalization, RMSNormalization, SyncBatchNormalization, UnitNormalization } from './normalization';
import { AdaptiveAveragePooling1D, AdaptiveAveragePooling2D, AdaptiveAveragePooling3D, AdaptiveMaxPooling1D, AdaptiveMaxPooling2D, AdaptiveMaxPooling3D, AveragePooling1D, AveragePooling2D, AveragePooling3D, GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D, GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D, MaxPooling1D, MaxPooling2D, MaxPooling3D } from './pooling';
import { CategoryEncoding, CenterCrop, Discretization, HashedCrossing, Hashing, IntegerLookup, MelSpectrogram, Normalization, RandomContrast, RandomCrop, RandomFlip, RandomHeight, RandomRotation, RandomTranslation, RandomWidth, RandomZoom, Rescaling, Resizing, SHAPE_KEEPING_AUGMENTATIONS, STFTSpectrogram, StringLookup, TextVectorization } from './preprocessing';
import { AlphaDropout, Dropout, GaussianDropout, GaussianNoise, SpatialDropout1D, SpatialDropout2D, SpatialDropout3D } from './regularization';
import { Cropping1D, Cropping2D, Cropping3D, Flatten, Permute, RepeatVector, Reshape, UpSampling1D, UpSampling2D, UpSampling3D, ZeroPadding1D, ZeroPadding2D, ZeroPadding3D } from './reshaping';
import { Bidirectional, ConvLSTM1D, ConvLSTM2D, ConvLSTM3D, CuDNNGRU, CuDNNLSTM, GRU, GRUCell, LSTM, LSTMCell, RNN, SimpleRNN, SimpleRNNCell, SpectralNormalization, StackedRNNCells, TimeDistributed } from './rnn';

export { kerasAutoName, KerasNameCounter } from '../naming';

const LISTED: LayerSpec[] = [
  Activation,
  ActivityRegularization,
  AdaptiveAveragePooling1D,
  AdaptiveAveragePooling2D,
  AdaptiveAveragePooling3D,
  AdaptiveMaxPooling1D,
  AdaptiveMaxPooling2D,
  AdaptiveMaxPooling3D,
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
  CuDNNGRU,
  CuDNNLSTM,
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
  GroupedQueryAttention,
  HashedCrossing,
  Hashing,
  Identity,
  IntegerLookup,
  LSTM,
  LSTMCell,
  Lambda,
  LayerNormalization,
  LeakyReLU,
  LocallyConnected1D,
  LocallyConnected2D,
  Masking,
  MaxPooling1D,
  MaxPooling2D,
  MaxPooling3D,
  Maximum,
  MelSpectrogram,
  Minimum,
  MultiHeadAttention,
  Multiply,
  Normalization,
  PReLU,
  Permute,
  RNN,
  RMSNormalization,
  RandomContrast,
  RandomCrop,
  RandomFlip,
  RandomFourierFeatures,
  RandomHeight,
  RandomRotation,
  RandomTranslation,
  RandomWidth,
  RandomZoom,
  ReLU,
  RepeatVector,
  Rescaling,
  Reshape,
  Resizing,
  STFTSpectrogram,
  SeparableConv1D,
  SeparableConv2D,
  SimpleRNN,
  SimpleRNNCell,
  Softmax,
  SpatialDropout1D,
  SpatialDropout2D,
  SpatialDropout3D,
  SpectralNormalization,
  StackedRNNCells,
  StringLookup,
  Subtract,
  SyncBatchNormalization,
  TextVectorization,
  ThresholdedReLU,
  TimeDistributed,
  UnitNormalization,
  UpSampling1D,
  UpSampling2D,
  UpSampling3D,
  ZeroPadding1D,
  ZeroPadding2D,
  ZeroPadding3D,
];

/** Every spec, sorted by name (the shape-keeping augmentation layers come as one family list). */
export const KERAS_LAYERS: LayerSpec[] = [...LISTED, ...SHAPE_KEEPING_AUGMENTATIONS].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));

const BY_NAME = new Map(KERAS_LAYERS.map((s) => [s.name, s]));

/** The spec of a Keras layer class by its class name (`Conv2D`), or undefined. */
export function kerasLayerSpec(name: string): LayerSpec | undefined {
  return BY_NAME.get(name);
}
