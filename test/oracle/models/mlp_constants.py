"""Fashion-MNIST MLP written as a module-level nn.Sequential driven by constants."""
import torch
import torch.nn as nn

IMAGE_SIZE = 28
INPUT_DIM = IMAGE_SIZE * IMAGE_SIZE
HIDDEN_SIZES = [400, 200, 100]
NUM_CLASSES = 10
DROPOUT = 0.25

model = nn.Sequential(
    nn.Flatten(),
    nn.Linear(INPUT_DIM, HIDDEN_SIZES[0]),
    nn.GELU(),
    nn.Dropout(DROPOUT),
    nn.Linear(HIDDEN_SIZES[0], HIDDEN_SIZES[1]),
    nn.SiLU(),
    nn.Dropout(p=DROPOUT / 2),
    nn.Linear(HIDDEN_SIZES[1], HIDDEN_SIZES[-1], bias=False),
    nn.ReLU(),
    nn.Linear(HIDDEN_SIZES[-1], NUM_CLASSES),
    nn.LogSoftmax(dim=1),
)

if __name__ == "__main__":
    images = torch.randn(8, 1, IMAGE_SIZE, IMAGE_SIZE)
    log_probs = model(images)
    print(log_probs.shape)
