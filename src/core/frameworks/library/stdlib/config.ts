// Standard-library modules model scripts read their settings from, as Python stubs run once
// per analysis (so what a script sets in them stays in that analysis):
// - `os`: the environment is empty, so `os.environ.get("WIDTH", "12")` and
//   `os.getenv("WIDTH", "12")` give their defaults, as the script runs with nothing set
//   (the same rule as argparse's defaults); `os.path` and the rest are not modelled.
// - `types`: SimpleNamespace(**config) holds its keywords as attributes; FunctionType / LambdaType /
//   MethodType are the built-in types type() gives for a function and a bound method.

import type { StubModule } from '../../../eval/modules';

export const OS_STUB: StubModule = {
  module: 'os',
  source: `
environ = {}


def getenv(key, default=None):
    return environ.get(key, default)
`,
};

export const TYPES_STUB: StubModule = {
  module: 'types',
  source: `
class SimpleNamespace:
    def __init__(self, **kwargs):
        for k in kwargs:
            setattr(self, k, kwargs[k])

    def _method(self):
        pass


FunctionType = type(lambda: None)
LambdaType = FunctionType
MethodType = type(SimpleNamespace()._method)
`,
};
