// torch.autograd.Function as a Python stub: a custom op (gradient reversal, straight-through
// estimators) is called as `MyFn.apply(x, alpha)`, which runs the subclass's static
// `forward(ctx, *args)` with a context object; its backward never runs in a shape pass.
// The context takes any attribute (`ctx.alpha = alpha`) and keeps what is saved for
// backward (`ctx.save_for_backward(x)` -> `ctx.saved_tensors`).

import type { StubModule } from '../../eval/modules';

const SOURCE = `
class FunctionCtx:
    def __init__(self):
        self.saved_tensors = ()
        self.needs_input_grad = ()

    def save_for_backward(self, *tensors):
        self.saved_tensors = tensors

    def mark_dirty(self, *args):
        return None

    def mark_non_differentiable(self, *args):
        return None

    def set_materialize_grads(self, value):
        return None


class Function:
    @classmethod
    def apply(cls, *args, **kwargs):
        return cls.forward(FunctionCtx(), *args, **kwargs)


class InplaceFunction(Function):
    def __init__(self, inplace=False):
        self.inplace = inplace
`;

export const TORCH_AUTOGRAD_STUB: StubModule = { module: 'torch.autograd', source: SOURCE };

/** The names the stub defines, under `torch.autograd` and `torch.autograd.function`. */
export const TORCH_AUTOGRAD_NAMES: ReadonlySet<string> = new Set(['Function', 'FunctionCtx', 'InplaceFunction']);
