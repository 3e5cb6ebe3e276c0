// Problems found inside another module's code (library stubs for torchvision and
// keras.applications, another file of the project) are reported at the analysed file's
// call that led there, naming the code they happened in — never at the other module's
// line numbers in the analysed file.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeAnalyzer } from '../../../src/node/wasm';
import { fileSystemResolver } from '../../../src/node/resolver';
import type { Analyzer, Diagnostic } from '../../../src/core/index';
import { dedent, initParser, lintText } from '../lint/helpers';

let analyzer: Analyzer;
beforeAll(async () => {
  analyzer = await nodeAnalyzer();
  await initParser();
});

const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle));
const ofCode = (ds: Diagnostic[], code: string) => ds.filter((d) => d.code === code);

describe('diagnostics from library stubs', () => {
  it('torchvision: an 8x8 input to vgg16 is reported at the call in the user file', () => {
    const text = dedent(`
      import torch
      import torchvision

      model = torchvision.models.vgg16()
      x = torch.randn(1, 3, 8, 8)
      y = model(x)
    `);
    const a = analyzer.analyze(text, { fileName: 'user.py' });
    const dl405 = ofCode(a.diagnostics, 'DL405');
    expect(dl405).toHaveLength(1);
    const d = dl405[0];
    expect(d.file).toBeUndefined();
    expect(d.range.line).toBe(lineOf(text, 'y = model(x)'));
    expect(d.message).toMatch(/^in torchvision\.models\.vgg16: MaxPool2d: output size \[0, 0\] is too small for the input size \[1, 1\]/);
    // no related location points into the stub
    expect(d.related ?? []).toEqual([]);
  });

  it('torchvision: the summary run of a directive input reports at the line that built the model', () => {
    const text = dedent(`
      import torchvision

      # tensorlens: input=(1, 3, 8, 8)
      model = torchvision.models.vgg16()
    `);
    const a = analyzer.analyze(text, { fileName: 'user.py' });
    const dl405 = ofCode(a.diagnostics, 'DL405');
    expect(dl405).toHaveLength(1);
    expect(dl405[0].file).toBeUndefined();
    expect(dl405[0].range.line).toBe(lineOf(text, 'model = torchvision'));
    expect(dl405[0].message.startsWith('in torchvision.models.vgg16: MaxPool2d')).toBe(true);
  });

  it('keras.applications: InceptionV3 on a 10x10 input is reported at the InceptionV3(...) call', () => {
    const text = dedent(`
      import keras

      # a backbone far too small for InceptionV3's stem
      base = keras.applications.InceptionV3(include_top=False, input_shape=(10, 10, 3))
    `);
    const a = analyzer.analyze(text, { fileName: 'app.py' });
    const line = lineOf(text, 'base = keras');
    const dl405 = ofCode(a.diagnostics, 'DL405');
    expect(dl405.length).toBeGreaterThanOrEqual(1);
    for (const d of a.diagnostics) {
      expect(d.file).toBeUndefined();
      expect(d.range.line).toBe(line);
      expect(d.message.startsWith('in keras.applications.InceptionV3: ')).toBe(true);
    }
    expect(dl405[0].message).toBe('in keras.applications.InceptionV3: MaxPooling2D: output size on spatial axis 1 would be 0 (input too small)');
    // The lint finding the user sees sits on the same line.
    const lint = lintText(text).findings.filter((f) => f.code === 'DL405');
    expect(lint.length).toBeGreaterThanOrEqual(1);
    expect(lint.every((f) => f.range.line === line)).toBe(true);
  });

  it('problems in the analysed file itself keep their own lines and messages', () => {
    const text = dedent(`
      import keras
      from keras import layers

      inp = keras.Input(shape=(2, 2, 3))
      x = layers.MaxPooling2D(3, strides=2)(inp)
      m = keras.Model(inp, x)
    `);
    const a = analyzer.analyze(text, { fileName: 'own.py' });
    const d = ofCode(a.diagnostics, 'DL405');
    expect(d).toHaveLength(1);
    expect(d[0].range.line).toBe(lineOf(text, 'x = layers.MaxPooling2D'));
    expect(d[0].message).toBe('MaxPooling2D: output size on spatial axis 1 would be 0 (input too small)');
  });
});

describe('diagnostics from other project files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tl-sites-'));
  mkdirSync(join(dir, 'nets'));
  writeFileSync(join(dir, 'pyproject.toml'), '[project]\nname = "sites"\n');
  writeFileSync(join(dir, 'nets', '__init__.py'), '');
  const blocks = dedent(`
    import torch
    import torch.nn as nn


    class Head(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(48, 10)

        def forward(self, x):
            return self.fc(x)


    PROBE = nn.Linear(16, 4)(torch.randn(2, 8))
  `);
  writeFileSync(join(dir, 'nets', 'blocks.py'), blocks);
  const main = dedent(`
    import torch
    from nets.blocks import Head

    head = Head()
    out = head(torch.randn(2, 32))
  `);
  writeFileSync(join(dir, 'main.py'), main);
  const main2 = dedent(`
    import torch
    from nets import blocks

    head = blocks.Head()
  `);
  writeFileSync(join(dir, 'main2.py'), main2);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports an error inside an imported class at the call in the analysed file, naming file and line', () => {
    const a = analyzer.analyze(main, { fileName: 'main.py', resolveModule: fileSystemResolver(join(dir, 'main.py'), 'main.py') });
    // found by the call and again by the summary run of `head`: reported once
    const heads = a.diagnostics.filter((d) => d.message.includes('Linear') && d.message.includes('48'));
    expect(heads, JSON.stringify(a.diagnostics)).toHaveLength(1);
    const fwd = heads[0];
    expect(fwd!.file).toBeUndefined();
    expect(fwd!.range.line).toBe(lineOf(main, 'out = head('));
    const fcLine = lineOf(blocks, 'return self.fc(x)') + 1;
    expect(fwd!.message).toMatch(new RegExp(`^in Head \\(.*blocks\\.py:${fcLine}\\): `));
    // module-level code of the imported file is attributed to the import statement
    const probe = a.diagnostics.find((d) => d.message.includes('16'));
    expect(probe, JSON.stringify(a.diagnostics)).toBeDefined();
    expect(probe!.file).toBeUndefined();
    expect(probe!.range.line).toBe(lineOf(main, 'from nets.blocks import Head'));
    expect(probe!.message).toMatch(new RegExp(`^in nets\\.blocks \\(.*blocks\\.py:${lineOf(blocks, 'PROBE') + 1}\\): `));
  });

  it('a submodule imported as a name (`from nets import blocks`) is attributed to that import', () => {
    const a = analyzer.analyze(main2, { fileName: 'main2.py', resolveModule: fileSystemResolver(join(dir, 'main2.py'), 'main2.py') });
    expect(a.diagnostics).toHaveLength(1);
    const d = a.diagnostics[0];
    expect(d.file).toBeUndefined();
    expect(d.range.line).toBe(lineOf(main2, 'from nets import blocks'));
    expect(d.message).toMatch(/^in nets\.blocks \(.*blocks\.py:\d+\): Linear expected in_features=16 but the input has 8/);
  });
});
