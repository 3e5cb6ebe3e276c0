#!/usr/bin/python3
"""Differential oracle: runs PyTorch model files for real and prints their ground truth.

Usage:  /usr/bin/python3 test/oracle/oracle.py [--out FILE] [--pretty] model1.py [model2.py ...]

Prints (or writes to --out) a JSON list with one object per file, in the format of the
corpus ground truth (see /work/shared/corpus/README.md):

  {"file", "framework": "pytorch", "oracle": "torch-1.13.1",
   "models": [{"name", "input_shapes", "output_shape", "total_params", "trainable_params",
               "layers": [{"path", "type", "output_shape", "params"}]}]}

A file that fails to run gets an extra "error" field (and no models); the exit code is
then 1, but the other files are still reported.

How models and inputs are found (no conventions about variable names are needed):
  1. torch.nn.Module.__call__ is wrapped so that every *top-level* module call (one made
     while no other module call is running) is recorded: the module object and its
     tensor arguments (positional, then keyword).
  2. The file is executed with runpy as __main__ (its `if __name__ == "__main__":` block
     builds the models and calls them on example inputs), stdout sent to stderr.
  3. The recorded modules are the models, in order of their first call. Modules that are
     submodules of another recorded model (e.g. a probe call made inside __init__) and
     loss modules are dropped. Only the first call of each model is used.
  4. Each model is named after its class when the class is defined in the file itself,
     otherwise (nn.Sequential & co.) after the module-level variable that holds it
     (falling back to the class name).
  5. Each model is called again with the recorded inputs, with forward hooks on every
     leaf module (no children; nn.MultiheadAttention counts as one leaf, its children are
     ignored). Rows are in call order; a module called again gets params 0 on repeats.

Everything runs in this one process, with torch.manual_seed(0) before each file.
"""

import argparse
import contextlib
import io
import json
import os
import random
import runpy
import sys
import traceback

import torch
import torch.nn as nn

ORACLE = "torch-1.13.1"


def tensor_args(args, kwargs):
    """Tensors among a call's arguments: positional first, then keyword, in order."""
    out = [a for a in args if isinstance(a, torch.Tensor)]
    out += [v for v in kwargs.values() if isinstance(v, torch.Tensor)]
    return out


def first_shape(value):
    """Shape of a tensor; of the first element of a tuple / list (recursively); else None."""
    if isinstance(value, torch.Tensor):
        return list(value.shape)
    if isinstance(value, (tuple, list)) and len(value) > 0:
        return first_shape(value[0])
    return None


def clone_value(value):
    if isinstance(value, torch.Tensor):
        return value.detach().clone()
    if isinstance(value, tuple):
        return tuple(clone_value(v) for v in value)
    if isinstance(value, list):
        return [clone_value(v) for v in value]
    if isinstance(value, dict):
        return {k: clone_value(v) for k, v in value.items()}
    return value


class CallRecorder:
    """Wraps nn.Module.__call__ and records top-level module calls."""

    def __init__(self):
        self.depth = 0
        self.calls = []  # (module, args, kwargs)
        self.original = None

    def __enter__(self):
        recorder = self
        original = nn.Module.__call__
        self.original = original

        def recording_call(module, *args, **kwargs):
            if recorder.depth == 0:
                recorder.calls.append((module, clone_value(args), clone_value(kwargs)))
            recorder.depth += 1
            try:
                return original(module, *args, **kwargs)
            finally:
                recorder.depth -= 1

        nn.Module.__call__ = recording_call
        return self

    def __exit__(self, *exc):
        nn.Module.__call__ = self.original
        return False


def seed_everything():
    torch.manual_seed(0)
    random.seed(0)
    try:
        import numpy

        numpy.random.seed(0)
    except Exception:  # numpy is optional
        pass


def find_models(calls):
    """Distinct top-level models in order of first call, with their first call's inputs."""
    seen = {}
    for module, args, kwargs in calls:
        if id(module) in seen:
            continue
        if isinstance(module, nn.modules.loss._Loss):
            continue
        seen[id(module)] = (module, args, kwargs)
    found = list(seen.values())
    # Drop modules that are part of another recorded model (probe calls in __init__, ...).
    result = []
    for module, args, kwargs in found:
        owners = [m for m, _, _ in found if m is not module and any(sub is module for sub in m.modules())]
        if not owners:
            result.append((module, args, kwargs))
    return result


def is_user_class(cls):
    """Written by the user: defined in the file itself (run as __main__) or in a module of the
    user's project (models/net.py beside it). torch's, torchvision's and timm's classes are
    library classes: their modules live in an installed package."""
    if cls.__module__ == "__main__":
        return True
    path = getattr(sys.modules.get(cls.__module__), "__file__", None) or ""
    return bool(path) and not any(part in path for part in ("site-packages", "dist-packages"))


def model_name(module, namespace, taken):
    """Class name for a class written by the user; the variable name for torch's own classes."""
    cls = type(module)
    variables = [k for k, v in namespace.items() if v is module and not k.startswith("__")]
    user_class = is_user_class(cls)
    if user_class and cls.__name__ not in taken:
        return cls.__name__
    if variables:
        return variables[0]
    return cls.__name__


def leaf_modules(model):
    """(name, module) of every leaf: no children, or a MultiheadAttention (whose children are skipped)."""
    leaves = []
    skip_prefixes = []
    for name, module in model.named_modules():
        if any(name == p or name.startswith(p + ".") for p in skip_prefixes):
            continue
        if isinstance(module, nn.MultiheadAttention):
            leaves.append((name, module))
            skip_prefixes.append(name)
            continue
        if next(module.children(), None) is None and module is not model:
            leaves.append((name, module))
    if not leaves and next(model.children(), None) is None:
        leaves.append(("", model))
    return leaves


def summarize(model, args, kwargs):
    rows = []
    counted = set()
    handles = []

    def make_hook(name):
        def hook(module, _inputs, output):
            if id(module) in counted:
                params = 0
            else:
                counted.add(id(module))
                params = sum(p.numel() for p in module.parameters())
            rows.append(
                {
                    "path": name,
                    "type": type(module).__name__,
                    "output_shape": first_shape(output),
                    "params": params,
                }
            )

        return hook

    for name, module in leaf_modules(model):
        handles.append(module.register_forward_hook(make_hook(name)))
    try:
        seed_everything()
        output = model(*clone_value(args), **clone_value(kwargs))
    finally:
        for h in handles:
            h.remove()
    inputs = tensor_args(args, kwargs)
    return {
        "input_shapes": [list(t.shape) for t in inputs],
        "output_shape": first_shape(output),
        "total_params": sum(p.numel() for p in model.parameters()),
        "trainable_params": sum(p.numel() for p in model.parameters() if p.requires_grad),
        "layers": rows,
    }


def run_file(path):
    path = os.path.abspath(path)
    result = {"file": os.path.basename(path), "framework": "pytorch", "oracle": ORACLE, "models": []}
    seed_everything()
    old_argv, old_path = sys.argv[:], sys.path[:]
    sys.argv = [path]
    sys.path.insert(0, os.path.dirname(path))
    try:
        with CallRecorder() as recorder, contextlib.redirect_stdout(sys.stderr):
            namespace = runpy.run_path(path, run_name="__main__")
        taken = set()
        for module, args, kwargs in find_models(recorder.calls):
            name = model_name(module, namespace, taken)
            taken.add(name)
            with contextlib.redirect_stdout(sys.stderr):
                summary = summarize(module, args, kwargs)
            result["models"].append({"name": name, **summary})
        if not result["models"]:
            raise RuntimeError("no model call found: the __main__ block must call the model on an input")
    except BaseException as e:  # SystemExit from the file counts as a failure too
        if isinstance(e, KeyboardInterrupt):
            raise
        result["error"] = "".join(traceback.format_exception_only(type(e), e)).strip()
        result["traceback"] = traceback.format_exc()
        result["models"] = []
    finally:
        sys.argv, sys.path = old_argv, old_path
    return result


def dump(results, pretty):
    if not pretty:
        return json.dumps(results)
    # corpus style: one layer per line
    out = io.StringIO()
    out.write("[\n")
    for i, r in enumerate(results):
        models = r.get("models", [])
        head = {k: v for k, v in r.items() if k != "models"}
        text = json.dumps(head, indent=2)[:-2]
        out.write(text + ',\n  "models": [\n')
        for j, m in enumerate(models):
            mhead = {k: v for k, v in m.items() if k != "layers"}
            out.write("    {\n")
            for k, v in mhead.items():
                out.write(f"      {json.dumps(k)}: {json.dumps(v)},\n")
            out.write('      "layers": [\n')
            out.write(",\n".join("        " + json.dumps(l) for l in m["layers"]))
            out.write("\n      ]\n    }" + ("," if j < len(models) - 1 else "") + "\n")
        out.write("  ]\n}" + ("," if i < len(results) - 1 else "") + "\n")
    out.write("]\n")
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--out", help="write the JSON here instead of stdout")
    parser.add_argument("--pretty", action="store_true")
    opts = parser.parse_args()
    torch.set_num_threads(1)
    results = [run_file(f) for f in opts.files]
    text = dump(results, opts.pretty)
    if opts.out:
        with open(opts.out, "w") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    sys.exit(1 if any("error" in r for r in results) else 0)


if __name__ == "__main__":
    main()
