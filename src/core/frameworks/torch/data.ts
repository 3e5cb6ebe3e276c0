// torch.utils.data as a Python stub (after torch 1.13's definitions): Dataset, TensorDataset,
// Subset, ConcatDataset, random_split, default_collate and DataLoader, so that a batch drawn
// in a script (`next(iter(loader))`, `for xb, yb in loader:`) has the shape the model is
// called with. A loader iterates over its full batches (each the collated copies of one sample,
// read and collated once per loader) and then the smaller last one unless drop_last; samplers
// and workers change no shape and are not modelled.

import type { StubModule } from '../../eval/modules';

const SOURCE = `
import torch
from torch._tensorlens import fresh_batch


class Dataset:
    def __getitem__(self, index):
        raise NotImplementedError

    def __add__(self, other):
        return ConcatDataset([self, other])


class IterableDataset(Dataset):
    pass


class TensorDataset(Dataset):
    def __init__(self, *tensors):
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple(tensor[index] for tensor in self.tensors)

    def __len__(self):
        return self.tensors[0].size(0)


class Subset(Dataset):
    def __init__(self, dataset, indices):
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, idx):
        return self.dataset[self.indices[idx]]

    def __len__(self):
        return len(self.indices)


class ConcatDataset(Dataset):
    def __init__(self, datasets):
        self.datasets = list(datasets)

    def __getitem__(self, idx):
        return self.datasets[0][idx]

    def __len__(self):
        return sum(len(d) for d in self.datasets)


def random_split(dataset, lengths, generator=None):
    n = len(dataset)
    if sum(lengths) <= 1 and n > 1:
        counts = [int(n * frac) for frac in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
        lengths = counts
    out = []
    offset = 0
    for length in lengths:
        out.append(Subset(dataset, list(range(offset, offset + length))))
        offset += length
    return out


def default_collate(batch):
    elem = batch[0]
    if isinstance(elem, torch.Tensor):
        return torch.stack(batch, 0)
    if isinstance(elem, bool):
        return torch.tensor(batch)
    if isinstance(elem, int):
        return torch.tensor(batch)
    if isinstance(elem, float):
        return torch.tensor(batch, dtype=torch.float64)
    if isinstance(elem, str):
        return batch
    if isinstance(elem, dict):
        return {key: default_collate([d[key] for d in batch]) for key in elem}
    if isinstance(elem, (tuple, list)):
        return [default_collate(list(samples)) for samples in zip(*batch)]
    return batch


class DataLoader:
    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None, num_workers=0, collate_fn=None,
                 pin_memory=False, drop_last=False, timeout=0, worker_init_fn=None, **kwargs):
        self.dataset = dataset
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.collate_fn = collate_fn if collate_fn is not None else default_collate
        self._batches = {}

    def _batch(self, start, size):
        # One sample, read and collated once per loader, stands for the batch: the shapes are
        # what matters, and reading every sample of every batch (or collating batch_size copies
        # of one in every epoch) made a training script's analysis many times slower. Each
        # batch handed out is a copy (fresh_batch): code may change the one it was given.
        key = (start, size)
        if key not in self._batches:
            self._batches[key] = self.collate_fn([self.dataset[start]] * size)
        return fresh_batch(self._batches[key])

    def __len__(self):
        n = len(self.dataset)
        if self.batch_size is None:
            return n
        if self.drop_last:
            return n // self.batch_size
        return (n + self.batch_size - 1) // self.batch_size

    def __iter__(self):
        n = len(self.dataset)
        if self.batch_size is None:
            return [self.dataset[i] for i in range(n)]
        full = n // self.batch_size
        batches = []
        if full > 0:
            # A batch of its own each time, as torch makes it: code may change one in place
            # (y.unsqueeze_(1)). The later ones are copies of the first (fresh_batch, runtime.ts).
            first = self._batch(0, self.batch_size)
            batches = [first] + [fresh_batch(first) for _ in range(full - 1)]
        if not self.drop_last and n % self.batch_size:
            batches.append(self._batch(full * self.batch_size, n % self.batch_size))
        return batches
`;

export const TORCH_DATA_STUB: StubModule = { module: 'torch.utils.data', source: SOURCE };

/** The names the stub defines (`torch.utils.data.X`, also under its dataset / dataloader submodules). */
export const TORCH_DATA_NAMES: ReadonlySet<string> = new Set([
  'Dataset', 'IterableDataset', 'TensorDataset', 'Subset', 'ConcatDataset', 'random_split', 'default_collate', 'DataLoader',
]);
