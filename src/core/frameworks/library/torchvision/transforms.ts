// torchvision.transforms that are nn.Modules on tensors (models keep preprocessing in forward:
// Resize, CenterCrop, Normalize, flips, crops, Grayscale, Pad, ColorJitter, ...) and the plain
// Compose / Lambda, written for TensorLens after torchvision 0.14's definitions: Resize's
// output size rule (an int matches the shorter edge, the other scaled and truncated, then
// max_size), CenterCrop's padding of a crop larger than the image and its rounded offsets, Pad's
// int / 2 / 4 padding forms, Grayscale's channel count. What only changes values keeps the shape.

import type { StubModule } from '../../../eval/modules';

const SOURCE = `
import numbers
import torch
import torch.nn as nn
import torch.nn.functional as F


def _pair(size):
    if isinstance(size, numbers.Number):
        return (int(size), int(size))
    if isinstance(size, (tuple, list)) and len(size) == 1:
        return (size[0], size[0])
    return tuple(size)


def _resized_size(h, w, size, max_size=None):
    if isinstance(size, int) or len(size) == 1:
        short, long = (w, h) if w <= h else (h, w)
        requested = size if isinstance(size, int) else size[0]
        new_short, new_long = requested, int(requested * long / short)
        if max_size is not None and new_long > max_size:
            new_short, new_long = int(max_size * new_short / new_long), max_size
        new_w, new_h = (new_short, new_long) if w <= h else (new_long, new_short)
        return new_h, new_w
    return size[0], size[1]


def _resize_to(img, new_h, new_w):
    h, w = img.shape[-2], img.shape[-1]
    flat = img.reshape(-1, 1, h, w)
    out = F.interpolate(flat.float(), size=(new_h, new_w), mode="nearest")
    return out.reshape(tuple(img.shape[:-2]) + (new_h, new_w))


def _pad_ltrb(img, padding, fill=0, padding_mode="constant"):
    if isinstance(padding, int):
        left = top = right = bottom = padding
    elif len(padding) == 1:
        left = top = right = bottom = padding[0]
    elif len(padding) == 2:
        left = right = padding[0]
        top = bottom = padding[1]
    else:
        left, top, right, bottom = padding[0], padding[1], padding[2], padding[3]
    return F.pad(img, (left, right, top, bottom))


class Resize(nn.Module):
    def __init__(self, size, interpolation="bilinear", max_size=None, antialias=None):
        super().__init__()
        self.size = size
        self.max_size = max_size
        self.interpolation = interpolation
        self.antialias = antialias

    def forward(self, img):
        new_h, new_w = _resized_size(img.shape[-2], img.shape[-1], self.size, self.max_size)
        return _resize_to(img, new_h, new_w)


class CenterCrop(nn.Module):
    def __init__(self, size):
        super().__init__()
        self.size = _pair(size)

    def forward(self, img):
        crop_height, crop_width = self.size
        image_height, image_width = img.shape[-2], img.shape[-1]
        if crop_width > image_width or crop_height > image_height:
            padding_ltrb = [
                (crop_width - image_width) // 2 if crop_width > image_width else 0,
                (crop_height - image_height) // 2 if crop_height > image_height else 0,
                (crop_width - image_width + 1) // 2 if crop_width > image_width else 0,
                (crop_height - image_height + 1) // 2 if crop_height > image_height else 0,
            ]
            img = _pad_ltrb(img, padding_ltrb)
            image_height, image_width = img.shape[-2], img.shape[-1]
            if crop_width == image_width and crop_height == image_height:
                return img
        top = int(round((image_height - crop_height) / 2.0))
        left = int(round((image_width - crop_width) / 2.0))
        return img[..., top:top + crop_height, left:left + crop_width]


class RandomCrop(nn.Module):
    def __init__(self, size, padding=None, pad_if_needed=False, fill=0, padding_mode="constant"):
        super().__init__()
        self.size = _pair(size)
        self.padding = padding
        self.pad_if_needed = pad_if_needed

    def forward(self, img):
        if self.padding is not None:
            img = _pad_ltrb(img, self.padding)
        th, tw = self.size
        h, w = img.shape[-2], img.shape[-1]
        if self.pad_if_needed and w < tw:
            img = _pad_ltrb(img, [tw - w, 0])
        if self.pad_if_needed and h < th:
            img = _pad_ltrb(img, [0, th - h])
        return img[..., :th, :tw]


class RandomResizedCrop(nn.Module):
    def __init__(self, size, scale=(0.08, 1.0), ratio=(3.0 / 4.0, 4.0 / 3.0), interpolation="bilinear", antialias=None):
        super().__init__()
        self.size = _pair(size)

    def forward(self, img):
        return _resize_to(img, self.size[0], self.size[1])


class Pad(nn.Module):
    def __init__(self, padding, fill=0, padding_mode="constant"):
        super().__init__()
        self.padding = padding

    def forward(self, img):
        return _pad_ltrb(img, self.padding)


class Grayscale(nn.Module):
    def __init__(self, num_output_channels=1):
        super().__init__()
        self.num_output_channels = num_output_channels

    def forward(self, img):
        if img.shape[-3] != 3:
            raise TypeError("Input image tensor permitted channel values are [3]")
        gray = img[..., :1, :, :]
        return gray.expand(img.shape) if self.num_output_channels == 3 else gray


class Normalize(nn.Module):
    def __init__(self, mean, std, inplace=False):
        super().__init__()
        self.mean = mean
        self.std = std
        self.inplace = inplace

    def forward(self, tensor):
        return tensor.clone()


class _SameShape(nn.Module):
    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, img):
        return img.clone()


class RandomHorizontalFlip(_SameShape):
    pass


class RandomVerticalFlip(_SameShape):
    pass


class ColorJitter(_SameShape):
    pass


class GaussianBlur(_SameShape):
    pass


class RandomErasing(_SameShape):
    pass


class RandomGrayscale(_SameShape):
    pass


class RandomInvert(_SameShape):
    pass


class RandomAutocontrast(_SameShape):
    pass


class RandomRotation(_SameShape):
    pass


class RandomAffine(_SameShape):
    pass


class ConvertImageDtype(_SameShape):
    pass


class Compose:
    def __init__(self, transforms):
        self.transforms = transforms

    def __call__(self, img):
        for t in self.transforms:
            img = t(img)
        return img


class Lambda:
    def __init__(self, lambd):
        self.lambd = lambd

    def __call__(self, img):
        return self.lambd(img)
`;

export const TORCHVISION_TRANSFORMS: StubModule = {
  module: 'torchvision.transforms',
  source: SOURCE,
  aliases: ['torchvision.transforms.transforms'],
};
