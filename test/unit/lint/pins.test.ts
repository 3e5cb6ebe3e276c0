// Framework versions pinned in a project's dependency files (requirements*.txt,
// pyproject.toml, setup.cfg, environment.yml) feed the version-dependent rules; only exact
// pins count, and [tool.tensorlens] wins over them.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parseRequirement, pinsFromEnvironmentYml, pinsFromPyproject, pinsFromRequirements, pinsFromSetupCfg } from '../../../src/core/lint/pins';
import { pinnedVersionsFor } from '../../../src/node/versionPins';
import { lintCommand } from '../../../src/cli/lint';
import { findings, initParser } from './helpers';

describe('reading pins', () => {
  it('takes exact pins (==, ===, ~=, conda =, local versions, markers) and skips ranges', () => {
    expect(parseRequirement('torch==1.13.0+cu117 ; python_version >= "3.8"')).toEqual({ framework: 'torch', version: '1.13.0' });
    expect(parseRequirement('pytorch=1.13.1=py3.10_cuda11.7_cudnn8.5.0_0')).toEqual({ framework: 'torch', version: '1.13.1' });
    expect(parseRequirement('tensorflow-gpu~=2.15  # GPU build')).toEqual({ framework: 'tensorflow', version: '2.15' });
    expect(parseRequirement('Keras===3.1.0')).toEqual({ framework: 'keras', version: '3.1.0' });
    expect(parseRequirement('torch>=1.13,<2.0')).toBeUndefined();
    expect(parseRequirement('torch')).toBeUndefined();
    expect(parseRequirement('torchvision==0.14.0')).toBeUndefined();
  });
  it('reads each kind of file', () => {
    expect(pinsFromRequirements('-r base.txt\n--extra-index-url https://x\nnumpy\ntorch==2.1.0\n')).toEqual({ torch: '2.1.0' });
    expect(pinsFromPyproject('[project]\ndependencies = ["torch==1.13.0", "numpy"]\n[project.optional-dependencies]\ntf = ["tensorflow==2.15.0"]\n')).toEqual({ torch: '1.13.0', tensorflow: '2.15.0' });
    expect(pinsFromPyproject('[tool.poetry.dependencies]\npython = "^3.10"\ntorch = "2.6.0"\ntensorflow = "^2.15"\n')).toEqual({ torch: '2.6.0' });
    expect(pinsFromPyproject('not = [toml')).toEqual({});
    expect(pinsFromSetupCfg('[options]\ninstall_requires =\n    numpy\n    torch==1.12.1\npython_requires = >=3.8\n')).toEqual({ torch: '1.12.1' });
    expect(pinsFromEnvironmentYml('name: x\ndependencies:\n  - python=3.10\n  - pytorch::pytorch=1.13.1\n  - pip:\n    - tensorflow==2.12.0\n')).toEqual({ torch: '1.13.1', tensorflow: '2.12.0' });
  });
});

describe('pins in a project', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tl-pins-'));
  mkdirSync(join(dir, '.git'));
  mkdirSync(join(dir, 'src', 'train'), { recursive: true });
  writeFileSync(join(dir, 'requirements.txt'), 'torch==1.13.0\n');
  const AMP = 'import torch\n\ndef fwd(model, x, use_amp):\n    with torch.cuda.amp.autocast(enabled=use_amp):\n        return model(x)\n';
  writeFileSync(join(dir, 'src', 'train', 'amp_step.py'), AMP);

  it('are found from a file in a subfolder, up to the repository root', () => {
    expect(pinnedVersionsFor(join(dir, 'src', 'train', 'amp_step.py'))).toEqual({ torch: '1.13.0' });
  });
  it('keep a deprecation the pinned torch does not have quiet in `tensorlens lint`, and [tool.tensorlens] wins', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const other = mkdtempSync(join(tmpdir(), 'tl-pins-'));
    writeFileSync(join(other, 'requirements.txt'), 'torch==1.13.0\n');
    writeFileSync(join(other, 'pyproject.toml'), '[tool.tensorlens]\ntorch = "2.4"\n');
    writeFileSync(join(other, 'amp_step.py'), AMP);
    const bare = mkdtempSync(join(tmpdir(), 'tl-pins-'));
    writeFileSync(join(bare, 'amp_step.py'), AMP);
    try {
      expect(await lintCommand([join(dir, 'src')])).toBe(0);
      expect(await lintCommand([other])).toBe(1);
      expect(await lintCommand([bare])).toBe(1);
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
  });
  it('make DL501 information on a torch that loads weights only by default (2.6+)', async () => {
    await initParser();
    const text = 'import torch\nstate = torch.load("ckpt.pt")\n';
    expect(findings('DL501', text, { versions: { torch: '2.6.0' } }).map((f) => f.severity)).toEqual(['information']);
    expect(findings('DL501', text, { versions: { torch: '2.5' } }).map((f) => f.severity)).toEqual(['warning']);
    expect(findings('DL501', text).map((f) => f.severity)).toEqual(['warning']);
  });
});
