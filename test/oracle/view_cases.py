#!/usr/bin/python3
"""Records, with real PyTorch (/usr/bin/python3), whether .view() works on transposed,
permuted and expanded tensors, and the strides involved: test/unit/torch-ops/view-strides.test.ts
reads the output.  Usage: /usr/bin/python3 test/oracle/view_cases.py > test/unit/torch-ops/view-cases.json
"""
import torch, json, itertools, random
random.seed(7)
out = []
def targets(shape):
    n = 1
    for d in shape: n *= d
    ts = {tuple(shape), (n,), (-1,)}
    for i in range(len(shape) - 1):  # merge neighbours
        ts.add(tuple(shape[:i]) + (shape[i] * shape[i + 1],) + tuple(shape[i + 2:]))
    for i, d in enumerate(shape):  # split a dim
        for f in (2, 3):
            if d % f == 0 and d > f:
                ts.add(tuple(shape[:i]) + (f, d // f) + tuple(shape[i + 1:]))
    if len(shape) >= 2: ts.add((shape[0], -1))
    ts.add(tuple(shape) + (1,)); ts.add((1,) + tuple(shape))
    return sorted(ts)
shapes = [(2, 3), (2, 3, 4), (4, 1, 6), (2, 4, 3, 6), (1, 3, 4), (2, 12, 5), (3, 1, 1, 4), (2, 0, 3)]
for shape in shapes:
    r = len(shape)
    steps = []
    for a, b in itertools.combinations(range(r), 2): steps.append(("transpose", [a, b]))
    perms = list(itertools.permutations(range(r)))
    random.shuffle(perms)
    for p in perms[:4]: steps.append(("permute", list(p)))
    if r == 2: steps.append(("t", []))
    # expand a size-1 dim / add a leading dim
    if 1 in shape:
        i = shape.index(1); tgt = list(shape); tgt[i] = 5; steps.append(("expand", tgt))
    steps.append(("expand", [2] + list(shape)))
    for name, args in steps:
        x = torch.randn(*shape)
        y = getattr(x, name)(*args)
        for t in targets(list(y.shape)):
            try:
                z = y.view(*t); res = {"t": list(z.shape), "strides": list(z.stride()) if all(d != 0 for d in z.shape) else None}
            except RuntimeError as e: res = {"err": str(e).split("\n")[0][:60]}
            out.append({"shape": list(shape), "op": name, "args": args, "mid": list(y.shape), "midStrides": list(y.stride()), "view": list(t), "expect": res})
print(json.dumps(out))
