// Training code between the frameworks. Keras compile/fit -> a PyTorch train() loop that is
// executed in real PyTorch for a few steps on random data (the loss must be finite); PyTorch
// loops -> Keras compile/fit that parses and carries the mapped optimiser arguments; the
// defaults that differ (Adam's epsilon above all) are stated in notes with their source line.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeDetailed } from '../../../src/core/analyze';
import { translateModel, type TranslationResult } from '../../../src/core/translate/index';
import { REAL_PYTHON, getParser, runPython, syntaxErrors } from './harness';

const corpus = '/work/shared/corpus';
const kerasFixtures = join(__dirname, '..', '..', 'fixtures', 'keras');
const own = join(__dirname, '..', '..', 'fixtures', 'translate');

async function translate(file: string, target: 'pytorch' | 'keras'): Promise<{ r: TranslationResult; trainable: number }> {
  const parser = await getParser();
  const text = readFileSync(file, 'utf8');
  const d = analyzeDetailed(parser, text, { fileName: file.split('/').pop() });
  const m = d.analysis.models[0];
  return { r: translateModel(d, m.name, target, text), trainable: m.trainableParams ?? -1 };
}

/** Runs the translated train() for one epoch of two batches on random inputs and targets shaped for its loss. */
async function runTraining(r: TranslationResult): Promise<{ loss: number[]; keys: string[]; changed: boolean }> {
  const meta = r.meta!;
  const script = `${r.code.replace(/\nif __name__ == "__main__":[\s\S]*$/, '\n')}
import json
torch.manual_seed(0)
_specs = json.loads(${JSON.stringify(JSON.stringify(meta.inputs))})
_xs = [torch.randint(0, s.get("high", 100), tuple([4] + s["shape"][1:])) if s["dtype"] == "int64" else torch.randn(*([4] + s["shape"][1:])) for s in _specs]
_out = ${meta.modelVar}(*_xs)
_kind = ${JSON.stringify(meta.training!.loss)}
if _kind in ("cross_entropy", "nll"):
    _y = torch.randint(0, _out.shape[-1], (4,))
elif _kind == "categorical":
    _y = torch.nn.functional.one_hot(torch.randint(0, _out.shape[-1], (4,)), _out.shape[-1]).float()
elif _kind in ("bce", "bce_logits"):
    _y = torch.randint(0, 2, tuple(_out.shape)).float()
else:
    _y = torch.randn(*_out.shape)
_loader = DataLoader(TensorDataset(*_xs, _y), batch_size=2)
_before = [p.detach().clone() for p in ${meta.modelVar}.parameters() if p.requires_grad]
_h = train(${meta.modelVar}, _loader, _loader, epochs=1)
_after = [p for p in ${meta.modelVar}.parameters() if p.requires_grad]
print("RESULT" + json.dumps({"loss": _h["loss"] + _h["val_loss"], "keys": sorted(_h), "changed": any(not torch.equal(a, b) for a, b in zip(_before, _after))}))
`;
  const out = await runPython(script);
  const line = out.split('\n').find((l) => l.startsWith('RESULT'));
  if (!line) throw new Error(out);
  return JSON.parse(line.slice(6));
}

const KERAS_FILES: Array<{ file: string; expect: RegExp[] }> = [
  // categorical_crossentropy after a softmax Dense: the softmax is dropped, CE on logits with one-hot targets
  { file: join(corpus, 'keras_mnist_convnet.py'), expect: [/torch\.optim\.Adam\(model\.parameters\(\), lr=0\.001, betas=\(0\.9, 0\.999\), eps=1e-7\)/, /criterion = nn\.CrossEntropyLoss\(\)/, /x = x\.permute\(0, 3, 1, 2\)/] },
  { file: join(corpus, 'keras_bn_cnn.py'), expect: [/criterion = nn\.CrossEntropyLoss\(\)/] },
  { file: join(corpus, 'keras_stacked_lstm.py'), expect: [/criterion = nn\.MSELoss\(\)/] },
  { file: join(corpus, 'keras_text_conv1d.py'), expect: [/criterion = nn\.BCEWithLogitsLoss\(\)/] },
  { file: join(kerasFixtures, 'keras_sentiment_gap.py'), expect: [/criterion = nn\.BCEWithLogitsLoss\(\)/] },
  { file: join(kerasFixtures, 'keras_conv_autoencoder.py'), expect: [/criterion = nn\.BCEWithLogitsLoss\(\)/] },
  { file: join(own, 'keras', 'keras_two_branch_residual.py'), expect: [/torch\.optim\.SGD\(model\.parameters\(\), lr=0\.05, momentum=0\.9, nesterov=True\)/, /epochs=20\)/, /batch_size=64, validation_split=0\.1/, /if wait >= 3:/, /model\.load_state_dict\(best_state\)/] },
  { file: join(own, 'keras', 'keras_custom_weight_block.py'), expect: [/lr=0\.0003/, /criterion = nn\.BCEWithLogitsLoss\(\)/, /make_loaders\(\*\(x_val, y_val\)/] },
  { file: join(own, 'keras', 'keras_fusion_multi_input.py'), expect: [/for \*xb, yb in train_loader:/, /out = model\(\*xb\)/, /eps=0\.000001/] },
  { file: join(own, 'keras', 'keras_subclassed_text_rnn.py'), expect: [/torch\.optim\.RMSprop\(model\.parameters\(\), lr=0\.001, alpha=0\.9, eps=1e-7\)/, /criterion = nn\.CrossEntropyLoss\(\)/] },
];

describe.skipIf(!existsSync(REAL_PYTHON))('Keras compile/fit -> a PyTorch training loop, run in real PyTorch', () => {
  for (const c of KERAS_FILES) {
    it(c.file.split('/').pop()!, async () => {
      const parser = await getParser();
      const { r } = await translate(c.file, 'pytorch');
      const why = `${r.code}\n${r.notes.map((n) => `${n.line}: ${n.message}`).join('\n')}`;
      expect(syntaxErrors(parser, r.code), why).toBe(0);
      expect(r.meta?.training, why).toBeDefined();
      for (const re of c.expect) expect(r.code, why).toMatch(re);
      for (const s of ['optimizer.zero_grad()', 'loss.backward()', 'optimizer.step()', 'model.train()', 'model.eval()', 'with torch.no_grad():']) expect(r.code).toContain(s);
      for (const n of r.notes) expect(n.line, n.message).toBeGreaterThan(0);
      const res = await runTraining(r);
      expect(res.loss.length).toBe(2);
      for (const l of res.loss) expect(Number.isFinite(l), why).toBe(true);
      expect(res.changed, 'the optimiser updated the trainable parameters').toBe(true);
    }, 120_000);
  }

  it('states the optimiser defaults that differ, at the compile line', async () => {
    const mnist = (await translate(join(corpus, 'keras_mnist_convnet.py'), 'pytorch')).r;
    const eps = mnist.notes.find((n) => /epsilon defaults to 1e-7, torch's eps to 1e-8/.test(n.message));
    expect(eps?.line).toBe(27);
    expect(mnist.meta!.finalActivationDropped).toBe('softmax');
    expect(mnist.code).not.toMatch(/nn\.Softmax/);
    expect(mnist.notes.some((n) => /final softmax is dropped/.test(n.message))).toBe(true);
    const sgd = (await translate(join(own, 'keras', 'keras_two_branch_residual.py'), 'pytorch')).r;
    expect(sgd.notes.some((n) => /SGD: Keras' learning_rate defaults to 0\.01/.test(n.message) && n.line === 36)).toBe(true);
    expect(sgd.notes.some((n) => /EarlyStopping\(monitor="val_loss"\)/.test(n.message) && n.line === 40)).toBe(true);
    const rms = (await translate(join(own, 'keras', 'keras_subclassed_text_rnn.py'), 'pytorch')).r;
    expect(rms.notes.some((n) => /rho is torch's alpha/.test(n.message))).toBe(true);
    // from_logits=True: nothing is dropped.
    expect(rms.meta!.finalActivationDropped).toBeUndefined();
  }, 60_000);

  it('turns unknown Keras optimisers, metrics and callbacks into TODO lines with a note', async () => {
    const parser = await getParser();
    const text = [
      'import keras',
      'from keras import layers',
      'model = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(3)])',
      'model.compile(optimizer="nadam", loss="mse", metrics=["AUC"])',
      'model.fit(x, y, epochs=2, callbacks=[keras.callbacks.ModelCheckpoint("best.keras")])',
      '',
    ].join('\n');
    const d = analyzeDetailed(parser, text, { fileName: 'odd_keras.py' });
    const r = translateModel(d, d.analysis.models[0].name, 'pytorch', text);
    expect(syntaxErrors(parser, r.code)).toBe(0);
    const todos = r.notes.filter((n) => n.message.startsWith('TODO'));
    expect(todos.map((n) => n.line)).toEqual([4, 4, 5]);
    expect(r.code.match(/# TODO\(tensorlens\)/g)?.length).toBe(3);
    const res = await runTraining(r);
    for (const l of res.loss) expect(Number.isFinite(l)).toBe(true);
  }, 60_000);

  it('leaves the model alone when there is no training code', async () => {
    const { r } = await translate(join(corpus, 'keras_two_input.py'), 'pytorch');
    expect(r.code).not.toContain('def train(');
    expect(r.meta!.training).toBeUndefined();
  }, 60_000);
});

describe('PyTorch training loop -> Keras compile/fit', () => {
  it('maps the optimiser, loss, epochs, batch size and clipping with the defaults spelled out', async () => {
    const parser = await getParser();
    const file = join(own, 'training', 'torch_mlp_training.py');
    const { r, trainable } = await translate(file, 'keras');
    const why = `${r.code}\n${r.notes.map((n) => `${n.line}: ${n.message}`).join('\n')}`;
    expect(syntaxErrors(parser, r.code), why).toBe(0);
    expect(r.code, why).toContain('optimizer=keras.optimizers.AdamW(learning_rate=0.0003, weight_decay=0.05, beta_1=0.9, beta_2=0.999, epsilon=1e-8, global_clipnorm=1.0)');
    expect(r.code).toContain('loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)');
    expect(r.code).toContain('metrics=["accuracy"]');
    expect(r.notes.some((n) => /global_clipnorm=1.0/.test(n.message) && n.line === 27)).toBe(true);
    expect(r.code).toContain('model.fit(x_train, y_train, epochs=15, batch_size=64, validation_data=validation_data)');
    expect(r.notes.some((n) => /torch's eps defaults to 1e-8, Keras' epsilon to 1e-7/.test(n.message) && n.line === 17)).toBe(true);
    expect(r.notes.filter((n) => n.message.startsWith('TODO'))).toEqual([]);
    // The translated Keras file still summarises to the same model.
    const k = analyzeDetailed(parser, r.code, { fileName: 'translated.py' }).analysis.models[0];
    expect(k.trainableParams).toBe(trainable);
    // ... and back to PyTorch, the compile inside train() becomes a loop with torch's values again.
    const kd = analyzeDetailed(parser, r.code, { fileName: 'translated.py' });
    const back = translateModel(kd, k.name, 'pytorch', r.code);
    expect(back.code, back.code).toMatch(/torch\.optim\.AdamW\(model\.parameters\(\), lr=0\.0003, betas=\(0\.9, 0\.999\), eps=1e-8, weight_decay=0\.05\)/);
  }, 60_000);

  it('turns unknown constructs into TODO lines with a note', async () => {
    const parser = await getParser();
    const text = [
      'import torch',
      'import torch.nn as nn',
      'class Net(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.fc = nn.Linear(4, 2)',
      '    def forward(self, x):',
      '        return self.fc(x)',
      'model = Net()',
      'opt = torch.optim.Rprop(model.parameters(), lr=0.01)',
      'loss_fn = nn.KLDivLoss()',
      'for epoch in range(3):',
      '    for xb, yb in []:',
      '        opt.zero_grad()',
      '        loss_fn(model(xb), yb).backward()',
      '        opt.step()',
      '',
    ].join('\n');
    const d = analyzeDetailed(parser, text, { fileName: 'odd.py' });
    const r = translateModel(d, d.analysis.models[0].name, 'keras', text);
    expect(syntaxErrors(parser, r.code)).toBe(0);
    const todos = r.notes.filter((n) => n.message.startsWith('TODO'));
    expect(todos.map((n) => n.line).sort()).toEqual([10, 11]);
    expect(r.code.match(/# TODO\(tensorlens\)/g)?.length).toBe(2);
    expect(r.code).toContain('epochs=3');
  }, 60_000);
});
