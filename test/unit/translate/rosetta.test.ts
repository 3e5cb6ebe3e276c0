// The Rosetta library: at least 40 tasks, every snippet in every framework parses (after
// stripping tab stops), and the PyTorch versions run as they are in real PyTorch.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROSETTA, stripTabStops } from '../../../src/core/translate/rosetta/index';
import { REAL_PYTHON, getParser, runPython, syntaxErrors } from './harness';

describe('Rosetta snippets', () => {
  it('has at least 40 tasks with unique ids', () => {
    expect(ROSETTA.length).toBeGreaterThanOrEqual(40);
    expect(new Set(ROSETTA.map((t) => t.id)).size).toBe(ROSETTA.length);
  });

  it('strips tab stops', () => {
    expect(stripTabStops('x = ${1:model}(${2:3}) $0')).toBe('x = model(3) ');
  });

  it('every snippet parses in every framework', async () => {
    const parser = await getParser();
    const bad: string[] = [];
    for (const t of ROSETTA) {
      for (const fw of ['pytorch', 'keras', 'tfKeras'] as const) {
        expect(t[fw], `${t.id}/${fw}`).toMatch(/\$\{1:/);
        if (syntaxErrors(parser, stripTabStops(t[fw])) > 0) bad.push(`${t.id}/${fw}`);
      }
      expect(t.tfKeras).toMatch(/tensorflow|tf\./);
      expect(t.keras).toMatch(/keras|tf\.data/);
    }
    expect(bad).toEqual([]);
  });

  it.skipIf(!existsSync(REAL_PYTHON))('the PyTorch snippets run in real PyTorch', async () => {
    // One interpreter for all snippets (importing torch is the slow part); each runs in its own namespace.
    const programs = ROSETTA.map((t) => [t.id, stripTabStops(t.pytorch)]);
    const script = `
import io, json, contextlib, traceback
results = {}
for tid, code in json.loads(${JSON.stringify(JSON.stringify(programs))}):
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(code, tid, "exec"), {"__name__": "__main__"})
        results[tid] = "ok"
    except ModuleNotFoundError as e:
        results[tid] = "missing-module:" + str(e.name)
    except Exception:
        results[tid] = traceback.format_exc(limit=2)
print("RESULT" + json.dumps(results))
`;
    const out = await runPython(script);
    const results = JSON.parse(out.split('\n').find((l) => l.startsWith('RESULT'))!.slice(6)) as Record<string, string>;
    const failed = Object.entries(results).filter(([, r]) => r !== 'ok' && !/^missing-module:(tensorboard|onnx)/.test(r));
    expect(failed).toEqual([]);
    expect(Object.values(results).filter((r) => r === 'ok').length).toBeGreaterThanOrEqual(38);
  }, 300_000);
});
