// The Rosetta tasks as data: one entry per common task, the same code in PyTorch, Keras 3
// and tf.keras. PyTorch versions are self-contained (they run as they are, on CPU, in
// seconds); `${n:name}` marks VS Code tab stops. tf.keras versions that differ from Keras 3
// only in imports are derived with `tfKeras()`.

import type { RosettaTask } from './index';

/** The tf.keras spelling of a Keras 3 snippet: same API, TensorFlow imports. */
function tfKeras(src: string): string {
  return src
    .replace(/^import keras$/m, 'import tensorflow as tf\nfrom tensorflow import keras')
    .replace(/^from keras import /gm, 'from tensorflow.keras import ')
    .replace(/keras\.ops\.([a-z_]+)/g, (_m, f: string) => `tf.${TF_OPS[f] ?? f}`);
}

const TF_OPS: Record<string, string> = { concatenate: 'concat', mean: 'reduce_mean', sum: 'reduce_sum', max: 'reduce_max', matmul: 'matmul', softmax: 'nn.softmax', relu: 'nn.relu', sqrt: 'sqrt', transpose: 'transpose', reshape: 'reshape' };

interface Def { id: string; title: string; description: string; pytorch: string; keras: string; tfKeras?: string }

const DEFS: Def[] = [
  {
    id: 'dense-layer', title: 'Fully connected layer', description: 'A linear layer with an activation; torch needs in_features, Keras infers it.',
    pytorch: `import torch
import torch.nn as nn

\${1:fc} = nn.Sequential(nn.Linear(\${2:128}, \${3:64}), nn.ReLU())
y = \${1:fc}(torch.randn(8, \${2:128}))
print(y.shape)
`,
    keras: `import keras
from keras import layers

\${1:fc} = layers.Dense(\${3:64}, activation="relu")
y = \${1:fc}(keras.random.normal((8, \${2:128})))
`,
  },
  {
    id: 'conv-bn-relu', title: 'Conv-BatchNorm-ReLU block', description: 'The standard convolution block; no conv bias before BatchNorm. Note momentum 0.1 (torch) = 0.9 (Keras) and epsilon 1e-5 vs 1e-3.',
    pytorch: `import torch
import torch.nn as nn


def conv_bn_relu(in_ch, out_ch, kernel_size=3, stride=1):
    return nn.Sequential(
        nn.Conv2d(in_ch, out_ch, kernel_size, stride=stride, padding=kernel_size // 2, bias=False),
        nn.BatchNorm2d(out_ch, eps=1e-5, momentum=0.1),
        nn.ReLU(inplace=True),
    )


\${1:block} = conv_bn_relu(\${2:3}, \${3:32})
print(\${1:block}(torch.randn(2, \${2:3}, 32, 32)).shape)
`,
    keras: `import keras
from keras import layers


def conv_bn_relu(x, filters, kernel_size=3, strides=1):
    x = layers.Conv2D(filters, kernel_size, strides=strides, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization(epsilon=1e-5, momentum=0.9)(x)
    return layers.ReLU()(x)


inputs = keras.Input(shape=(32, 32, \${2:3}))
\${1:block} = keras.Model(inputs, conv_bn_relu(inputs, \${3:32}))
`,
  },
  {
    id: 'residual-block', title: 'Residual block (ResNet basic block)', description: 'Two 3x3 convs with a skip connection; a 1x1 projection when the shape changes.',
    pytorch: `import torch
import torch.nn as nn


class \${1:BasicBlock}(nn.Module):
    def __init__(self, in_ch, out_ch, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_ch, out_ch, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_ch)
        self.conv2 = nn.Conv2d(out_ch, out_ch, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_ch)
        self.shortcut = nn.Identity()
        if stride != 1 or in_ch != out_ch:
            self.shortcut = nn.Sequential(nn.Conv2d(in_ch, out_ch, 1, stride=stride, bias=False), nn.BatchNorm2d(out_ch))

    def forward(self, x):
        out = torch.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return torch.relu(out + self.shortcut(x))


print(\${1:BasicBlock}(16, 32, stride=2)(torch.randn(2, 16, 32, 32)).shape)
`,
    keras: `import keras
from keras import layers


def \${1:basic_block}(x, filters, strides=1):
    shortcut = x
    y = layers.Conv2D(filters, 3, strides=strides, padding="same", use_bias=False)(x)
    y = layers.BatchNormalization()(y)
    y = layers.ReLU()(y)
    y = layers.Conv2D(filters, 3, padding="same", use_bias=False)(y)
    y = layers.BatchNormalization()(y)
    if strides != 1 or x.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1, strides=strides, use_bias=False)(x)
        shortcut = layers.BatchNormalization()(shortcut)
    return layers.ReLU()(layers.Add()([y, shortcut]))


inputs = keras.Input(shape=(32, 32, 16))
model = keras.Model(inputs, \${1:basic_block}(inputs, 32, strides=2))
`,
  },
  {
    id: 'depthwise-separable', title: 'Depthwise-separable convolution', description: 'A depthwise conv (one filter per channel) followed by a 1x1 pointwise conv.',
    pytorch: `import torch
import torch.nn as nn


class \${1:SeparableConv}(nn.Module):
    def __init__(self, in_ch, out_ch, kernel_size=3):
        super().__init__()
        self.depthwise = nn.Conv2d(in_ch, in_ch, kernel_size, padding=kernel_size // 2, groups=in_ch, bias=False)
        self.pointwise = nn.Conv2d(in_ch, out_ch, 1)

    def forward(self, x):
        return self.pointwise(self.depthwise(x))


print(\${1:SeparableConv}(\${2:32}, \${3:64})(torch.randn(1, \${2:32}, 16, 16)).shape)
`,
    keras: `import keras
from keras import layers

\${1:sep} = layers.SeparableConv2D(\${3:64}, 3, padding="same")
y = \${1:sep}(keras.random.normal((1, 16, 16, \${2:32})))
`,
  },
  {
    id: 'self-attention', title: 'Multi-head self-attention', description: 'Self-attention over a (batch, time, features) sequence; torch needs batch_first=True.',
    pytorch: `import torch
import torch.nn as nn

\${1:attn} = nn.MultiheadAttention(embed_dim=\${2:64}, num_heads=\${3:4}, batch_first=True)
x = torch.randn(2, 10, \${2:64})
out, weights = \${1:attn}(x, x, x)
print(out.shape, weights.shape)
`,
    keras: `import keras
from keras import layers

\${1:attn} = layers.MultiHeadAttention(num_heads=\${3:4}, key_dim=\${2:64} // \${3:4})
x = keras.random.normal((2, 10, \${2:64}))
out, weights = \${1:attn}(x, x, return_attention_scores=True)
`,
  },
  {
    id: 'transformer-block', title: 'Transformer encoder block', description: 'Post-norm encoder block: attention + feed-forward, each with residual and LayerNorm.',
    pytorch: `import torch
import torch.nn as nn

\${1:block} = nn.TransformerEncoderLayer(d_model=\${2:64}, nhead=\${3:4}, dim_feedforward=\${4:128}, dropout=0.1, batch_first=True)
print(\${1:block}(torch.randn(2, 10, \${2:64})).shape)
`,
    keras: `import keras
from keras import layers


class \${1:TransformerBlock}(layers.Layer):
    def __init__(self, d_model=\${2:64}, num_heads=\${3:4}, ff_dim=\${4:128}, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.ffn = keras.Sequential([layers.Dense(ff_dim, activation="relu"), layers.Dense(d_model)])
        self.norm1 = layers.LayerNormalization(epsilon=1e-5)
        self.norm2 = layers.LayerNormalization(epsilon=1e-5)
        self.drop1 = layers.Dropout(rate)
        self.drop2 = layers.Dropout(rate)

    def call(self, x, training=False):
        x = self.norm1(x + self.drop1(self.att(x, x), training=training))
        return self.norm2(x + self.drop2(self.ffn(x), training=training))
`,
  },
  {
    id: 'lstm-classifier', title: 'LSTM text classifier', description: 'Embedding -> LSTM -> linear head on the last step. torch LSTM has two bias vectors (4·hidden more parameters).',
    pytorch: `import torch
import torch.nn as nn


class \${1:LSTMClassifier}(nn.Module):
    def __init__(self, vocab_size=\${2:10000}, embed_dim=\${3:64}, hidden=\${4:128}, num_classes=\${5:2}):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.lstm = nn.LSTM(embed_dim, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, num_classes)

    def forward(self, tokens):
        _, (h_n, _) = self.lstm(self.embedding(tokens))
        return self.fc(h_n[-1])


print(\${1:LSTMClassifier}()(torch.randint(0, \${2:10000}, (4, 20))).shape)
`,
    keras: `import keras
from keras import layers

\${1:model} = keras.Sequential([
    keras.Input(shape=(None,), dtype="int32"),
    layers.Embedding(\${2:10000}, \${3:64}),
    layers.LSTM(\${4:128}),
    layers.Dense(\${5:2}),
])
`,
  },
  {
    id: 'gru-seq2seq-encoder', title: 'GRU encoder returning sequences and state', description: 'return_sequences / return_state in Keras are the (output, h_n) tuple of torch.',
    pytorch: `import torch
import torch.nn as nn

\${1:gru} = nn.GRU(input_size=\${2:16}, hidden_size=\${3:32}, batch_first=True)
outputs, h_n = \${1:gru}(torch.randn(4, 10, \${2:16}))
print(outputs.shape, h_n.shape)
`,
    keras: `import keras
from keras import layers

\${1:gru} = layers.GRU(\${3:32}, return_sequences=True, return_state=True)
outputs, h_n = \${1:gru}(keras.random.normal((4, 10, \${2:16})))
`,
  },
  {
    id: 'sequential-model', title: 'Sequential model', description: 'A stack of layers as one model object.',
    pytorch: `import torch
import torch.nn as nn

\${1:model} = nn.Sequential(
    nn.Flatten(),
    nn.Linear(\${2:784}, \${3:256}),
    nn.ReLU(),
    nn.Dropout(0.2),
    nn.Linear(\${3:256}, \${4:10}),
)
print(\${1:model}(torch.randn(1, 1, 28, 28)).shape)
`,
    keras: `import keras
from keras import layers

\${1:model} = keras.Sequential([
    keras.Input(shape=(28, 28)),
    layers.Flatten(),
    layers.Dense(\${3:256}, activation="relu"),
    layers.Dropout(0.2),
    layers.Dense(\${4:10}),
])
`,
  },
  {
    id: 'subclassed-model', title: 'Model as a class', description: 'nn.Module with __init__/forward; keras.Model with __init__/call.',
    pytorch: `import torch
import torch.nn as nn


class \${1:Net}(nn.Module):
    def __init__(self, in_features=\${2:20}, num_classes=\${3:3}):
        super().__init__()
        self.hidden = nn.Linear(in_features, 64)
        self.out = nn.Linear(64, num_classes)

    def forward(self, x):
        return self.out(torch.relu(self.hidden(x)))


print(\${1:Net}()(torch.randn(5, \${2:20})).shape)
`,
    keras: `import keras
from keras import layers


class \${1:Net}(keras.Model):
    def __init__(self, num_classes=\${3:3}, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(64, activation="relu")
        self.out = layers.Dense(num_classes)

    def call(self, x):
        return self.out(self.hidden(x))
`,
  },
  {
    id: 'functional-multi-input', title: 'Two-input model', description: 'Functional API in Keras; a module with two forward arguments in torch.',
    pytorch: `import torch
import torch.nn as nn


class \${1:TwoInput}(nn.Module):
    def __init__(self, a_dim=\${2:8}, b_dim=\${3:4}):
        super().__init__()
        self.a = nn.Linear(a_dim, 16)
        self.b = nn.Linear(b_dim, 16)
        self.head = nn.Linear(32, 1)

    def forward(self, a, b):
        return self.head(torch.cat([torch.relu(self.a(a)), torch.relu(self.b(b))], dim=1))


print(\${1:TwoInput}()(torch.randn(2, \${2:8}), torch.randn(2, \${3:4})).shape)
`,
    keras: `import keras
from keras import layers

a_in = keras.Input(shape=(\${2:8},), name="a")
b_in = keras.Input(shape=(\${3:4},), name="b")
merged = layers.Concatenate()([layers.Dense(16, activation="relu")(a_in), layers.Dense(16, activation="relu")(b_in)])
\${1:model} = keras.Model([a_in, b_in], layers.Dense(1)(merged))
`,
  },
  {
    id: 'training-step', title: 'One training step', description: 'Forward, loss, backward, optimizer step; in Keras a custom train_step or GradientTape.',
    pytorch: `import torch
import torch.nn as nn

model = nn.Linear(10, 2)
optimizer = torch.optim.Adam(model.parameters(), lr=\${1:1e-3})
loss_fn = nn.CrossEntropyLoss()
x, y = torch.randn(16, 10), torch.randint(0, 2, (16,))

model.train()
optimizer.zero_grad()
loss = loss_fn(model(x), y)
loss.backward()
optimizer.step()
print(float(loss))
`,
    keras: `import keras

model = keras.Sequential([keras.Input(shape=(10,)), keras.layers.Dense(2)])
optimizer = keras.optimizers.Adam(learning_rate=\${1:1e-3}, epsilon=1e-8)
loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
model.compile(optimizer=optimizer, loss=loss_fn)
x = keras.random.normal((16, 10))
y = keras.random.randint((16,), 0, 2)
logs = model.train_on_batch(x, y)
`,
    tfKeras: `import tensorflow as tf
from tensorflow import keras

model = keras.Sequential([keras.Input(shape=(10,)), keras.layers.Dense(2)])
optimizer = keras.optimizers.Adam(learning_rate=\${1:1e-3}, epsilon=1e-8)
loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
x = tf.random.normal((16, 10))
y = tf.random.uniform((16,), 0, 2, dtype=tf.int32)

with tf.GradientTape() as tape:
    loss = loss_fn(y, model(x, training=True))
grads = tape.gradient(loss, model.trainable_variables)
optimizer.apply_gradients(zip(grads, model.trainable_variables))
`,
  },
  {
    id: 'training-loop', title: 'Full training loop', description: 'Epochs over a loader with validation; Keras: compile + fit. Adam eps is 1e-8 in torch, 1e-7 in Keras.',
    pytorch: `import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

train = TensorDataset(torch.randn(256, 10), torch.randint(0, 3, (256,)))
val = TensorDataset(torch.randn(64, 10), torch.randint(0, 3, (64,)))
train_loader = DataLoader(train, batch_size=\${1:32}, shuffle=True)
val_loader = DataLoader(val, batch_size=\${1:32})
model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
loss_fn = nn.CrossEntropyLoss()

for epoch in range(\${2:3}):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in val_loader:
            correct += (model(x).argmax(dim=1) == y).sum().item()
    print(epoch, float(loss), correct / len(val))
`,
    keras: `import keras
import numpy as np

x_train, y_train = np.random.randn(256, 10), np.random.randint(0, 3, 256)
x_val, y_val = np.random.randn(64, 10), np.random.randint(0, 3, 64)
model = keras.Sequential([keras.Input(shape=(10,)), keras.layers.Dense(32, activation="relu"), keras.layers.Dense(3)])
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
history = model.fit(x_train, y_train, batch_size=\${1:32}, epochs=\${2:3}, validation_data=(x_val, y_val))
`,
  },
  {
    id: 'evaluation', title: 'Evaluate on a test set', description: 'Inference mode: model.eval() + torch.no_grad(); Keras evaluate().',
    pytorch: `import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(10, 3)
loader = DataLoader(TensorDataset(torch.randn(100, 10), torch.randint(0, 3, (100,))), batch_size=\${1:50})
loss_fn = nn.CrossEntropyLoss(reduction="sum")
model.eval()
total, correct, loss = 0, 0, 0.0
with torch.no_grad():
    for x, y in loader:
        logits = model(x)
        loss += loss_fn(logits, y).item()
        correct += (logits.argmax(1) == y).sum().item()
        total += y.numel()
print(loss / total, correct / total)
`,
    keras: `import keras
import numpy as np

model = keras.Sequential([keras.Input(shape=(10,)), keras.layers.Dense(3)])
model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
loss, acc = model.evaluate(np.random.randn(100, 10), np.random.randint(0, 3, 100), batch_size=\${1:50})
`,
  },
  {
    id: 'predict', title: 'Predict probabilities', description: 'Logits to class probabilities and labels.',
    pytorch: `import torch
import torch.nn as nn

model = nn.Linear(10, \${1:3})
model.eval()
with torch.no_grad():
    probs = torch.softmax(model(torch.randn(4, 10)), dim=-1)
labels = probs.argmax(dim=-1)
print(probs.shape, labels)
`,
    keras: `import keras
import numpy as np

model = keras.Sequential([keras.Input(shape=(10,)), keras.layers.Dense(\${1:3})])
probs = keras.ops.softmax(model.predict(np.random.randn(4, 10)), axis=-1)
labels = keras.ops.argmax(probs, axis=-1)
`,
    tfKeras: `import numpy as np
import tensorflow as tf
from tensorflow import keras

model = keras.Sequential([keras.Input(shape=(10,)), keras.layers.Dense(\${1:3})])
probs = tf.nn.softmax(model.predict(np.random.randn(4, 10)), axis=-1)
labels = tf.argmax(probs, axis=-1)
`,
  },
  {
    id: 'dataloader', title: 'In-memory dataset and batches', description: 'TensorDataset + DataLoader; tf.data.Dataset.from_tensor_slices.',
    pytorch: `import torch
from torch.utils.data import DataLoader, TensorDataset

features, labels = torch.randn(\${1:1000}, 20), torch.randint(0, 2, (\${1:1000},))
loader = DataLoader(TensorDataset(features, labels), batch_size=\${2:64}, shuffle=True, drop_last=False)
for x, y in loader:
    print(x.shape, y.shape)
    break
`,
    keras: `import numpy as np
import tensorflow as tf

features, labels = np.random.randn(\${1:1000}, 20).astype("float32"), np.random.randint(0, 2, \${1:1000})
dataset = tf.data.Dataset.from_tensor_slices((features, labels)).shuffle(\${1:1000}).batch(\${2:64}).prefetch(tf.data.AUTOTUNE)
for x, y in dataset.take(1):
    print(x.shape, y.shape)
`,
  },
  {
    id: 'custom-dataset', title: 'Custom dataset class', description: 'A Dataset with __len__/__getitem__; keras.utils.PyDataset returns whole batches.',
    pytorch: `import torch
from torch.utils.data import DataLoader, Dataset


class \${1:SquaresDataset}(Dataset):
    def __init__(self, n=\${2:100}):
        self.x = torch.arange(n, dtype=torch.float32).unsqueeze(1)

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return self.x[i], self.x[i] ** 2


for x, y in DataLoader(\${1:SquaresDataset}(), batch_size=16):
    print(x.shape, y.shape)
    break
`,
    keras: `import math
import numpy as np
import keras


class \${1:SquaresDataset}(keras.utils.PyDataset):
    def __init__(self, n=\${2:100}, batch_size=16, **kwargs):
        super().__init__(**kwargs)
        self.x = np.arange(n, dtype="float32")[:, None]
        self.batch_size = batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, i):
        x = self.x[i * self.batch_size:(i + 1) * self.batch_size]
        return x, x ** 2
`,
    tfKeras: `import math
import numpy as np
from tensorflow import keras


class \${1:SquaresDataset}(keras.utils.Sequence):
    def __init__(self, n=\${2:100}, batch_size=16):
        self.x = np.arange(n, dtype="float32")[:, None]
        self.batch_size = batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, i):
        x = self.x[i * self.batch_size:(i + 1) * self.batch_size]
        return x, x ** 2
`,
  },
  {
    id: 'image-augmentation', title: 'Image augmentation', description: 'Random flips and crops as part of the input pipeline (torch) or the model (Keras preprocessing layers).',
    pytorch: `import torch
import torch.nn as nn


class \${1:Augment}(nn.Module):
    """Random horizontal flip and random 4-pixel shift crop, on a (N, C, H, W) batch."""

    def forward(self, x):
        if self.training:
            flip = torch.rand(x.size(0)) < 0.5
            x = torch.where(flip[:, None, None, None], x.flip(-1), x)
            padded = nn.functional.pad(x, (4, 4, 4, 4), mode="reflect")
            i, j = torch.randint(0, 9, (2,))
            x = padded[:, :, i:i + x.size(2), j:j + x.size(3)]
        return x


print(\${1:Augment}()(torch.randn(2, 3, 32, 32)).shape)
`,
    keras: `import keras
from keras import layers

\${1:augment} = keras.Sequential([
    layers.RandomFlip("horizontal"),
    layers.RandomTranslation(0.125, 0.125, fill_mode="reflect"),
])
`,
  },
  {
    id: 'save-load-weights', title: 'Save and load weights', description: 'state_dict in torch; save_weights / load_weights (".weights.h5") in Keras 3.',
    pytorch: `import os
import tempfile

import torch
import torch.nn as nn

model = nn.Linear(4, 2)
path = os.path.join(tempfile.mkdtemp(), "\${1:model}.pt")
torch.save(model.state_dict(), path)
restored = nn.Linear(4, 2)
restored.load_state_dict(torch.load(path, map_location="cpu"))
print(torch.equal(model.weight, restored.weight))
`,
    keras: `import keras

model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])
model.save_weights("\${1:model}.weights.h5")
restored = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])
restored.load_weights("\${1:model}.weights.h5")
`,
    tfKeras: `from tensorflow import keras

model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])
model.save_weights("\${1:model}_ckpt")
restored = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])
restored.load_weights("\${1:model}_ckpt")
`,
  },
  {
    id: 'save-load-model', title: 'Save and load a whole model', description: 'TorchScript (or state_dict + code) in torch; model.save(".keras") in Keras 3, SavedModel in tf.keras.',
    pytorch: `import os
import tempfile

import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
path = os.path.join(tempfile.mkdtemp(), "\${1:model}.ts")
torch.jit.script(model).save(path)
loaded = torch.jit.load(path)
print(loaded(torch.randn(2, 4)).shape)
`,
    keras: `import keras

model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
model.save("\${1:model}.keras")
loaded = keras.models.load_model("\${1:model}.keras")
`,
    tfKeras: `from tensorflow import keras

model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
model.save("\${1:model}_savedmodel")
loaded = keras.models.load_model("\${1:model}_savedmodel")
`,
  },
  {
    id: 'checkpoint', title: 'Checkpoint with optimizer state', description: 'Resume training: model + optimizer + epoch; ModelCheckpoint callback in Keras.',
    pytorch: `import os
import tempfile

import torch
import torch.nn as nn

model = nn.Linear(4, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
path = os.path.join(tempfile.mkdtemp(), "\${1:checkpoint}.pt")
torch.save({"epoch": \${2:5}, "model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)
ckpt = torch.load(path)
model.load_state_dict(ckpt["model"])
optimizer.load_state_dict(ckpt["optimizer"])
start_epoch = ckpt["epoch"] + 1
print(start_epoch)
`,
    keras: `import keras

checkpoint = keras.callbacks.ModelCheckpoint("\${1:checkpoint}.keras", save_best_only=True, monitor="val_loss")
# model.fit(x, y, validation_split=0.1, epochs=\${2:5}, callbacks=[checkpoint])
`,
  },
  {
    id: 'mixed-precision', title: 'Mixed precision training', description: 'autocast + GradScaler in torch; a global mixed_float16 policy in Keras (keep the last layer float32).',
    pytorch: `import torch
import torch.nn as nn

device = "cuda" if torch.cuda.is_available() else "cpu"
model = nn.Linear(\${1:16}, 4).to(device)
optimizer = torch.optim.Adam(model.parameters())
scaler = torch.cuda.amp.GradScaler(enabled=(device == "cuda"))
x, y = torch.randn(8, \${1:16}, device=device), torch.randint(0, 4, (8,), device=device)

with torch.autocast(device_type=device, dtype=torch.float16 if device == "cuda" else torch.bfloat16):
    loss = nn.functional.cross_entropy(model(x), y)
optimizer.zero_grad()
scaler.scale(loss).backward()
scaler.step(optimizer)
scaler.update()
print(float(loss))
`,
    keras: `import keras
from keras import layers

keras.mixed_precision.set_global_policy("\${1:mixed_float16}")
model = keras.Sequential([
    keras.Input(shape=(16,)),
    layers.Dense(64, activation="relu"),
    layers.Dense(4),
    layers.Activation("linear", dtype="float32"),
])
`,
  },
  {
    id: 'device-placement', title: 'Device placement (GPU)', description: 'Move model and data to the device in torch; TensorFlow places ops automatically (or with tf.device).',
    pytorch: `import torch
import torch.nn as nn

device = torch.device("\${1:cuda}" if torch.cuda.is_available() else "cpu")
model = nn.Linear(8, 2).to(device)
x = torch.randn(4, 8).to(device)
print(model(x).device)
`,
    keras: `import keras
import tensorflow as tf

with tf.device("/\${1:GPU}:0" if tf.config.list_physical_devices("GPU") else "/CPU:0"):
    model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(2)])
    y = model(tf.random.normal((4, 8)))
`,
  },
  {
    id: 'lr-schedule', title: 'Learning-rate schedule', description: 'Cosine decay: a scheduler stepped per epoch in torch; a schedule object passed to the optimizer in Keras (stepped per batch).',
    pytorch: `import torch
import torch.nn as nn

model = nn.Linear(4, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=\${1:0.1})
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=\${2:10})
for epoch in range(\${2:10}):
    optimizer.step()
    scheduler.step()
print(scheduler.get_last_lr())
`,
    keras: `import keras

schedule = keras.optimizers.schedules.CosineDecay(initial_learning_rate=\${1:0.1}, decay_steps=\${2:10} * 100)
optimizer = keras.optimizers.SGD(learning_rate=schedule)
`,
  },
  {
    id: 'step-lr', title: 'Step decay / reduce on plateau', description: 'StepLR and ReduceLROnPlateau; Keras callbacks LearningRateScheduler / ReduceLROnPlateau.',
    pytorch: `import torch
import torch.nn as nn

model = nn.Linear(4, 2)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode="min", factor=\${1:0.5}, patience=\${2:3})
for epoch in range(10):
    val_loss = 1.0
    plateau.step(val_loss)
print(optimizer.param_groups[0]["lr"])
`,
    keras: `import keras

reduce_lr = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=\${1:0.5}, patience=\${2:3})
# model.fit(..., callbacks=[reduce_lr])
`,
  },
  {
    id: 'early-stopping', title: 'Early stopping', description: 'Stop when the validation loss stops improving and keep the best weights.',
    pytorch: `import copy

import torch
import torch.nn as nn

model = nn.Linear(4, 1)
best_loss, best_state, patience, bad_epochs = float("inf"), None, \${1:5}, 0
for epoch in range(100):
    val_loss = 1.0 / (epoch + 1) if epoch < 10 else 1.0
    if val_loss < best_loss - \${2:1e-4}:
        best_loss, best_state, bad_epochs = val_loss, copy.deepcopy(model.state_dict()), 0
    else:
        bad_epochs += 1
        if bad_epochs >= patience:
            break
model.load_state_dict(best_state)
print(epoch, best_loss)
`,
    keras: `import keras

early_stopping = keras.callbacks.EarlyStopping(monitor="val_loss", patience=\${1:5}, min_delta=\${2:1e-4}, restore_best_weights=True)
# model.fit(..., validation_split=0.1, callbacks=[early_stopping])
`,
  },
  {
    id: 'gradient-clipping', title: 'Gradient clipping', description: 'clip_grad_norm_ after backward; clipnorm / global_clipnorm on the Keras optimizer.',
    pytorch: `import torch
import torch.nn as nn

model = nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss = model(torch.randn(8, 4)).pow(2).mean()
optimizer.zero_grad()
loss.backward()
torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=\${1:1.0})
optimizer.step()
print(float(loss))
`,
    keras: `import keras

optimizer = keras.optimizers.SGD(learning_rate=0.1, global_clipnorm=\${1:1.0})
`,
  },
  {
    id: 'freeze-layers', title: 'Freeze layers', description: 'requires_grad_(False) in torch; trainable = False in Keras (BatchNorm then runs in inference mode).',
    pytorch: `import torch.nn as nn

model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 2))
\${1:backbone} = model[0]
\${1:backbone}.requires_grad_(False)
trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
print(trainable)
`,
    keras: `import keras

model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(2)])
\${1:backbone} = model.layers[0]
\${1:backbone}.trainable = False
`,
  },
  {
    id: 'transfer-learning', title: 'Fine-tune a pretrained backbone', description: 'Replace the classifier head of a backbone and freeze the rest.',
    pytorch: `import torch
import torch.nn as nn

backbone = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
# backbone = torchvision.models.resnet18(weights="IMAGENET1K_V1"); backbone.fc = nn.Identity()
backbone.requires_grad_(False)
model = nn.Sequential(backbone, nn.Linear(16, \${1:5}))
print(model(torch.randn(2, 3, 32, 32)).shape)
`,
    keras: `import keras
from keras import layers

base = keras.applications.MobileNetV2(input_shape=(160, 160, 3), include_top=False, weights="imagenet")
base.trainable = False
inputs = keras.Input(shape=(160, 160, 3))
x = base(inputs, training=False)
x = layers.GlobalAveragePooling2D()(x)
model = keras.Model(inputs, layers.Dense(\${1:5})(x))
`,
  },
  {
    id: 'custom-layer', title: 'Custom layer with weights', description: 'nn.Parameter in __init__ (sizes known up front); add_weight in build() (sizes from the input).',
    pytorch: `import torch
import torch.nn as nn


class \${1:MyDense}(nn.Module):
    def __init__(self, in_features, units=\${2:32}):
        super().__init__()
        self.w = nn.Parameter(torch.randn(in_features, units) * 0.05)
        self.b = nn.Parameter(torch.zeros(units))

    def forward(self, x):
        return x @ self.w + self.b


print(\${1:MyDense}(8)(torch.randn(4, 8)).shape)
`,
    keras: `import keras


class \${1:MyDense}(keras.layers.Layer):
    def __init__(self, units=\${2:32}, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True)

    def call(self, x):
        return keras.ops.matmul(x, self.w) + self.b
`,
  },
  {
    id: 'custom-loss', title: 'Custom loss', description: 'A function of (prediction, target) in torch; (y_true, y_pred) — note the order — in Keras.',
    pytorch: `import torch


def \${1:huber_loss}(pred, target, delta=\${2:1.0}):
    err = pred - target
    quad = torch.clamp(err.abs(), max=delta)
    return (0.5 * quad ** 2 + delta * (err.abs() - quad)).mean()


print(float(\${1:huber_loss}(torch.randn(8), torch.randn(8))))
`,
    keras: `import keras


def \${1:huber_loss}(y_true, y_pred, delta=\${2:1.0}):
    err = y_pred - y_true
    quad = keras.ops.minimum(keras.ops.abs(err), delta)
    return keras.ops.mean(0.5 * quad ** 2 + delta * (keras.ops.abs(err) - quad), axis=-1)
`,
    tfKeras: `import tensorflow as tf


def \${1:huber_loss}(y_true, y_pred, delta=\${2:1.0}):
    err = y_pred - y_true
    quad = tf.minimum(tf.abs(err), delta)
    return tf.reduce_mean(0.5 * quad ** 2 + delta * (tf.abs(err) - quad), axis=-1)
`,
  },
  {
    id: 'loss-from-logits', title: 'Classification loss from logits', description: 'nn.CrossEntropyLoss takes logits (no softmax in the model); Keras needs from_logits=True for the same.',
    pytorch: `import torch
import torch.nn as nn

loss_fn = nn.CrossEntropyLoss(label_smoothing=\${1:0.0})
logits, labels = torch.randn(4, 10), torch.randint(0, 10, (4,))
print(float(loss_fn(logits, labels)))
bce = nn.BCEWithLogitsLoss()
print(float(bce(torch.randn(4), torch.rand(4).round())))
`,
    keras: `import keras

loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
bce = keras.losses.BinaryCrossentropy(from_logits=True, label_smoothing=\${1:0.0})
`,
  },
  {
    id: 'metrics', title: 'Accuracy metric', description: 'Accumulate correct predictions by hand (or torchmetrics); keras.metrics objects with update_state/result.',
    pytorch: `import torch

correct, total = 0, 0
for _ in range(\${1:3}):
    logits, labels = torch.randn(16, 5), torch.randint(0, 5, (16,))
    correct += (logits.argmax(dim=1) == labels).sum().item()
    total += labels.numel()
print(correct / total)
`,
    keras: `import keras

accuracy = keras.metrics.SparseCategoricalAccuracy()
for _ in range(\${1:3}):
    logits = keras.random.normal((16, 5))
    labels = keras.random.randint((16,), 0, 5)
    accuracy.update_state(labels, logits)
print(float(accuracy.result()))
`,
  },
  {
    id: 'seeding', title: 'Reproducible seeding', description: 'Seed every random generator; deterministic kernels where available.',
    pytorch: `import random

import numpy as np
import torch

SEED = \${1:42}
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
torch.use_deterministic_algorithms(True, warn_only=True)
torch.backends.cudnn.benchmark = False
print(torch.rand(1))
`,
    keras: `import keras

keras.utils.set_random_seed(\${1:42})
`,
    tfKeras: `import tensorflow as tf

tf.keras.utils.set_random_seed(\${1:42})
tf.config.experimental.enable_op_determinism()
`,
  },
  {
    id: 'weight-init', title: 'Weight initialisation', description: 'torch.nn.init on the module; kernel_initializer / bias_initializer in Keras. Defaults differ (Kaiming-uniform vs Glorot-uniform).',
    pytorch: `import torch.nn as nn

layer = nn.Linear(\${1:64}, \${2:32})
nn.init.xavier_uniform_(layer.weight)
nn.init.zeros_(layer.bias)
print(layer.weight.std())
`,
    keras: `import keras

layer = keras.layers.Dense(\${2:32}, input_shape=(\${1:64},), kernel_initializer="glorot_uniform", bias_initializer="zeros")
`,
  },
  {
    id: 'embedding', title: 'Embedding with padding', description: 'padding_idx keeps the row for token 0 at zero in torch; mask_zero=True masks it downstream in Keras.',
    pytorch: `import torch
import torch.nn as nn

\${1:embed} = nn.Embedding(num_embeddings=\${2:5000}, embedding_dim=\${3:64}, padding_idx=0)
print(\${1:embed}(torch.tensor([[5, 3, 0, 0]])).shape)
`,
    keras: `import keras

\${1:embed} = keras.layers.Embedding(input_dim=\${2:5000}, output_dim=\${3:64}, mask_zero=True)
`,
  },
  {
    id: 'global-pooling', title: 'Global average pooling', description: 'Mean over the spatial axes: dims (2, 3) in NCHW, axes (1, 2) in NHWC.',
    pytorch: `import torch
import torch.nn as nn

\${1:pool} = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten())
x = torch.randn(2, 64, 7, 7)
print(\${1:pool}(x).shape, x.mean(dim=(2, 3)).shape)
`,
    keras: `import keras

\${1:pool} = keras.layers.GlobalAveragePooling2D()
x = keras.random.normal((2, 7, 7, 64))
y = keras.ops.mean(x, axis=(1, 2))
`,
  },
  {
    id: 'concat-skip', title: 'Concatenate skip connection', description: 'Channel concatenation: dim=1 in NCHW, axis=-1 in NHWC.',
    pytorch: `import torch

a, b = torch.randn(1, 16, 32, 32), torch.randn(1, 8, 32, 32)
\${1:merged} = torch.cat([a, b], dim=1)
print(\${1:merged}.shape)
`,
    keras: `import keras

a, b = keras.random.normal((1, 32, 32, 16)), keras.random.normal((1, 32, 32, 8))
\${1:merged} = keras.layers.Concatenate(axis=-1)([a, b])
`,
  },
  {
    id: 'layout-permute', title: 'Channels-first <-> channels-last', description: 'PyTorch images are (N, C, H, W), Keras (N, H, W, C).',
    pytorch: `import torch

nhwc = torch.randn(1, \${1:28}, \${1:28}, 3)
nchw = nhwc.permute(0, 3, 1, 2).contiguous()
back = nchw.permute(0, 2, 3, 1)
print(nchw.shape, back.shape)
`,
    keras: `import keras

nchw = keras.random.normal((1, 3, \${1:28}, \${1:28}))
nhwc = keras.ops.transpose(nchw, (0, 2, 3, 1))
`,
  },
  {
    id: 'upsample-decoder', title: 'Upsampling decoder step', description: 'Transposed conv (kernel 2, stride 2) or nearest upsampling followed by a conv.',
    pytorch: `import torch
import torch.nn as nn

\${1:up} = nn.ConvTranspose2d(\${2:64}, \${3:32}, kernel_size=2, stride=2)
\${1:up}_alt = nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(\${2:64}, \${3:32}, 3, padding=1))
x = torch.randn(1, \${2:64}, 16, 16)
print(\${1:up}(x).shape, \${1:up}_alt(x).shape)
`,
    keras: `import keras
from keras import layers

\${1:up} = layers.Conv2DTranspose(\${3:32}, 2, strides=2)
\${1:up}_alt = keras.Sequential([layers.UpSampling2D(2), layers.Conv2D(\${3:32}, 3, padding="same")])
`,
  },
  {
    id: 'dropout-batchnorm-modes', title: 'Training vs inference mode', description: 'model.train()/model.eval() switch Dropout and BatchNorm in torch; training=True/False per call in Keras.',
    pytorch: `import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(8, 8), nn.BatchNorm1d(8), nn.Dropout(\${1:0.5}))
x = torch.randn(4, 8)
model.train()
y_train = model(x)
model.eval()
y_eval = model(x)
print(y_train.shape, y_eval.shape)
`,
    keras: `import keras

model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(8), keras.layers.BatchNormalization(), keras.layers.Dropout(\${1:0.5})])
x = keras.random.normal((4, 8))
y_train = model(x, training=True)
y_eval = model(x, training=False)
`,
  },
  {
    id: 'optimizer-weight-decay', title: 'AdamW with weight decay', description: 'Decoupled weight decay; torch AdamW default weight_decay=0.01 and eps=1e-8, Keras AdamW weight_decay=0.004 and epsilon=1e-7.',
    pytorch: `import torch
import torch.nn as nn

model = nn.Linear(4, 2)
optimizer = torch.optim.AdamW(model.parameters(), lr=\${1:1e-3}, weight_decay=\${2:0.01}, eps=1e-7)
print(optimizer.defaults["weight_decay"])
`,
    keras: `import keras

optimizer = keras.optimizers.AdamW(learning_rate=\${1:1e-3}, weight_decay=\${2:0.01}, epsilon=1e-7)
`,
  },
  {
    id: 'param-count', title: 'Count parameters', description: 'Trainable parameter count; Keras also lists non-trainable weights (BatchNorm statistics) that torch keeps as buffers.',
    pytorch: `import torch.nn as nn

model = nn.Sequential(nn.Linear(10, \${1:32}), nn.BatchNorm1d(\${1:32}), nn.Linear(\${1:32}, 2))
trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
buffers = sum(b.numel() for b in model.buffers())
print(trainable, buffers)
`,
    keras: `import keras

model = keras.Sequential([keras.Input(shape=(10,)), keras.layers.Dense(\${1:32}), keras.layers.BatchNormalization(), keras.layers.Dense(2)])
trainable = sum(int(keras.ops.size(w)) for w in model.trainable_weights)
non_trainable = sum(int(keras.ops.size(w)) for w in model.non_trainable_weights)
`,
  },
  {
    id: 'gradient-accumulation', title: 'Gradient accumulation', description: 'Several small batches per optimizer step; Keras 3 optimizers take gradient_accumulation_steps.',
    pytorch: `import torch
import torch.nn as nn

model = nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
accum_steps = \${1:4}
optimizer.zero_grad()
for step in range(8):
    loss = model(torch.randn(2, 4)).pow(2).mean() / accum_steps
    loss.backward()
    if (step + 1) % accum_steps == 0:
        optimizer.step()
        optimizer.zero_grad()
print(float(loss))
`,
    keras: `import keras

optimizer = keras.optimizers.SGD(learning_rate=0.01, gradient_accumulation_steps=\${1:4})
`,
    tfKeras: `import tensorflow as tf

# tf.keras optimizers have no accumulation option: sum gradients over \${1:4} tapes, then apply_gradients once.
accum_steps = \${1:4}
`,
  },
  {
    id: 'tensorboard', title: 'Logging to TensorBoard', description: 'SummaryWriter in torch; the TensorBoard callback in Keras.',
    pytorch: `import tempfile

from torch.utils.tensorboard import SummaryWriter

writer = SummaryWriter(log_dir=tempfile.mkdtemp(prefix="\${1:runs}"))
for step in range(3):
    writer.add_scalar("loss/train", 1.0 / (step + 1), step)
writer.close()
`,
    keras: `import keras

tensorboard = keras.callbacks.TensorBoard(log_dir="\${1:runs}")
# model.fit(..., callbacks=[tensorboard])
`,
  },
  {
    id: 'inference-export', title: 'Export for inference (ONNX / SavedModel)', description: 'torch.onnx.export; model.export() (SavedModel) in Keras 3.',
    pytorch: `import os
import tempfile

import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(4, 2)).eval()
path = os.path.join(tempfile.mkdtemp(), "\${1:model}.onnx")
try:
    torch.onnx.export(model, torch.randn(1, 4), path, input_names=["x"], output_names=["y"], dynamic_axes={"x": {0: "batch"}})
except Exception as e:  # the onnx package may be missing
    print("onnx export skipped:", type(e).__name__)
`,
    keras: `import keras

model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])
model.export("\${1:model}_export")
`,
    tfKeras: `import tensorflow as tf

model = tf.keras.Sequential([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(2)])
tf.saved_model.save(model, "\${1:model}_export")
`,
  },
];

export const TASKS: RosettaTask[] = DEFS.map((d) => ({
  id: d.id, title: d.title, description: d.description, pytorch: d.pytorch, keras: d.keras, tfKeras: d.tfKeras ?? tfKeras(d.keras),
}));
