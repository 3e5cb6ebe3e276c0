// timm's Swin Transformer (timm.models.swin_transformer, timm >= 0.9 layout) as its own Python
// stub module, parsed only when a file creates a Swin model: `patch_embed.proj` / `.norm`
// (NHWC out), `layers.i` stages with PatchMerging first as `layers.i.downsample` (stages 1-3),
// `layers.i.blocks.j` with `norm1`, `attn.qkv`, `attn.proj`, a relative position bias table
// of (2*Wh-1)*(2*Ww-1) x heads per block, `norm2`, `mlp.fc1` / `mlp.fc2`; then `norm` and the
// NHWC ClassifierHead (`head.global_pool`, `head.fc`). Windows are partitioned, shifted and
// merged back as timm does, so `attn.qkv` reads [B * windows, Wh*Ww, 3 * dim]. The pair-wise
// index buffer and the shifted-window mask keep timm's shapes; their values change no shape
// and are not computed. Drop paths are Identity, as in the other timm stubs.

export const TIMM_SWIN_MODULE = 'timm.models.swin_transformer';

export const TIMM_SWIN = `
import math
import torch
import torch.nn as nn
import torch.nn.functional as F
from timm import Mlp, ClassifierHead, PatchEmbed


def _pair(v):
    if isinstance(v, (tuple, list)):
        return (v[0], v[1])
    return (v, v)


def window_partition(x, window_size):
    B, H, W, C = x.shape
    x = x.view(B, H // window_size[0], window_size[0], W // window_size[1], window_size[1], C)
    return x.permute(0, 1, 3, 2, 4, 5).contiguous().view(-1, window_size[0], window_size[1], C)


def window_reverse(windows, window_size, H, W):
    C = windows.shape[-1]
    x = windows.view(-1, H // window_size[0], W // window_size[1], window_size[0], window_size[1], C)
    return x.permute(0, 1, 3, 2, 4, 5).contiguous().view(-1, H, W, C)


class WindowAttention(nn.Module):
    def __init__(self, dim, num_heads, head_dim=None, window_size=7, qkv_bias=True, attn_drop=0., proj_drop=0.):
        super().__init__()
        self.dim = dim
        self.window_size = _pair(window_size)
        win_h, win_w = self.window_size
        self.window_area = win_h * win_w
        self.num_heads = num_heads
        head_dim = head_dim or dim // num_heads
        attn_dim = head_dim * num_heads
        self.scale = head_dim ** -0.5
        self.relative_position_bias_table = nn.Parameter(torch.zeros((2 * win_h - 1) * (2 * win_w - 1), num_heads))
        self.register_buffer('relative_position_index', torch.zeros(self.window_area, self.window_area, dtype=torch.long), persistent=False)
        self.qkv = nn.Linear(dim, attn_dim * 3, bias=qkv_bias)
        self.attn_drop = nn.Dropout(attn_drop)
        self.proj = nn.Linear(attn_dim, dim)
        self.proj_drop = nn.Dropout(proj_drop)
        self.softmax = nn.Softmax(dim=-1)

    def _get_rel_pos_bias(self):
        bias = self.relative_position_bias_table[self.relative_position_index.view(-1)]
        bias = bias.view(self.window_area, self.window_area, -1).permute(2, 0, 1)
        return bias.unsqueeze(0)

    def forward(self, x, mask=None):
        B_, N, C = x.shape
        qkv = self.qkv(x).reshape(B_, N, 3, self.num_heads, -1).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        attn_mask = self._get_rel_pos_bias()
        if mask is not None:
            num_win = mask.shape[0]
            mask = mask.view(1, num_win, 1, N, N).expand(B_ // num_win, -1, self.num_heads, -1, -1)
            attn_mask = attn_mask + mask.reshape(-1, self.num_heads, N, N)
        x = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
        x = x.transpose(1, 2).reshape(B_, N, -1)
        x = self.proj(x)
        x = self.proj_drop(x)
        return x


class SwinTransformerBlock(nn.Module):
    def __init__(self, dim, input_resolution, num_heads=4, head_dim=None, window_size=7, shift_size=0, always_partition=False,
                 dynamic_mask=False, mlp_ratio=4., qkv_bias=True, proj_drop=0., attn_drop=0., drop_path=0., act_layer=nn.GELU,
                 norm_layer=nn.LayerNorm):
        super().__init__()
        self.dim = dim
        self.input_resolution = _pair(input_resolution)
        window_size = _pair(window_size)
        shift_size = _pair(shift_size)
        if always_partition:
            self.window_size = window_size
            self.shift_size = shift_size
        else:
            res_h, res_w = self.input_resolution
            win_h = res_h if res_h <= window_size[0] else window_size[0]
            win_w = res_w if res_w <= window_size[1] else window_size[1]
            self.window_size = (win_h, win_w)
            self.shift_size = (0 if res_h <= win_h else shift_size[0], 0 if res_w <= win_w else shift_size[1])
        self.window_area = self.window_size[0] * self.window_size[1]
        self.mlp_ratio = mlp_ratio
        self.norm1 = norm_layer(dim)
        self.attn = WindowAttention(dim, num_heads=num_heads, head_dim=head_dim, window_size=self.window_size, qkv_bias=qkv_bias,
                                    attn_drop=attn_drop, proj_drop=proj_drop)
        self.drop_path1 = nn.Identity()
        self.norm2 = norm_layer(dim)
        self.mlp = Mlp(in_features=dim, hidden_features=int(dim * mlp_ratio), act_layer=act_layer, drop=proj_drop)
        self.drop_path2 = nn.Identity()
        self.register_buffer('attn_mask', self.get_attn_mask(), persistent=False)

    def get_attn_mask(self):
        if self.shift_size[0] == 0 and self.shift_size[1] == 0:
            return None
        rows = math.ceil(self.input_resolution[0] / self.window_size[0])
        cols = math.ceil(self.input_resolution[1] / self.window_size[1])
        # One (window_area x window_area) 0 / -100 mask per window: only its shape matters here.
        return torch.zeros(rows * cols, self.window_area, self.window_area)

    def _attn(self, x):
        B, H, W, C = x.shape
        has_shift = self.shift_size[0] != 0 or self.shift_size[1] != 0
        if has_shift:
            shifted_x = torch.roll(x, shifts=(-self.shift_size[0], -self.shift_size[1]), dims=(1, 2))
        else:
            shifted_x = x
        pad_h = (self.window_size[0] - H % self.window_size[0]) % self.window_size[0]
        pad_w = (self.window_size[1] - W % self.window_size[1]) % self.window_size[1]
        shifted_x = F.pad(shifted_x, (0, 0, 0, pad_w, 0, pad_h))
        _, Hp, Wp, _ = shifted_x.shape
        x_windows = window_partition(shifted_x, self.window_size)
        x_windows = x_windows.view(-1, self.window_area, C)
        attn_windows = self.attn(x_windows, mask=self.attn_mask)
        attn_windows = attn_windows.view(-1, self.window_size[0], self.window_size[1], C)
        shifted_x = window_reverse(attn_windows, self.window_size, Hp, Wp)
        shifted_x = shifted_x[:, :H, :W, :].contiguous()
        if has_shift:
            x = torch.roll(shifted_x, shifts=self.shift_size, dims=(1, 2))
        else:
            x = shifted_x
        return x

    def forward(self, x):
        B, H, W, C = x.shape
        x = x + self.drop_path1(self._attn(self.norm1(x)))
        x = x.reshape(B, -1, C)
        x = x + self.drop_path2(self.mlp(self.norm2(x)))
        x = x.reshape(B, H, W, C)
        return x


class PatchMerging(nn.Module):
    def __init__(self, dim, out_dim=None, norm_layer=nn.LayerNorm):
        super().__init__()
        self.dim = dim
        self.out_dim = out_dim or 2 * dim
        self.norm = norm_layer(4 * dim)
        self.reduction = nn.Linear(4 * dim, self.out_dim, bias=False)

    def forward(self, x):
        B, H, W, C = x.shape
        x = F.pad(x, (0, 0, 0, W % 2, 0, H % 2))
        _, H, W, _ = x.shape
        x = x.reshape(B, H // 2, 2, W // 2, 2, C).permute(0, 1, 3, 4, 2, 5).flatten(3)
        x = self.norm(x)
        x = self.reduction(x)
        return x


class SwinTransformerStage(nn.Module):
    def __init__(self, dim, out_dim, input_resolution, depth, downsample=True, num_heads=4, head_dim=None, window_size=7,
                 always_partition=False, dynamic_mask=False, mlp_ratio=4., qkv_bias=True, proj_drop=0., attn_drop=0., drop_path=0.,
                 norm_layer=nn.LayerNorm):
        super().__init__()
        self.dim = dim
        self.input_resolution = input_resolution
        if downsample:
            self.output_resolution = (input_resolution[0] // 2, input_resolution[1] // 2)
        else:
            self.output_resolution = input_resolution
        self.depth = depth
        self.grad_checkpointing = False
        window_size = _pair(window_size)
        shift_size = (window_size[0] // 2, window_size[1] // 2)
        if downsample:
            self.downsample = PatchMerging(dim=dim, out_dim=out_dim, norm_layer=norm_layer)
        else:
            self.downsample = nn.Identity()
        self.blocks = nn.Sequential(*[
            SwinTransformerBlock(dim=out_dim, input_resolution=self.output_resolution, num_heads=num_heads, head_dim=head_dim,
                                 window_size=window_size, shift_size=0 if i % 2 == 0 else shift_size,
                                 always_partition=always_partition, dynamic_mask=dynamic_mask, mlp_ratio=mlp_ratio,
                                 qkv_bias=qkv_bias, proj_drop=proj_drop, attn_drop=attn_drop, norm_layer=norm_layer)
            for i in range(depth)])

    def forward(self, x):
        x = self.downsample(x)
        x = self.blocks(x)
        return x


class SwinTransformer(nn.Module):
    def __init__(self, img_size=224, patch_size=4, in_chans=3, num_classes=1000, global_pool='avg', embed_dim=96,
                 depths=(2, 2, 6, 2), num_heads=(3, 6, 12, 24), head_dim=None, window_size=7, always_partition=False,
                 strict_img_size=True, mlp_ratio=4., qkv_bias=True, drop_rate=0., proj_drop_rate=0., attn_drop_rate=0.,
                 drop_path_rate=0.1, norm_layer=nn.LayerNorm, **kwargs):
        super().__init__()
        self.num_classes = num_classes
        self.global_pool = global_pool
        self.output_fmt = 'NHWC'
        self.num_layers = len(depths)
        self.embed_dim = embed_dim
        self.num_features = int(embed_dim * 2 ** (self.num_layers - 1))
        self.head_hidden_size = self.num_features
        dims = [int(embed_dim * 2 ** i) for i in range(self.num_layers)]
        self.patch_embed = PatchEmbed(img_size=img_size, patch_size=patch_size, in_chans=in_chans, embed_dim=dims[0],
                                      norm_layer=norm_layer, strict_img_size=strict_img_size, output_fmt='NHWC')
        grid = self.patch_embed.grid_size
        if not isinstance(window_size, (tuple, list)):
            window_size = [window_size] * self.num_layers
        elif len(window_size) == 2:
            window_size = [window_size] * self.num_layers
        layers = []
        in_dim = dims[0]
        scale = 1
        for i in range(self.num_layers):
            layers.append(SwinTransformerStage(
                dim=in_dim, out_dim=dims[i], input_resolution=(grid[0] // scale, grid[1] // scale), depth=depths[i],
                downsample=i > 0, num_heads=num_heads[i], head_dim=head_dim, window_size=window_size[i],
                always_partition=always_partition, dynamic_mask=not strict_img_size, mlp_ratio=mlp_ratio, qkv_bias=qkv_bias,
                proj_drop=proj_drop_rate, attn_drop=attn_drop_rate, norm_layer=norm_layer))
            in_dim = dims[i]
            if i > 0:
                scale *= 2
        self.layers = nn.Sequential(*layers)
        self.norm = norm_layer(self.num_features)
        self.head = ClassifierHead(self.num_features, num_classes, pool_type=global_pool, drop_rate=drop_rate, input_fmt=self.output_fmt)

    def get_classifier(self):
        return self.head.fc

    def reset_classifier(self, num_classes, global_pool=None):
        self.num_classes = num_classes
        self.head.reset(num_classes, pool_type=global_pool)

    def forward_features(self, x):
        x = self.patch_embed(x)
        x = self.layers(x)
        x = self.norm(x)
        return x

    def forward_head(self, x, pre_logits=False):
        if pre_logits:
            return self.head(x, pre_logits=True)
        return self.head(x)

    def forward(self, x):
        x = self.forward_features(x)
        x = self.forward_head(x)
        return x


def _swin(embed_dim, depths, num_heads, **kwargs):
    args = dict(patch_size=4, window_size=7, embed_dim=embed_dim, depths=depths, num_heads=num_heads)
    args.update(kwargs)
    return SwinTransformer(**args)


def swin_tiny_patch4_window7_224(pretrained=False, **kwargs):
    return _swin(96, (2, 2, 6, 2), (3, 6, 12, 24), **kwargs)


def swin_small_patch4_window7_224(pretrained=False, **kwargs):
    return _swin(96, (2, 2, 18, 2), (3, 6, 12, 24), **kwargs)


def swin_base_patch4_window7_224(pretrained=False, **kwargs):
    return _swin(128, (2, 2, 18, 2), (4, 8, 16, 32), **kwargs)
`;
