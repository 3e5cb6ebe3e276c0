// torch.distributions as a Python stub over the tensor ops (as stubs.ts does for the
// transformer modules): what a distribution's methods give depends only on its batch and
// event shapes, which come from its parameters' shapes as in PyTorch 1.13:
// sample / rsample (sample_shape + batch + event), log_prob / cdf (the value's shape without
// the event dims, broadcast with the batch), entropy (batch), mean / stddev / variance
// (batch + event), probs / logits (the parameter's shape). Element values are not modelled.

import type { StubModule } from '../../eval/modules';

const SOURCE = `
import torch


def _shape(x):
    if torch.is_tensor(x):
        return tuple(x.shape)
    return ()


def _batch(*params):
    return tuple(torch.broadcast_shapes(*[_shape(p) for p in params]))


class Distribution:
    has_rsample = False
    _sample_dtype = torch.float32

    def __init__(self, batch_shape=(), event_shape=(), validate_args=None):
        self.batch_shape = torch.Size(batch_shape)
        self.event_shape = torch.Size(event_shape)
        shape = tuple(batch_shape) + tuple(event_shape)
        self.mean = torch.empty(shape)
        self.mode = torch.empty(shape)
        self.stddev = torch.empty(shape)
        self.variance = torch.empty(shape)

    def _extended_shape(self, sample_shape=()):
        return torch.Size(tuple(sample_shape) + tuple(self.batch_shape) + tuple(self.event_shape))

    def sample(self, sample_shape=()):
        return torch.empty(self._extended_shape(sample_shape), dtype=self._sample_dtype)

    def rsample(self, sample_shape=()):
        return torch.empty(self._extended_shape(sample_shape), dtype=self._sample_dtype)

    def sample_n(self, n):
        return self.sample((n,))

    def log_prob(self, value):
        shape = _shape(value)
        n = len(self.event_shape)
        if n:
            shape = shape[:len(shape) - n]
        return torch.empty(torch.broadcast_shapes(shape, tuple(self.batch_shape)))

    def cdf(self, value):
        return self.log_prob(value)

    def icdf(self, value):
        return torch.empty(torch.broadcast_shapes(_shape(value), tuple(self.batch_shape)))

    def entropy(self):
        return torch.empty(tuple(self.batch_shape))

    def perplexity(self):
        return self.entropy()


class ExponentialFamily(Distribution):
    pass


class _Scalar(ExponentialFamily):
    """A distribution of one value per batch element, batch from its broadcast parameters."""
    has_rsample = True

    def __init__(self, *params, validate_args=None):
        super().__init__(_batch(*params))


class Normal(_Scalar):
    def __init__(self, loc, scale, validate_args=None):
        super().__init__(loc, scale)
        self.loc = torch.empty(tuple(self.batch_shape))
        self.scale = torch.empty(tuple(self.batch_shape))


class LogNormal(Normal):
    pass


class Laplace(Normal):
    pass


class Cauchy(Normal):
    pass


class Gumbel(Normal):
    pass


class StudentT(_Scalar):
    def __init__(self, df, loc=0.0, scale=1.0, validate_args=None):
        super().__init__(df, loc, scale)


class Uniform(_Scalar):
    def __init__(self, low, high, validate_args=None):
        super().__init__(low, high)


class Beta(_Scalar):
    def __init__(self, concentration1, concentration0, validate_args=None):
        super().__init__(concentration1, concentration0)


class Gamma(_Scalar):
    def __init__(self, concentration, rate, validate_args=None):
        super().__init__(concentration, rate)


class Exponential(_Scalar):
    def __init__(self, rate, validate_args=None):
        super().__init__(rate)


class Poisson(_Scalar):
    has_rsample = False

    def __init__(self, rate, validate_args=None):
        super().__init__(rate)


class _Probs(ExponentialFamily):
    """Parameterised by probs or logits."""

    def __init__(self, probs=None, logits=None, batch=None, event=(), validate_args=None):
        param = probs if probs is not None else logits
        shape = _shape(param)
        super().__init__(shape if batch is None else batch, event)
        self.probs = torch.empty(shape)
        self.logits = torch.empty(shape)
        self.param_shape = torch.Size(shape)


class Bernoulli(_Probs):
    def __init__(self, probs=None, logits=None, validate_args=None):
        super().__init__(probs, logits)


class Geometric(Bernoulli):
    pass


class Binomial(_Probs):
    def __init__(self, total_count=1, probs=None, logits=None, validate_args=None):
        param = probs if probs is not None else logits
        super().__init__(probs, logits, _batch(total_count, param))


class Categorical(Distribution):
    _sample_dtype = torch.int64

    def __init__(self, probs=None, logits=None, validate_args=None):
        param = probs if probs is not None else logits
        shape = _shape(param)
        super().__init__(shape[:len(shape) - 1])
        self.probs = torch.empty(shape)
        self.logits = torch.empty(shape)
        self.param_shape = torch.Size(shape)
        self._num_events = shape[len(shape) - 1]
        self.mode = torch.empty(tuple(self.batch_shape), dtype=torch.int64)


class OneHotCategorical(Distribution):
    def __init__(self, probs=None, logits=None, validate_args=None):
        param = probs if probs is not None else logits
        shape = _shape(param)
        super().__init__(shape[:len(shape) - 1], shape[len(shape) - 1:])
        self.probs = torch.empty(shape)
        self.logits = torch.empty(shape)


class RelaxedOneHotCategorical(OneHotCategorical):
    has_rsample = True

    def __init__(self, temperature, probs=None, logits=None, validate_args=None):
        super().__init__(probs, logits)


class Multinomial(OneHotCategorical):
    def __init__(self, total_count=1, probs=None, logits=None, validate_args=None):
        super().__init__(probs, logits)


class Dirichlet(ExponentialFamily):
    has_rsample = True

    def __init__(self, concentration, validate_args=None):
        shape = _shape(concentration)
        super().__init__(shape[:len(shape) - 1], shape[len(shape) - 1:])


class MultivariateNormal(Distribution):
    has_rsample = True

    def __init__(self, loc, covariance_matrix=None, precision_matrix=None, scale_tril=None, validate_args=None):
        matrix = covariance_matrix
        if matrix is None:
            matrix = precision_matrix if precision_matrix is not None else scale_tril
        loc_shape = _shape(loc)
        m = _shape(matrix)
        batch = torch.broadcast_shapes(loc_shape[:len(loc_shape) - 1], m[:len(m) - 2])
        super().__init__(batch, loc_shape[len(loc_shape) - 1:])
        self.loc = torch.empty(tuple(self.batch_shape) + tuple(self.event_shape))


class LowRankMultivariateNormal(MultivariateNormal):
    def __init__(self, loc, cov_factor, cov_diag, validate_args=None):
        super().__init__(loc, cov_factor)


class Independent(Distribution):
    def __init__(self, base_distribution, reinterpreted_batch_ndims, validate_args=None):
        shape = tuple(base_distribution.batch_shape) + tuple(base_distribution.event_shape)
        n = len(base_distribution.batch_shape) - reinterpreted_batch_ndims
        super().__init__(shape[:n], shape[n:])
        self.base_dist = base_distribution
        self.has_rsample = base_distribution.has_rsample
        self._sample_dtype = base_distribution._sample_dtype


def kl_divergence(p, q):
    return torch.empty(torch.broadcast_shapes(tuple(p.batch_shape), tuple(q.batch_shape)))
`;

/** The names the stub defines: `torch.distributions.<name>` (or `torch.distributions.<module>.<name>`) resolves to them. */
export const TORCH_DISTRIBUTION_NAMES = new Set([
  'Distribution', 'ExponentialFamily', 'Normal', 'LogNormal', 'Laplace', 'Cauchy', 'Gumbel', 'StudentT', 'Uniform', 'Beta', 'Gamma', 'Exponential',
  'Poisson', 'Bernoulli', 'Geometric', 'Binomial', 'Categorical', 'OneHotCategorical', 'RelaxedOneHotCategorical', 'Multinomial', 'Dirichlet',
  'MultivariateNormal', 'LowRankMultivariateNormal', 'Independent', 'kl_divergence',
]);

export const TORCH_DISTRIBUTIONS_STUB: StubModule = {
  module: 'torch.distributions',
  source: SOURCE,
};
