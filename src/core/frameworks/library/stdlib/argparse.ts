// `argparse` as a Python stub module: scripts build their models from
// `opt = parser.parse_args()` (PyTorch-GAN, most training scripts), and the values the
// engine can know are the defaults, as when the script runs without arguments. An option
// with a default gets it (a string default goes through `type=`, as argparse does);
// store_true / store_false get False / True, count gets its default; anything without a
// default (a required option, a positional) comes from the command line, so it stays
// unknown instead of argparse's None.

import type { StubModule } from '../../../eval/modules';

const SOURCE = `
_UNSET = object()


class Namespace:
    def __init__(self, **kwargs):
        for k in kwargs:
            setattr(self, k, kwargs[k])


class _Group:
    def __init__(self, parser):
        self._parser = parser

    def add_argument(self, *names, **kwargs):
        return self._parser.add_argument(*names, **kwargs)

    def add_argument_group(self, *args, **kwargs):
        return self

    def add_mutually_exclusive_group(self, *args, **kwargs):
        return self


class ArgumentParser:
    def __init__(self, *args, **kwargs):
        self._actions = []
        self._defaults = {}

    def add_argument(self, *names, **kwargs):
        dest = kwargs.get("dest", None)
        if dest is None:
            longs = [n for n in names if n.startswith("--")]
            flag = longs[0] if longs else names[0]
            dest = flag.lstrip("-").replace("-", "_")
        action = kwargs.get("action", "store")
        if "default" in kwargs:
            value = kwargs["default"]
            kind = kwargs.get("type", None)
            if isinstance(value, str) and kind is not None:
                value = kind(value)
        elif action == "store_true":
            value = False
        elif action == "store_false":
            value = True
        else:
            value = _UNSET
        self._actions.append((dest, value))
        return None

    def add_argument_group(self, *args, **kwargs):
        return _Group(self)

    def add_mutually_exclusive_group(self, *args, **kwargs):
        return _Group(self)

    def add_subparsers(self, *args, **kwargs):
        return _Group(self)

    def set_defaults(self, **kwargs):
        for k in kwargs:
            self._defaults[k] = kwargs[k]

    def parse_args(self, args=None, namespace=None):
        ns = Namespace() if namespace is None else namespace
        for dest, value in self._actions:
            if value is not _UNSET:
                setattr(ns, dest, value)
        for k in self._defaults:
            setattr(ns, k, self._defaults[k])
        return ns

    def parse_known_args(self, args=None, namespace=None):
        return self.parse_args(args, namespace), []

    def print_help(self, *args):
        return None

    def error(self, message):
        return None
`;

export const ARGPARSE: StubModule = { module: 'argparse', source: SOURCE };
