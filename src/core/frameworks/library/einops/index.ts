// einops (rearrange / repeat / reduce, einsum, pack / unpack, parse_shape, and the torch
// layers Rearrange / Reduce) as a Python stub written for TensorLens from einops' documented
// semantics: a pattern's left side names the input's axes (groups in parentheses are split,
// `...` stands for the axes not named, `1` / `()` for a unit axis), the right side orders,
// merges, adds (repeat, sizes given as keywords) or drops (reduce) them. The stub does it with
// the torch ops the engine already models (reshape, permute, reductions, unsqueeze + expand),
// so every size, known or symbolic, follows from the input's shape.

import type { StubModule } from '../../../eval/modules';

const SOURCE = `
import torch
import torch.nn as nn


class EinopsError(RuntimeError):
    pass


def _parse(expr, tag):
    groups = []
    current = None
    token = ""
    n_anon = 0
    for ch in expr.replace("\\u2026", "...") + " ":
        if ch == "(" or ch == ")" or ch == " ":
            if token:
                if token.isdigit():
                    n_anon += 1
                    token = "#" + tag + str(n_anon) + ":" + token
                if current is None:
                    groups.append([token])
                else:
                    current.append(token)
                token = ""
            if ch == "(":
                if current is not None:
                    raise EinopsError("Axis composition is one-level (brackets inside brackets not allowed)")
                current = []
            elif ch == ")":
                if current is None:
                    raise EinopsError("Brackets are not balanced")
                groups.append(current)
                current = None
        else:
            token += ch
    if current is not None:
        raise EinopsError("Imbalanced parentheses in expression: " + expr)
    return groups


def _expand(groups, n_ell):
    out = []
    for g in groups:
        ng = []
        for a in g:
            if a == "...":
                for i in range(n_ell):
                    ng.append("...%d" % i)
            else:
                ng.append(a)
        if g == ["..."]:
            for a in ng:
                out.append([a])
        else:
            out.append(ng)
    return out


def _anon_size(name):
    return int(name.split(":")[1]) if name.startswith("#") else None


def _product(values):
    result = 1
    for v in values:
        result = result * v
    return result


def _reduce(x, reduction, dims):
    if callable(reduction):
        return reduction(x, tuple(dims))
    if reduction == "mean":
        return x.mean(dim=tuple(dims))
    if reduction == "sum":
        return x.sum(dim=tuple(dims))
    if reduction == "max":
        return x.amax(dim=tuple(dims))
    if reduction == "min":
        return x.amin(dim=tuple(dims))
    if reduction in ("prod", "any", "all"):
        for d in sorted(dims, reverse=True):
            x = getattr(x, reduction)(dim=d)
        return x
    raise EinopsError("Unknown reduction " + str(reduction))


def _apply(tensor, pattern, operation, reduction, axes_lengths):
    if isinstance(tensor, (list, tuple)):
        tensor = torch.stack(list(tensor))
    if "->" not in pattern:
        raise EinopsError("Pattern should contain '->': " + pattern)
    left_str, right_str = pattern.split("->")
    left = _parse(left_str, "L")
    right = _parse(right_str, "R")
    shape = list(tensor.shape)
    ndim = len(shape)
    has_ellipsis = any("..." in g for g in left)
    n_named = len(left) - 1 if has_ellipsis else len(left)
    if has_ellipsis and ndim < n_named:
        raise EinopsError("Wrong shape: expected >=%d dims. Received %d-dim tensor." % (n_named, ndim))
    if not has_ellipsis and ndim != n_named:
        raise EinopsError("Wrong shape: expected %d dims. Received %d-dim tensor." % (n_named, ndim))
    n_ell = ndim - n_named if has_ellipsis else 0
    left = _expand(left, n_ell)
    right = _expand(right, n_ell)
    sizes = dict(axes_lengths)
    for g in left + right:
        for a in g:
            if _anon_size(a) is not None:
                sizes[a] = _anon_size(a)
    elementary = []
    for g, dim in zip(left, shape):
        unknown = [a for a in g if a not in sizes]
        known = _product([sizes[a] for a in g if a in sizes])
        if len(unknown) > 1:
            raise EinopsError("Could not infer sizes for " + str(unknown))
        if len(unknown) == 1:
            if isinstance(dim, int) and isinstance(known, int) and known > 0 and dim % known != 0:
                raise EinopsError("Shape mismatch, can't divide axis of length %d in chunks of %d" % (dim, known))
            sizes[unknown[0]] = dim // known
        elif isinstance(dim, int) and isinstance(known, int) and dim != known:
            raise EinopsError("Shape mismatch, %d != %d" % (dim, known))
        elementary.extend(g)
    right_names = [a for g in right for a in g]
    if operation == "rearrange" and set(a for a in elementary if not a.startswith("#")) != set(a for a in right_names if not a.startswith("#")):
        raise EinopsError("Identifiers only on one side of expression (should be on both): " + pattern)
    for a in right_names:
        if a not in sizes:
            raise EinopsError("Specify sizes for new axes in repeat: " + a)
    x = tensor.reshape([sizes[a] for a in elementary])
    dropped = [i for i, a in enumerate(elementary) if a not in right_names]
    if dropped and reduction is None:
        # rearrange / repeat drop only the left's unit axes (\`1\`): a reshape without them.
        if any(not elementary[i].startswith("#") for i in dropped):
            raise EinopsError("Identifiers only on one side of expression (should be on both): " + pattern)
        x = x.reshape([sizes[a] for a in elementary if a in right_names])
    elif dropped:
        x = _reduce(x, reduction, dropped)
    kept = [a for a in elementary if a in right_names]
    order = [kept.index(a) for a in right_names if a in kept]
    if order != list(range(len(order))):
        x = x.permute(order)
    added = [i for i, a in enumerate(right_names) if a not in kept]
    if added:
        for i in added:
            x = x.unsqueeze(i)
        x = x.expand([sizes[a] for a in right_names])
    return x.reshape([_product([sizes[a] for a in g]) for g in right])


def rearrange(tensor, pattern, **axes_lengths):
    return _apply(tensor, pattern, "rearrange", None, axes_lengths)


def repeat(tensor, pattern, **axes_lengths):
    return _apply(tensor, pattern, "repeat", None, axes_lengths)


def reduce(tensor, pattern, reduction, **axes_lengths):
    return _apply(tensor, pattern, "reduce", reduction, axes_lengths)


def parse_shape(x, pattern):
    names = pattern.replace("...", " ").split()
    shape = list(x.shape)
    if "..." in pattern:
        before = pattern.split("...")[0].split()
        after = pattern.split("...")[1].split()
        dims = shape[:len(before)] + (shape[len(shape) - len(after):] if after else [])
        names = before + after
    else:
        dims = shape
        if len(names) != len(dims):
            raise EinopsError("Can't parse shape with different number of dimensions: " + pattern)
    return {n: d for n, d in zip(names, dims) if n != "_"}


def einsum(*tensors_and_pattern):
    if len(tensors_and_pattern) <= 1:
        raise ValueError("einsum() takes at least two arguments: the tensors and the pattern")
    pattern = tensors_and_pattern[-1]
    tensors = list(tensors_and_pattern[:-1])
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    mapping = {}

    def side(expr):
        out = ""
        for token in expr.replace("...", " ... ").split():
            if token == "...":
                out += "..."
            else:
                if token not in mapping:
                    mapping[token] = letters[len(mapping)]
                out += mapping[token]
        return out

    left, right = pattern.split("->")
    ins = ",".join(side(p) for p in left.split(","))
    return torch.einsum(ins + "->" + side(right), *tensors)


def _pack_pattern(pattern):
    axes = pattern.split()
    if axes.count("*") != 1:
        raise EinopsError("pack/unpack requires exactly one '*' in the pattern: " + pattern)
    return axes.index("*"), len(axes) - 1


def pack(tensors, pattern):
    star, n_other = _pack_pattern(pattern)
    flat = []
    packed_shapes = []
    for t in tensors:
        shape = list(t.shape)
        n_star = len(shape) - n_other
        if n_star < 0:
            raise EinopsError("packed tensor must have at least %d dims" % n_other)
        packed_shapes.append(shape[star:star + n_star])
        flat.append(t.reshape(shape[:star] + [-1] + shape[star + n_star:]))
    return torch.cat(flat, dim=star), packed_shapes


def unpack(tensor, packed_shapes, pattern):
    star, n_other = _pack_pattern(pattern)
    shape = list(tensor.shape)
    lengths = [_product(ps) for ps in packed_shapes]
    pieces = torch.split(tensor, lengths, dim=star)
    return [p.reshape(shape[:star] + list(ps) + shape[star + 1:]) for p, ps in zip(pieces, packed_shapes)]


class Rearrange(nn.Module):
    def __init__(self, pattern, **axes_lengths):
        super().__init__()
        self.pattern = pattern
        self.axes_lengths = axes_lengths

    def forward(self, input):
        return rearrange(input, self.pattern, **self.axes_lengths)


class Reduce(nn.Module):
    def __init__(self, pattern, reduction, **axes_lengths):
        super().__init__()
        self.pattern = pattern
        self.reduction = reduction
        self.axes_lengths = axes_lengths

    def forward(self, input):
        return reduce(input, self.pattern, self.reduction, **self.axes_lengths)
`;

export const EINOPS: StubModule = {
  module: 'einops',
  source: SOURCE,
  aliases: ['einops.einops', 'einops.layers.torch', 'einops.packing'],
};
