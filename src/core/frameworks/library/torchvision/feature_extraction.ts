// torchvision.models.feature_extraction.create_feature_extractor, written for TensorLens after
// torchvision 0.14's documented behaviour: the model is traced with torch.fx, the graph is cut
// after the last requested node (so the modules only used after it, such as a classifier
// head, are dropped with their parameters), the kept submodules keep their qualified names
// (`extractor.layer1.0`), and the call returns a dict {output name: tensor} in the order of
// return_nodes. Not traced here: the model's children are taken to run one after another
// (as torchvision's convolutional backbones do up to their pooling), the graph is cut after the
// top-level child that is the last requested node. Not modelled (Unknown, not a guess): a node
// inside a child (`layer2.0.relu`: fx would cut that child too), one that is not a submodule
// (`flatten`, `add`), and a kept child holding a Linear (a classifier after a flatten, a
// transformer encoder after the tokens are made: the forward does more than chain them there).

import type { StubModule } from '../../../eval/modules';

const SOURCE = `
from collections import OrderedDict
import torch.nn as nn


class _FeatureExtractor(nn.Module):
    def __init__(self, model, return_nodes, last):
        super().__init__()
        for name, module in list(model.named_children())[: last + 1]:
            self.add_module(name, module)
        self._return_nodes = return_nodes

    def forward(self, x):
        feats = {}
        for name, module in self.named_children():
            x = module(x)
            feats[name] = x
        return OrderedDict((v, feats[k]) for k, v in self._return_nodes.items())


def return_node_not_a_child_module_is_not_modelled_by_tensorlens(node):
    raise NotImplementedError(node)


def forward_between_children_is_not_modelled_by_tensorlens(child):
    raise NotImplementedError(child)


def create_feature_extractor(model, return_nodes=None, train_return_nodes=None, eval_return_nodes=None, tracer_kwargs=None, suppress_diff_warning=False):
    if return_nodes is None:
        return_nodes = train_return_nodes if model.training else eval_return_nodes
    if isinstance(return_nodes, (list, tuple)):
        return_nodes = {str(n): str(n) for n in return_nodes}
    return_nodes = {str(k): str(v) for k, v in return_nodes.items()}
    names = [name for name, _ in model.named_children()]
    for k in return_nodes:
        if k not in names:
            return return_node_not_a_child_module_is_not_modelled_by_tensorlens(k)
    last = max(names.index(k) for k in return_nodes)
    for name, module in list(model.named_children())[: last + 1]:
        if any(isinstance(m, nn.Linear) for m in module.modules()):
            return forward_between_children_is_not_modelled_by_tensorlens(name)
    return _FeatureExtractor(model, return_nodes, last)
`;

export const TORCHVISION_FEATURE_EXTRACTION: StubModule = {
  module: 'torchvision.models.feature_extraction',
  source: SOURCE,
};
