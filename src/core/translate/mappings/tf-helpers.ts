// Python helpers the tf.Module -> PyTorch translation emits into the generated file when
// used: TensorFlow's window arithmetic ('SAME' padding, strides given as 1, n or n + 2
// entries, NHWC / NCHW data_format) at run time on N, C, *spatial tensors, and TF / Keras
// initializers as functions of a TF-layout shape (fans computed as Keras does).

export const TORCH_HELPERS: Record<string, string> = {
  window: `def _tf_window(v, n, channels_first=False):
    """strides / ksize / dilations as TensorFlow takes them (an int, or 1, n or n + 2 entries) -> n spatial entries."""
    if isinstance(v, int):
        return [v] * n
    v = [int(e) for e in v]
    if len(v) == 1:
        return v * n
    if len(v) == n + 2:
        return v[2:] if channels_first else v[1:-1]
    return v


def _tf_same_pad(size, k, s, d=1):
    """TensorFlow 'SAME' padding of one spatial dim as (before, after); an odd total puts the extra one after."""
    eff = (k - 1) * d + 1
    out = -(-size // s)
    total = max((out - 1) * s + eff - size, 0)
    return total // 2, total - total // 2


def _tf_pads(x, padding, k, s, d, channels_first):
    """Per spatial dim (before, after) for 'SAME', 'VALID' or TF's explicit [[before, after], ...] of an N, C, *spatial tensor."""
    n = x.dim() - 2
    if isinstance(padding, str):
        if padding.upper() == "VALID":
            return [(0, 0)] * n
        return [_tf_same_pad(int(x.shape[2 + i]), k[i], s[i], d[i]) for i in range(n)]
    pairs = [tuple(int(e) for e in p) for p in padding]
    return pairs[2:] if channels_first else pairs[1:-1]


def _tf_pad_spatial(x, pads, value=0.0):
    """F.pad of the spatial dims (possibly asymmetric)."""
    flat = []
    for before, after in reversed(pads):
        flat += [before, after]
    return F.pad(x, flat, value=value) if any(flat) else x
`,
  conv: `def _tf_conv(x, w, strides, padding, dilations=None, data_format=None):
    """tf.nn.conv1d / conv2d / conv3d on an N, C, *spatial tensor; w in PyTorch layout [out, in / groups, *kernel]."""
    n = x.dim() - 2
    cf = bool(data_format) and data_format[1] == "C"
    s = _tf_window(strides, n, cf)
    d = _tf_window(1 if dilations is None else dilations, n, cf)
    x = _tf_pad_spatial(x, _tf_pads(x, padding, list(w.shape[2:]), s, d, cf))
    conv = (F.conv1d, F.conv2d, F.conv3d)[n - 1]
    return conv(x, w, stride=s, dilation=d, groups=x.shape[1] // w.shape[1])
`,
  convTranspose: `def _tf_conv_transpose(x, w, output_shape, strides, padding="SAME", data_format=None):
    """tf.nn.conv*_transpose on an N, C, *spatial tensor; w in PyTorch layout [in, out, *kernel]; output_shape as TF gives it."""
    n = x.dim() - 2
    cf = bool(data_format) and data_format[1] == "C"
    s = _tf_window(strides, n, cf)
    k = [int(e) for e in w.shape[2:]]
    shape = [int(e) for e in output_shape]
    out = shape[2:] if cf else shape[1:-1]
    if isinstance(padding, str):
        same = padding.upper() == "SAME"
        before = [_tf_same_pad(out[i], k[i], s[i])[0] if same else 0 for i in range(n)]
    else:
        pairs = [tuple(int(e) for e in p) for p in padding]
        before = [p[0] for p in (pairs[2:] if cf else pairs[1:-1])]
    full = [(int(x.shape[2 + i]) - 1) * s[i] + k[i] for i in range(n)]
    extra = [max(before[i] + out[i] - full[i], 0) for i in range(n)]
    conv = (F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d)[n - 1]
    y = conv(x, w, stride=s, output_padding=extra)
    return y[(slice(None), slice(None)) + tuple(slice(before[i], before[i] + out[i]) for i in range(n))]
`,
  pool: `def _tf_pool(x, kind, ksize, strides, padding, data_format=None):
    """tf.nn.max_pool* / avg_pool* on an N, C, *spatial tensor ('SAME' max pads with -inf; 'SAME' avg averages the real values only)."""
    n = x.dim() - 2
    cf = bool(data_format) and data_format[1] == "C"
    k = _tf_window(ksize, n, cf)
    s = _tf_window(strides, n, cf)
    pads = _tf_pads(x, padding, k, s, [1] * n, cf)
    if kind == "max":
        return (F.max_pool1d, F.max_pool2d, F.max_pool3d)[n - 1](_tf_pad_spatial(x, pads, float("-inf")), k, s)
    pool = (F.avg_pool1d, F.avg_pool2d, F.avg_pool3d)[n - 1]
    total = pool(_tf_pad_spatial(x, pads), k, s)
    count = pool(_tf_pad_spatial(torch.ones_like(x[:1, :1]), pads), k, s)
    return total / count
`,
  initializer: `def _tf_initializer(kind, **kw):
    """A TensorFlow / Keras initializer as a function of a TF-layout shape; fans as Keras computes them (last dim = out)."""
    def init(shape=None, dtype=None):
        shape = [int(e) for e in shape]
        t = torch.empty(shape)
        receptive = 1
        for e in shape[:-2]:
            receptive *= e
        fan_in = shape[-2] * receptive if len(shape) > 1 else (shape[0] if shape else 1)
        fan_out = shape[-1] * receptive if len(shape) > 1 else (shape[0] if shape else 1)
        fans = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}
        if kind == "zeros":
            return t.zero_()
        if kind == "ones":
            return t.fill_(1.0)
        if kind == "constant":
            return t.fill_(kw.get("value", 0.0))
        if kind == "random_normal":
            return t.normal_(kw.get("mean", 0.0), kw.get("stddev", 0.05))
        if kind == "random_uniform":
            return t.uniform_(kw.get("minval", -0.05), kw.get("maxval", 0.05))
        if kind == "truncated_normal":
            std, mean = kw.get("stddev", 0.05), kw.get("mean", 0.0)
            return nn.init.trunc_normal_(t, mean=mean, std=std, a=mean - 2 * std, b=mean + 2 * std)
        if kind == "orthogonal":
            return nn.init.orthogonal_(t, gain=kw.get("gain", 1.0))
        if kind == "identity":
            return torch.eye(shape[0], shape[1]) * kw.get("gain", 1.0)
        scale, mode, dist = {
            "glorot_uniform": (1.0, "fan_avg", "uniform"), "glorot_normal": (1.0, "fan_avg", "truncated_normal"),
            "he_uniform": (2.0, "fan_in", "uniform"), "he_normal": (2.0, "fan_in", "truncated_normal"),
            "lecun_uniform": (1.0, "fan_in", "uniform"), "lecun_normal": (1.0, "fan_in", "truncated_normal"),
            "variance_scaling": (kw.get("scale", 1.0), kw.get("mode", "fan_in"), kw.get("distribution", "truncated_normal")),
        }[kind]
        var = scale / max(1.0, fans[mode])
        if dist == "uniform":
            limit = (3.0 * var) ** 0.5
            return t.uniform_(-limit, limit)
        std = var ** 0.5 / (0.87962566103423978 if dist == "truncated_normal" else 1.0)
        if dist == "truncated_normal":
            return nn.init.trunc_normal_(t, std=std, a=-2 * std, b=2 * std)
        return t.normal_(0.0, std)
    return init
`,
};

/** Helpers a helper needs (emitted first). */
export const HELPER_DEPS: Record<string, string[]> = { conv: ['window'], convTranspose: ['window'], pool: ['window'] };

/** Initializer class / function names (Keras classes, snake_case aliases, tf.*_initializer) -> the helper's kind. */
export function initializerKind(name: string): string | undefined {
  const base = name.split('.').pop()!.replace(/_initializer$/, '');
  const snake = base.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  const known = ['zeros', 'ones', 'constant', 'random_normal', 'random_uniform', 'truncated_normal', 'orthogonal', 'identity', 'glorot_uniform', 'glorot_normal', 'he_uniform', 'he_normal', 'lecun_uniform', 'lecun_normal', 'variance_scaling'];
  return known.includes(snake) ? snake : undefined;
}

/** Keras 3 initializer class for a kind (the Keras translation keeps initializer objects). */
export function kerasInitializerClass(kind: string): string {
  return kind.split('_').map((w) => (w === 'he' ? 'He' : w[0].toUpperCase() + w.slice(1))).join('');
}
