// PyTorch Lightning (`pytorch_lightning`, `lightning.pytorch`, `lightning`) as a Python stub
// written for TensorLens from Lightning's documented behaviour, for what a model's shapes and
// parameters depend on: LightningModule is an nn.Module; save_hyperparameters() stores the
// calling __init__'s arguments (all, the names given, or one dict / Namespace; minus `ignore`)
// in self.hparams, read by attribute or key; logging, the trainer and data modules do nothing
// to the model, so they are no-ops here.

import type { StubModule } from '../../../eval/modules';

const SOURCE = `
import inspect
import torch
import torch.nn as nn


class AttributeDict(dict):
    def __getattr__(self, key):
        if key in self:
            return self[key]
        raise AttributeError(key)

    def __setattr__(self, key, val):
        self[key] = val


def _init_args(frame):
    info = inspect.getargvalues(frame)
    out = {}
    for name in info.args[1:]:
        out[name] = info.locals[name]
    if info.keywords is not None:
        for key, val in info.locals[info.keywords].items():
            out[key] = val
    return out


class LightningModule(nn.Module):
    def __init__(self, *args, **kwargs):
        super().__init__()
        self._hparams = AttributeDict()

    @property
    def hparams(self):
        return self._hparams

    def save_hyperparameters(self, *args, ignore=None, frame=None, logger=True):
        if frame is None:
            frame = inspect.currentframe().f_back
        if len(args) == 1 and not isinstance(args[0], str):
            given = args[0]
            hp = dict(given) if isinstance(given, dict) else dict(vars(given))
        else:
            init = _init_args(frame)
            hp = {k: init[k] for k in args} if args else init
        if ignore is not None:
            ignored = [ignore] if isinstance(ignore, str) else list(ignore)
            hp = {k: v for k, v in hp.items() if k not in ignored}
        self._hparams = AttributeDict(hp)

    def log(self, *args, **kwargs):
        return None

    def log_dict(self, *args, **kwargs):
        return None

    def print(self, *args, **kwargs):
        return None


class LightningDataModule:
    def __init__(self, *args, **kwargs):
        pass

    def save_hyperparameters(self, *args, **kwargs):
        return None


class Callback:
    pass


class Trainer:
    def __init__(self, *args, **kwargs):
        self.current_epoch = 0

    def fit(self, *args, **kwargs):
        return None

    def validate(self, *args, **kwargs):
        return None

    def test(self, *args, **kwargs):
        return None

    def predict(self, *args, **kwargs):
        return None


def seed_everything(seed=None, workers=False):
    return seed
`;

export const LIGHTNING: StubModule = {
  module: 'pytorch_lightning',
  source: SOURCE,
  aliases: ['lightning', 'lightning.pytorch', 'pytorch_lightning.core', 'pytorch_lightning.core.module', 'lightning.pytorch.core', 'lightning.pytorch.core.module'],
};
