"""A script whose models live inside main(): no module-level name holds them, so they are
named by their class. A probe call on a submodule after the model's own call is no model."""
import argparse

import torch
import torch.nn as nn


def make_mlp(sizes):
    layers = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(a, b), nn.GELU()]
    return nn.Sequential(*layers[:-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hidden", type=int, default=48)
    args = ap.parse_args([])
    mlp = make_mlp([12, args.hidden, args.hidden, 3])
    logits = mlp(torch.randn(6, 12))
    first = mlp[0](torch.randn(6, 12))
    gru = nn.GRU(12, 24, num_layers=2, batch_first=True, bidirectional=True)
    seq, h = gru(torch.randn(2, 9, 12))
    loss = nn.functional.cross_entropy(logits, torch.zeros(6, dtype=torch.long))
    print(logits.shape, first.shape, seq.shape, h.shape, float(loss))


if __name__ == "__main__":
    main()
