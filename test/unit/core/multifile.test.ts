// Models across files: a package with relative and absolute imports, __init__ re-exports,
// a helper module, an import cycle and a missing module, checked against real PyTorch
// (test/oracle/oracle.py run on the entry file with the project on PYTHONPATH).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAnalyzer } from '../../../src/node/wasm';
import { fileSystemResolver } from '../../../src/node/resolver';
import { toSummaryJson, type Analyzer } from '../../../src/core/index';

const proj = join(__dirname, '..', '..', 'fixtures', 'multifile', 'proj');
const entry = join(proj, 'train.py');
const PY = '/usr/bin/python3';

let analyzer: Analyzer;
beforeAll(async () => {
  analyzer = await nodeAnalyzer();
});

function analyse(file: string) {
  const name = basename(file);
  return analyzer.analyze(readFileSync(file, 'utf8'), { fileName: name, resolveModule: fileSystemResolver(file, name) });
}

describe('models across files', () => {
  it('matches real PyTorch on a model spread over a package', () => {
    expect(existsSync(PY), 'real PyTorch at /usr/bin/python3 (apt-get install python3-torch)').toBe(true);
    const out = execFileSync(PY, [join(__dirname, '..', '..', 'oracle', 'oracle.py'), entry], {
      encoding: 'utf8', env: { ...process.env, PYTHONPATH: proj }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const truth = (JSON.parse(out) as Array<{ models: Array<{ name: string; output_shape: unknown; total_params: number; layers: Array<{ path: string; type: string; output_shape: unknown; params: number }> }> }>)[0].models.find((m) => m.name === 'Net')!;
    expect(truth).toBeDefined();
    const got = toSummaryJson(analyse(entry)).models.find((m) => m.name === 'Net')!;
    expect(got, 'engine finds Net (defined in models/net.py)').toBeDefined();
    expect({ output: got.output_shape, total: got.total_params }).toEqual({ output: truth.output_shape, total: truth.total_params });
    expect(got.layers.map((l) => [l.path, l.type, l.output_shape, l.params])).toEqual(truth.layers.map((l) => [l.path, l.type, l.output_shape, l.params]));
  });

  it('lists the project files it read, survives the cycle and reports the missing module as unknown', () => {
    const a = analyse(entry);
    const deps = (a.dependencies ?? []).map((d) => d.slice(proj.length + 1)).sort();
    expect(deps).toEqual(['models/__init__.py', 'models/blocks.py', 'models/layers.py', 'models/net.py', 'utils/__init__.py', 'utils/mathx.py']);
    // helpers imported from another file keep working: make_divisible(10) == 16 channels
    const extra = a.models.find((m) => m.name === 'ConvBNAct');
    expect(extra?.layers[0].params).toBe(3 * 16 * 9);
  });

  it('without a resolver, imports of project modules degrade to Unknown (single-file mode), never throw', () => {
    const a = analyzer.analyze(readFileSync(entry, 'utf8'), { fileName: 'train.py' });
    expect(a.models.find((m) => m.name === 'Net')).toBeUndefined();
  });
});
