// timm's ConvNeXt and Vision Transformer as Python stubs, written for TensorLens after
// timm's published definitions (timm.models.convnext / vision_transformer): \`stem\`,
// \`stages.i.downsample\`, \`stages.i.blocks.j\` with \`conv_dw\`, \`norm\`, \`mlp.fc1\`, \`gamma\`;
// ViT's \`patch_embed.proj\`, \`cls_token\`, \`pos_embed\`, \`blocks.i.attn.qkv\`, \`norm\`, \`head\`.
// Attention runs as timm's fused path (scaled_dot_product_attention; \`attn_drop\` is not called).

export const TIMM_TRANSFORMER = `
class ConvNeXtBlock(nn.Module):
    def __init__(self, in_chs, out_chs=None, kernel_size=7, mlp_ratio=4, ls_init_value=1e-6, act_layer=nn.GELU):
        super().__init__()
        out_chs = out_chs or in_chs
        self.conv_dw = nn.Conv2d(in_chs, out_chs, kernel_size, stride=1, padding=kernel_size // 2, groups=in_chs, bias=True)
        self.norm = nn.LayerNorm(out_chs, eps=1e-6)
        self.mlp = Mlp(out_chs, int(mlp_ratio * out_chs), act_layer=act_layer)
        self.gamma = nn.Parameter(ls_init_value * torch.ones(out_chs)) if ls_init_value is not None else None
        self.shortcut = nn.Identity()
        self.drop_path = nn.Identity()

    def forward(self, x):
        shortcut = x
        x = self.conv_dw(x)
        x = x.permute(0, 2, 3, 1)
        x = self.norm(x)
        x = self.mlp(x)
        x = x.permute(0, 3, 1, 2)
        if self.gamma is not None:
            x = x.mul(self.gamma.reshape(1, -1, 1, 1))
        x = self.drop_path(x) + self.shortcut(shortcut)
        return x


class ConvNeXtStage(nn.Module):
    def __init__(self, in_chs, out_chs, stride=2, depth=2, ls_init_value=1.0):
        super().__init__()
        if in_chs != out_chs or stride > 1:
            self.downsample = nn.Sequential(LayerNorm2d(in_chs), nn.Conv2d(in_chs, out_chs, kernel_size=stride, stride=stride, bias=True))
            in_chs = out_chs
        else:
            self.downsample = nn.Identity()
        blocks = []
        for i in range(depth):
            blocks.append(ConvNeXtBlock(in_chs, out_chs, ls_init_value=ls_init_value))
            in_chs = out_chs
        self.blocks = nn.Sequential(*blocks)

    def forward(self, x):
        x = self.downsample(x)
        x = self.blocks(x)
        return x


class ConvNeXt(nn.Module):
    def __init__(self, in_chans=3, num_classes=1000, global_pool='avg', depths=(3, 3, 9, 3), dims=(96, 192, 384, 768),
                 ls_init_value=1e-6, patch_size=4, drop_rate=0., **kwargs):
        super().__init__()
        self.num_classes = num_classes
        self.drop_rate = drop_rate
        self.stem = nn.Sequential(nn.Conv2d(in_chans, dims[0], kernel_size=patch_size, stride=patch_size, bias=True), LayerNorm2d(dims[0]))
        stages = []
        prev_chs = dims[0]
        for i in range(4):
            stride = 2 if i > 0 else 1
            stages.append(ConvNeXtStage(prev_chs, dims[i], stride=stride, depth=depths[i], ls_init_value=ls_init_value))
            prev_chs = dims[i]
        self.stages = nn.Sequential(*stages)
        self.num_features = prev_chs
        self.norm_pre = nn.Identity()
        self.head = NormMlpClassifierHead(self.num_features, num_classes, pool_type=global_pool, drop_rate=drop_rate, norm_layer=LayerNorm2d, act_layer=nn.GELU)

    def reset_classifier(self, num_classes, global_pool=None):
        self.num_classes = num_classes
        self.head.reset(num_classes, global_pool)

    def forward(self, x):
        x = self.stem(x)
        x = self.stages(x)
        x = self.norm_pre(x)
        x = self.head(x)
        return x


def input_size_differs_from_img_size_and_strict_img_size_is_set():
    raise AssertionError('timm PatchEmbed: input size differs from img_size')


class PatchEmbed(nn.Module):
    def __init__(self, img_size=224, patch_size=16, in_chans=3, embed_dim=768, norm_layer=None, flatten=True, output_fmt=None,
                 bias=True, strict_img_size=True):
        super().__init__()
        self.img_size = tuple(img_size) if isinstance(img_size, (tuple, list)) else (img_size, img_size)
        self.patch_size = (patch_size, patch_size)
        self.grid_size = (self.img_size[0] // patch_size, self.img_size[1] // patch_size)
        self.num_patches = self.grid_size[0] * self.grid_size[1]
        # output_fmt='NHWC' (Swin) keeps the grid channels-last instead of flattening it to tokens.
        self.output_fmt = output_fmt or 'NCHW'
        self.flatten = flatten if output_fmt is None else False
        self.strict_img_size = strict_img_size
        self.proj = nn.Conv2d(in_chans, embed_dim, kernel_size=patch_size, stride=patch_size, bias=bias)
        self.norm = norm_layer(embed_dim) if norm_layer else nn.Identity()

    def forward(self, x):
        B, C, H, W = x.shape
        if not self.strict_img_size or (H == self.img_size[0] and W == self.img_size[1]):
            x = self.proj(x)
        else:
            # timm asserts "Input height (H) doesn't match model (img_size)": stop, naming why.
            return input_size_differs_from_img_size_and_strict_img_size_is_set()
        if self.flatten:
            x = x.flatten(2).transpose(1, 2)
        elif self.output_fmt == 'NHWC':
            x = x.permute(0, 2, 3, 1)
        x = self.norm(x)
        return x


class Attention(nn.Module):
    def __init__(self, dim, num_heads=8, qkv_bias=False, attn_drop=0., proj_drop=0.):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
        self.q_norm = nn.Identity()
        self.k_norm = nn.Identity()
        self.attn_drop = nn.Dropout(attn_drop)
        self.norm = nn.Identity()
        self.proj = nn.Linear(dim, dim)
        self.proj_drop = nn.Dropout(proj_drop)

    def forward(self, x):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        q = self.q_norm(q)
        k = self.k_norm(k)
        x = F.scaled_dot_product_attention(q, k, v)
        x = x.transpose(1, 2).reshape(B, N, C)
        x = self.norm(x)
        x = self.proj(x)
        x = self.proj_drop(x)
        return x


class Block(nn.Module):
    def __init__(self, dim, num_heads, mlp_ratio=4., qkv_bias=True, proj_drop=0., attn_drop=0.):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, num_heads=num_heads, qkv_bias=qkv_bias, attn_drop=attn_drop, proj_drop=proj_drop)
        self.ls1 = nn.Identity()
        self.drop_path1 = nn.Identity()
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, int(dim * mlp_ratio), act_layer=nn.GELU, drop=proj_drop)
        self.ls2 = nn.Identity()
        self.drop_path2 = nn.Identity()

    def forward(self, x):
        x = x + self.drop_path1(self.ls1(self.attn(self.norm1(x))))
        x = x + self.drop_path2(self.ls2(self.mlp(self.norm2(x))))
        return x


class VisionTransformer(nn.Module):
    def __init__(self, img_size=224, patch_size=16, in_chans=3, num_classes=1000, global_pool='token', embed_dim=768,
                 depth=12, num_heads=12, mlp_ratio=4., qkv_bias=True, drop_rate=0., pos_drop_rate=0., proj_drop_rate=0.,
                 attn_drop_rate=0., class_token=True, **kwargs):
        super().__init__()
        self.num_classes = num_classes
        self.global_pool = global_pool
        self.num_features = embed_dim
        self.num_prefix_tokens = 1 if class_token else 0
        self.patch_embed = PatchEmbed(img_size=img_size, patch_size=patch_size, in_chans=in_chans, embed_dim=embed_dim)
        num_patches = self.patch_embed.num_patches
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim)) if class_token else None
        self.pos_embed = nn.Parameter(torch.randn(1, num_patches + self.num_prefix_tokens, embed_dim) * .02)
        self.pos_drop = nn.Dropout(p=pos_drop_rate)
        self.patch_drop = nn.Identity()
        self.norm_pre = nn.Identity()
        self.blocks = nn.Sequential(*[
            Block(embed_dim, num_heads, mlp_ratio=mlp_ratio, qkv_bias=qkv_bias, proj_drop=proj_drop_rate, attn_drop=attn_drop_rate)
            for i in range(depth)])
        self.norm = nn.LayerNorm(embed_dim, eps=1e-6)
        self.fc_norm = nn.Identity()
        self.head_drop = nn.Dropout(drop_rate)
        self.head = nn.Linear(embed_dim, num_classes) if num_classes > 0 else nn.Identity()

    def reset_classifier(self, num_classes, global_pool=None):
        self.num_classes = num_classes
        if global_pool is not None:
            self.global_pool = global_pool
        self.head = nn.Linear(self.num_features, num_classes) if num_classes > 0 else nn.Identity()

    def forward(self, x):
        x = self.patch_embed(x)
        if self.cls_token is not None:
            x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1)
        x = x + self.pos_embed
        x = self.pos_drop(x)
        x = self.patch_drop(x)
        x = self.norm_pre(x)
        x = self.blocks(x)
        x = self.norm(x)
        if self.global_pool == 'avg':
            x = x[:, self.num_prefix_tokens:].mean(dim=1)
        elif self.global_pool:
            x = x[:, 0]
        x = self.fc_norm(x)
        x = self.head_drop(x)
        x = self.head(x)
        return x
`;
