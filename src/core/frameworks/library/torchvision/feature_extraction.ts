// torchvision.models.feature_extraction.create_feature_extractor, written for TensorLens after
// torchvision 0.14's documented behaviour: the model is traced with torch.fx, the graph is cut
// after the last requested node (so the modules only used after it, such as a classifier
// head, are dropped with their parameters), the kept submodules keep their qualified names
// (`extractor.layer1.0`), and the call returns a dict {output name: tensor} in the order of
// return_nodes. Not traced here: the model's children are taken to run one after another
// (as torchvision's backbones do up to their pooling), the graph is cut after the top-level
// child that is the last requested node. A node inside a child (`layer2.0.relu`: fx would cut
// that child too) or one that is not a submodule (`flatten`, `add`) is not modelled (Unknown).

import type { StubModule } from '../../../eval/modules';

const SOURCE = `
from collections import OrderedDict
import torch.nn as nn


class _FeatureExtractor(nn.Module):
    def __init__(self, model, return_nodes):
        super().__init__()
        if isinstance(return_nodes, (list, tuple)):
            return_nodes = {str(n): str(n) for n in return_nodes}
        return_nodes = {str(k): str(v) for k, v in return_nodes.items()}
        names = [name for name, _ in model.named_children()]
        for k in return_nodes:
            if k not in names:
                raise NotImplementedError("a return node that is not a child module of the model is not modelled")
        last = max(names.index(k) for k in return_nodes)
        for name, module in model.named_children():
            self.add_module(name, module)
            if name == names[last]:
                break
        self._return_nodes = return_nodes

    def forward(self, x):
        feats = {}
        for name, module in self.named_children():
            x = module(x)
            feats[name] = x
        return OrderedDict((v, feats[k]) for k, v in self._return_nodes.items())


def create_feature_extractor(model, return_nodes=None, train_return_nodes=None, eval_return_nodes=None, tracer_kwargs=None, suppress_diff_warning=False):
    if return_nodes is None:
        return_nodes = train_return_nodes if model.training else eval_return_nodes
    return _FeatureExtractor(model, return_nodes)
`;

export const TORCHVISION_FEATURE_EXTRACTION: StubModule = {
  module: 'torchvision.models.feature_extraction',
  source: SOURCE,
};
