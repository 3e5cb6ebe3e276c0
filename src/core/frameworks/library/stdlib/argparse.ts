// `argparse` as a Python stub module: scripts build their models from
// `opt = parser.parse_args()` (PyTorch-GAN, most training scripts), and the values the
// engine can know are the defaults, as when the script runs without arguments. An option
// with a default gets it (a string default goes through `type=`, as argparse does);
// store_true / store_false get False / True, count gets its default; anything without a
// default (a required option, a positional) comes from the command line, so it stays
// unknown instead of argparse's None. A list handed to parse_args (`parse_args([])`,
// `parse_args(["--depth", "3"])`, notebooks and tests do this) is parsed as argparse would:
// `--opt value`, `--opt=value`, `nargs` ('?', '*', '+', a count), store_true / store_false /
// store_const / count / append, unique prefixes of long options, then the positionals in order.

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
        self._specs = []
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
        self._specs.append(
            {
                "dest": dest,
                "flags": list(names),
                "action": action,
                "nargs": kwargs.get("nargs", None),
                "type": kwargs.get("type", None),
                "const": kwargs.get("const", None),
                "positional": len(names) > 0 and not names[0].startswith("-"),
            }
        )
        return None

    def _find(self, flag):
        for spec in self._specs:
            if flag in spec["flags"]:
                return spec
        if flag.startswith("--"):
            hits = [spec for spec in self._specs if [f for f in spec["flags"] if f.startswith("--") and f.startswith(flag)]]
            if len(hits) == 1:
                return hits[0]
        return None

    def _is_option(self, tok):
        if not tok.startswith("-") or len(tok) < 2:
            return False
        rest = tok[1:].replace(".", "", 1)
        return not rest.isdigit()

    def _convert(self, spec, text):
        kind = spec["type"]
        return text if kind is None else kind(text)

    def _parse(self, argv, ns):
        n = len(argv)
        i = 0
        loose = []
        while i < n:
            tok = argv[i]
            i += 1
            if not self._is_option(tok):
                loose.append(tok)
                continue
            inline = None
            if "=" in tok:
                tok, inline = tok.split("=", 1)
            spec = self._find(tok)
            if spec is None and not tok.startswith("--") and len(tok) > 2 and inline is None:
                # A cluster of short options (-vv, -xz) or a short option with its value attached (-n5).
                spec = self._find(tok[:2])
                if spec is not None and spec["action"] in ("store_true", "store_false", "store_const", "count", "append_const"):
                    argv = argv[:i] + ["-" + tok[2:]] + argv[i:]
                    n = len(argv)
                elif spec is not None:
                    inline = tok[2:]
            if spec is None:
                continue
            dest = spec["dest"]
            action = spec["action"]
            if action == "store_true":
                setattr(ns, dest, True)
                continue
            if action == "store_false":
                setattr(ns, dest, False)
                continue
            if action == "store_const":
                setattr(ns, dest, spec["const"])
                continue
            if action == "append_const":
                setattr(ns, dest, list(getattr(ns, dest, None) or []) + [spec["const"]])
                continue
            if action == "count":
                setattr(ns, dest, (getattr(ns, dest, None) or 0) + 1)
                continue
            if action in ("help", "version"):
                continue
            nargs = spec["nargs"]
            texts = []
            if inline is not None:
                texts = [inline]
            elif nargs is None or nargs == "?":
                if i < n and not self._is_option(argv[i]):
                    texts = [argv[i]]
                    i += 1
            elif nargs == "*" or nargs == "+" or nargs == "...":
                while i < n and not self._is_option(argv[i]):
                    texts.append(argv[i])
                    i += 1
            else:
                take = int(nargs)
                texts = argv[i: i + take]
                i += take
            values = [self._convert(spec, t) for t in texts]
            if nargs is None:
                value = values[0] if values else _UNSET
            elif nargs == "?":
                value = values[0] if values else spec["const"]
            else:
                value = values
            if value is _UNSET:
                continue
            if action == "append" or action == "extend":
                old = getattr(ns, dest, None) or []
                value = list(old) + (list(value) if action == "extend" else [value])
            setattr(ns, dest, value)
        for spec in self._specs:
            if not spec["positional"] or not loose:
                continue
            nargs = spec["nargs"]
            if nargs in ("*", "+", "..."):
                setattr(ns, spec["dest"], [self._convert(spec, t) for t in loose])
                loose = []
            elif nargs is None or nargs == "?":
                setattr(ns, spec["dest"], self._convert(spec, loose[0]))
                loose = loose[1:]
            else:
                take = int(nargs)
                setattr(ns, spec["dest"], [self._convert(spec, t) for t in loose[:take]])
                loose = loose[take:]
        return loose

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
        # A list or tuple (its index method is there); sys.argv[1:] is not known, and gives the defaults.
        if callable(getattr(args, "index", None)) and not isinstance(args, str):
            self._parse(list(args), ns)
        return ns

    def parse_known_args(self, args=None, namespace=None):
        return self.parse_args(args, namespace), []

    def print_help(self, *args):
        return None

    def error(self, message):
        return None
`;

export const ARGPARSE: StubModule = { module: 'argparse', source: SOURCE };
