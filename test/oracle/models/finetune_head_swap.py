"""Transfer-learning pattern: build a model, then replace its head and freeze the backbone in __main__."""
import torch
import torch.nn as nn


class SmallResNet(nn.Module):
    def __init__(self, num_classes=1000):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, 2, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.relu = nn.ReLU(inplace=True)
        self.layer1 = nn.Sequential(nn.Conv2d(16, 32, 3, 2, 1), nn.BatchNorm2d(32), nn.ReLU())
        self.layer2 = nn.Sequential(nn.Conv2d(32, 64, 3, 2, 1), nn.BatchNorm2d(64), nn.ReLU())
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(64, num_classes)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer2(self.layer1(x))
        x = torch.flatten(self.avgpool(x), 1)
        return self.fc(x)


if __name__ == "__main__":
    model = SmallResNet()
    for param in model.parameters():
        param.requires_grad = False
    num_ftrs = model.fc.in_features
    model.fc = nn.Sequential(nn.Dropout(0.2), nn.Linear(num_ftrs, 3))
    model.layer2[0] = nn.Conv2d(32, 48, 3, 2, 1)
    model.layer2[1] = nn.BatchNorm2d(48)
    model.fc[1] = nn.Linear(48, 3)
    print(model(torch.randn(4, 3, 32, 32)).shape)
