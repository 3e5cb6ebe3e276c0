// Activation names shared by both directions: a Keras activation string <-> a torch
// module / functional call. Softmax takes the channel axis of the layout in use.

export interface ActivationMap {
  /** torch module constructor; `{dim}` is replaced by the softmax axis. */
  torchModule: string;
  /** torch functional form applied to `$0`. */
  torchFn: string;
  note?: string;
}

export const KERAS_TO_TORCH_ACTIVATION: Record<string, ActivationMap> = {
  relu: { torchModule: 'nn.ReLU()', torchFn: 'torch.relu($0)' },
  relu6: { torchModule: 'nn.ReLU6()', torchFn: 'F.relu6($0)' },
  sigmoid: { torchModule: 'nn.Sigmoid()', torchFn: 'torch.sigmoid($0)' },
  tanh: { torchModule: 'nn.Tanh()', torchFn: 'torch.tanh($0)' },
  softmax: { torchModule: 'nn.Softmax(dim={dim})', torchFn: 'torch.softmax($0, dim={dim})' },
  log_softmax: { torchModule: 'nn.LogSoftmax(dim={dim})', torchFn: 'torch.log_softmax($0, dim={dim})' },
  gelu: { torchModule: 'nn.GELU()', torchFn: 'F.gelu($0)' },
  elu: { torchModule: 'nn.ELU()', torchFn: 'F.elu($0)' },
  selu: { torchModule: 'nn.SELU()', torchFn: 'F.selu($0)' },
  swish: { torchModule: 'nn.SiLU()', torchFn: 'F.silu($0)' },
  silu: { torchModule: 'nn.SiLU()', torchFn: 'F.silu($0)' },
  softplus: { torchModule: 'nn.Softplus()', torchFn: 'F.softplus($0)' },
  softsign: { torchModule: 'nn.Softsign()', torchFn: 'F.softsign($0)' },
  leaky_relu: { torchModule: 'nn.LeakyReLU(0.2)', torchFn: 'F.leaky_relu($0, 0.2)' },
  mish: { torchModule: 'nn.Mish()', torchFn: 'F.mish($0)' },
  exponential: { torchModule: 'nn.Identity()', torchFn: 'torch.exp($0)', note: 'exponential activation: use torch.exp' },
  hard_sigmoid: { torchModule: 'nn.Hardsigmoid()', torchFn: 'F.hardsigmoid($0)', note: 'hard_sigmoid: Keras 3 uses relu6(x + 3) / 6 like torch; Keras 2 used 0.2·x + 0.5' },
};

/** torch activation module type -> Keras activation string (for folding into the previous layer or an Activation layer). */
export const TORCH_TO_KERAS_ACTIVATION: Record<string, string> = {
  ReLU: 'relu', ReLU6: 'relu6', Sigmoid: 'sigmoid', Tanh: 'tanh', GELU: 'gelu', ELU: 'elu', SELU: 'selu',
  SiLU: 'silu', Softplus: 'softplus', Softsign: 'softsign', Mish: 'mish', Hardsigmoid: 'hard_sigmoid', LogSoftmax: 'log_softmax',
};

/** torch functional / tensor activation names -> keras.ops name. */
export const TORCH_FN_TO_KERAS_OPS: Record<string, string> = {
  relu: 'relu', relu6: 'relu6', sigmoid: 'sigmoid', tanh: 'tanh', gelu: 'gelu', elu: 'elu', selu: 'selu', silu: 'silu',
  softplus: 'softplus', softsign: 'softsign', leaky_relu: 'leaky_relu', log_softmax: 'log_softmax', softmax: 'softmax',
  exp: 'exp', log: 'log', sqrt: 'sqrt', abs: 'abs', hardsigmoid: 'hard_sigmoid', mish: 'mish',
};

/**
 * torch's Hardsigmoid / Hardswish as a Keras layer. Keras 3's hard_sigmoid is relu6(x + 3) / 6
 * like torch (hard_silu = x · that); tf.keras 2's "hard_sigmoid" is 0.2·x + 0.5 clipped at
 * ±2.5, another function, so tf.keras gets torch's formula written out.
 */
export function hardActivation(dialect: 'keras' | 'tf-keras', kind: 'sigmoid' | 'swish'): string {
  if (dialect === 'keras') return `layers.Activation("${kind === 'sigmoid' ? 'hard_sigmoid' : 'hard_silu'}")`;
  return `layers.Activation(lambda t: ${kind === 'sigmoid' ? '' : 't * '}tf.nn.relu6(t + 3.0) / 6.0)`;
}
