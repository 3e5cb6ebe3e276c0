// torch.nn.utils.parametrize (PyTorch 1.13): a parametrization is a module registered under
// `module.parametrizations.<tensor name>` (a ModuleDict of lists) that computes the tensor
// from its original each time the module reads it. The module is then no leaf any more, and
// each parametrization is called (with the tensor's shape in, the same shape out) whenever
// the module runs: torchinfo-style summaries list those calls instead of the layer's own row.
// The built-in parametrizations (`spectral_norm`, `orthogonal` of
// torch.nn.utils.parametrizations) are the Python classes below; they own no parameters.

import type { StubModule } from '../../eval/modules';

const SOURCE = `
from torch.nn import Module


class _SpectralNorm(Module):
    def __init__(self, weight, n_power_iterations=1, dim=0, eps=1e-12):
        super().__init__()

    def forward(self, weight):
        return weight


class _Orthogonal(Module):
    def __init__(self, weight, orthogonal_map=None, *, use_trivialization=True):
        super().__init__()

    def forward(self, X):
        return X
`;

export const TORCH_PARAMETRIZATIONS_STUB: StubModule = { module: 'torch.nn.utils.parametrizations', source: SOURCE };

/** The built-in parametrizing functions of torch.nn.utils.parametrizations, by the stub class each registers. */
export const BUILTIN_PARAMETRIZATIONS: Readonly<Record<string, string>> = { spectral_norm: '_SpectralNorm', orthogonal: '_Orthogonal' };
