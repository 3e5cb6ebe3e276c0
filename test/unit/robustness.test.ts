// The engine and the linter after it must return, never throw and never hang, on any text: the whole Python 3.11
// standard library, syntactically broken variants of the model corpus, and pathological
// inputs (infinite loops, runaway recursion, 10 MB files, binary garbage, 5,000-deep nesting).
// Each analysis runs in a child Node process (main-thread stack, as in the CLI and the
// language server) that is killed when one file takes longer than HANG_MS: a hang guard,
// not a speed test.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEngine, projectRoot } from '../bench/engine-bundle.mjs';
import { generateModel, makeRng } from '../bench/gen-model.mjs';

const HANG_MS = 10_000;
const STDLIB_DIR = '/usr/lib/python3.11';
/** Stdlib files above this size are not run (none are today; the largest is ~750 KB). */
const MAX_STDLIB_BYTES = 4 * 1024 * 1024;
const CORPUS_DIR = process.env.TENSORLENS_CORPUS ?? path.resolve(__dirname, '../../../shared/corpus');
const FALLBACK_DIRS = [path.join(projectRoot, 'test/oracle/models'), path.join(projectRoot, 'examples')];

interface Input {
  name: string;
  text: string;
  options?: { inputShapes?: Array<Array<number | null>> };
}

interface Outcome {
  name: string;
  ms: number;
  /** Why the call failed: a throw, a malformed result, a hang or a crash of the process. */
  failure?: string;
}

// Runs in the child: loads the bundled engine and answers one analysis per message, with
// the file linted as the CLI's and the language server's lint does after the analysis.
const CHILD_SOURCE = `
const { nodeParser, analyzeDetailed, lintFileDetailed } = require(process.env.TENSORLENS_ENGINE_BUNDLE);
const { performance } = require('node:perf_hooks');
nodeParser().then((parser) => {
  process.on('message', ({ id, text, options }) => {
    const t0 = performance.now();
    let failure;
    try {
      const detailed = analyzeDetailed(parser, text, options ?? {});
      const r = detailed.analysis;
      const arrays = ['models', 'diagnostics', 'syntaxErrors', 'notes'];
      if (!r || arrays.some((k) => !Array.isArray(r[k]))) failure = 'malformed Analysis: ' + String(r && Object.keys(r));
      const lint = lintFileDetailed(detailed, text, {});
      if (!lint || !Array.isArray(lint.findings)) failure = 'malformed lint result: ' + String(lint && Object.keys(lint));
      else if (lint.notes.length) failure = 'lint notes: ' + lint.notes.join(' | ').slice(0, 500);
    } catch (e) {
      failure = 'threw: ' + String((e && e.stack) || e).slice(0, 1500);
    }
    process.send({ id, ms: performance.now() - t0, failure });
  });
  process.send({ ready: true });
}, (e) => { process.send({ initError: String((e && e.stack) || e) }); });
`;

/** One child process running the engine; replaced whenever it hangs or dies. */
class Sandbox {
  private child?: ChildProcess;
  private ready?: Promise<void>;
  private stderr = '';
  private nextId = 0;
  restarts = 0;

  constructor(private readonly bundle: string) {}

  private start(): Promise<void> {
    this.stderr = '';
    const child = spawn(process.execPath, ['-e', CHILD_SOURCE], {
      cwd: projectRoot,
      env: { ...process.env, TENSORLENS_ENGINE_BUNDLE: this.bundle },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    child.stderr?.on('data', (d: Buffer) => { this.stderr = (this.stderr + d.toString()).slice(-4000); });
    this.child = child;
    return new Promise((resolve, reject) => {
      child.once('message', (m: any) => (m?.ready ? resolve() : reject(new Error(`engine init failed: ${m?.initError}`))));
      child.once('exit', (code) => reject(new Error(`engine process exited during init (${code}): ${this.stderr}`)));
    });
  }

  private discard(): void {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    this.child = undefined;
    this.ready = undefined;
  }

  async run(input: Input): Promise<Outcome> {
    this.ready ??= this.start();
    await this.ready;
    const child = this.child!;
    const id = this.nextId++;
    const t0 = performance.now();
    return new Promise<Outcome>((resolve) => {
      const finish = (outcome: Outcome, broken: boolean) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (broken) {
          this.restarts++;
          this.discard();
        }
        resolve(outcome);
      };
      const onMessage = (m: any) => {
        if (m?.id === id) finish({ name: input.name, ms: m.ms, failure: m.failure }, false);
      };
      const onExit = (code: number | null, signal: string | null) => finish({
        name: input.name, ms: performance.now() - t0,
        failure: `engine process died (exit ${code}, signal ${signal}): ${this.stderr.trim().split('\n').slice(-3).join(' | ')}`,
      }, true);
      const timer = setTimeout(() => finish({ name: input.name, ms: performance.now() - t0, failure: `no answer within ${HANG_MS} ms (hang)` }, true), HANG_MS);
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send({ id, text: input.text, options: { fileName: input.name, ...input.options } });
    });
  }

  stop(): void {
    this.discard();
  }
}

async function runAll(sandbox: Sandbox, inputs: Iterable<Input>, label: string): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const input of inputs) outcomes.push(await sandbox.run(input));
  const total = outcomes.reduce((s, o) => s + o.ms, 0);
  const slowest = [...outcomes].sort((a, b) => b.ms - a.ms).slice(0, 5)
    .map((o) => `${o.name} ${o.ms.toFixed(0)} ms`).join(', ');
  console.log(`[robustness] ${label}: ${outcomes.length} analyses in ${(total / 1000).toFixed(1)} s; slowest: ${slowest}`);
  return outcomes;
}

function failuresOf(outcomes: Outcome[]): string[] {
  return outcomes
    .filter((o) => o.failure || o.ms > HANG_MS)
    .map((o) => `${o.name}: ${o.failure ?? `took ${o.ms.toFixed(0)} ms (> ${HANG_MS} ms)`}`);
}

function listPy(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listPy(full));
    else if (entry.isFile() && entry.name.endsWith('.py')) out.push(full);
  }
  return out.sort();
}

/** A stable seed per file name, so every run breaks the files the same way. */
function seedOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function* brokenVariants(name: string, text: string): Generator<Input> {
  const rng = makeRng(seedOf(name));
  for (let i = 0; i < 20; i++) {
    const at = Math.floor(rng() * text.length);
    yield { name: `${name}#truncated@${at}`, text: text.slice(0, at) };
  }
  const lines = text.split('\n');
  for (let i = 0; i < 5; i++) {
    const kept = lines.filter(() => rng() >= 0.15);
    yield { name: `${name}#deleted-lines-${i}`, text: kept.join('\n') };
  }
  // One line deleted at a time from the middle of the file, where the model code is.
  for (let i = 0; i < 5; i++) {
    const at = Math.floor(rng() * lines.length);
    yield { name: `${name}#without-line-${at + 1}`, text: [...lines.slice(0, at), ...lines.slice(at + 1)].join('\n') };
  }
  // Stray tokens that leave brackets or blocks open.
  for (const junk of ['(', '[', ':', '"""', 'def ', '\t', ')))']) {
    const at = Math.floor(rng() * text.length);
    yield { name: `${name}#inserted-${JSON.stringify(junk)}@${at}`, text: text.slice(0, at) + junk + text.slice(at) };
  }
}

const TORCH = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

function pathologicalInputs(): Input[] {
  const rng = makeRng(12345);
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(rng() * 256)));
  const nested = (open: string, inner: string, close: string, depth = 5000) => open.repeat(depth) + inner + close.repeat(depth);
  const generated10mb = (() => {
    let lines = 260_000;
    let text = generateModel({ lines, seed: 3 });
    while (text.length < 10 * 1024 * 1024) text = generateModel({ lines: (lines *= 1.1), seed: 3 });
    return text;
  })();
  const cases: Input[] = [
    { name: 'while-true-in-init', text: `${TORCH}
class Loop(nn.Module):
    def __init__(self):
        super().__init__()
        while True:
            self.fc = nn.Linear(10, 10)

    def forward(self, x):
        return self.fc(x)


model = Loop()
y = model(torch.randn(1, 10))
` },
    { name: 'while-true-in-forward', text: `${TORCH}
class Spin(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)

    def forward(self, x):
        while True:
            x = self.fc(x)
        return x


y = Spin()(torch.randn(1, 8))
` },
    { name: 'while-true-at-module-level', text: `${TORCH}\nwhile True:\n    pass\nmodel = nn.Linear(3, 4)\n` },
    { name: 'counting-loops', text: `${TORCH}
i = 0
while i >= 0:
    i += 1


class Wide(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList()
        for k in range(10 ** 12):
            self.layers.append(nn.Linear(4, 4))
        self.seq = nn.Sequential(*[nn.Linear(8, 8) for _ in range(1_000_000)])

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x
` },
    { name: 'runaway-recursion', text: `${TORCH}
def f(n):
    return f(n + 1)


def a(n):
    return b(n)


def b(n):
    return a(n)


g = lambda n: g(n + 1)
f(0)
a(0)
g(0)


class Rec(nn.Module):
    def __init__(self, depth=0):
        super().__init__()
        self.width = f(depth)
        self.fc = nn.Linear(4, 4)

    def forward(self, x):
        return self.forward(self.fc(x))


out = Rec()(torch.randn(1, 4))
` },
    { name: 'self-instantiating-class', text: `${TORCH}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.child = Net()

    def forward(self, x):
        return self.child(self.fc(x))


model = Net()
y = model(torch.randn(1, 4))
` },
    { name: 'mutually-instantiating-classes', text: `${TORCH}
class A(nn.Module):
    def __init__(self):
        super().__init__()
        self.b = B()


class B(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = A()


class C(D):
    pass


class D(C):
    pass


model = A()
` },
    { name: 'inheritance-chain-2000', text: TORCH + 'class C0(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 4)\n' +
      Array.from({ length: 2000 }, (_, i) => `class C${i + 1}(C${i}):\n    def __init__(self):\n        super().__init__()\n`).join('') + 'model = C2000()\n' },
    { name: 'allocation-bombs', text: `${TORCH}
xs = [0]
for _ in range(200):
    xs = xs + xs
s = "a" * 10 ** 12
big = [0] * 10 ** 10
n = 10 ** 10 ** 10
d = {}
d["self"] = d
loop = []
loop.append(loop)
model = nn.Linear(10 ** 100, 10 ** 100)
conv = nn.Conv2d(3, 2 ** 62, 3)
` },
    { name: 'infinite-generator', text: `${TORCH}
def count():
    while True:
        yield 1


widths = list(count())
model = nn.Sequential(*[nn.Linear(w, w) for w in count()])
` },
    { name: 'keras-add-forever', text: `import keras
from keras import layers

model = keras.Sequential()
while True:
    model.add(layers.Dense(10))
model.build((None, 4))
` },
    { name: 'generated-10mb', text: generated10mb },
    { name: 'binary-garbage', text: bytes(256 * 1024).toString('latin1') },
    { name: 'binary-garbage-utf8', text: bytes(256 * 1024).toString('utf8') },
    { name: 'nul-bytes-in-code', text: `${TORCH}model = nn.Linear(3,\0 4)\n\0\0\0class X(nn.Module):\0\n    pass\n` },
    { name: 'lone-surrogates', text: `${TORCH}name = "\uD800\uDFFF\uDC00"\n\uD83D = 1\nmodel = nn.Linear(3, 4)  # \uDBFF\n` },
    { name: 'empty', text: '' },
    { name: 'only-newlines', text: '\n'.repeat(10_000) },
    { name: 'only-comments', text: Array.from({ length: 2000 }, (_, i) => `# comment ${i}: model = nn.Linear(${i}, 10)`).join('\n') },
    { name: 'nested-parens-5000', text: `x = ${nested('(', '1', ')')}\n` },
    { name: 'nested-parens-in-forward', text: `${TORCH}
class Deep(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)

    def forward(self, x):
        return self.fc(${nested('(', 'x', ')')})


y = Deep()(torch.randn(1, 4))
` },
    { name: 'nested-lists-5000', text: `x = ${nested('[', '1', ']')}\n` },
    // An elif chain nests each branch in the one before it: 3,000 levels deep.
    { name: 'elif-chain-3000', text: `${TORCH}x = 3\nif x == 0:\n    y = 0\n${Array.from({ length: 2999 }, (_, i) => `elif x == ${i + 1}:\n    y = nn.Linear(${i + 1}, 2)\n`).join('')}` },
    { name: 'nested-calls-5000', text: `${TORCH}model = ${nested('nn.Sequential(', 'nn.Linear(4, 4)', ')')}\ny = model(torch.randn(1, 4))\n` },
    { name: 'nested-unary-5000', text: `x = ${'-'.repeat(5000)}1\ny = ${'not '.repeat(5000)}True\n` },
    { name: 'long-binary-chain', text: `${TORCH}x = ${Array.from({ length: 100_000 }, () => '1').join(' + ')}\nmodel = nn.Linear(x, 10)\n` },
    { name: 'unclosed-parens-5000', text: `${TORCH}model = nn.Linear${'('.repeat(5000)}\n` },
    { name: 'deep-indentation', text: Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}if True:`).join('\n') + `\n${' '.repeat(1000)}x = 1\n` },
    { name: 'huge-list-literal', text: `${TORCH}SIZES = [${Array.from({ length: 500_000 }, (_, i) => i % 997).join(', ')}]\nmodel = nn.Sequential(*[nn.Linear(SIZES[i] + 1, SIZES[i + 1] + 1) for i in range(len(SIZES) - 1)])\n` },
    { name: 'long-line', text: `${TORCH}DOC = "${'x'.repeat(1024 * 1024)}"\nmodel = nn.Linear(3, 4)\n` },
    { name: 'crlf-and-tabs', text: `${TORCH}class T(nn.Module):\r\n\tdef __init__(self):\r\n\t\tsuper().__init__()\r\n        \tself.fc = nn.Linear(4, 4)\r\n\tdef forward(self, x):\r\n\t\treturn self.fc(x)\r\n` },
  ];
  // The same inputs with an input shape handed over, as the CLI's --input-shape does.
  return [...cases, ...cases.map((c) => ({ ...c, name: `${c.name}+input`, options: { inputShapes: [[1, 3, 224, 224]] } }))];
}

describe('robustness: the engine returns on any input', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = new Sandbox(await buildEngine('robustness'));
  });
  afterAll(() => sandbox?.stop());

  it(`analyses every .py file under ${STDLIB_DIR}`, async () => {
    expect(existsSync(STDLIB_DIR), `${STDLIB_DIR} is missing: run scripts/setup.sh (python3-torch brings Python 3.11)`).toBe(true);
    const all = listPy(STDLIB_DIR);
    const files = all.filter((f) => statSync(f).size <= MAX_STDLIB_BYTES);
    console.log(`[robustness] stdlib: running ${files.length} of ${all.length} .py files (${all.length - files.length} over ${MAX_STDLIB_BYTES} bytes skipped)`);
    expect(files.length).toBeGreaterThan(100);
    const inputs = files.map((f) => ({ name: path.relative(STDLIB_DIR, f), text: readFileSync(f, 'utf8') }));
    const outcomes = await runAll(sandbox, inputs, 'stdlib');
    expect(failuresOf(outcomes)).toEqual([]);
  }, 240_000);

  it('analyses syntactically broken variants of the model corpus', async () => {
    const dirs = existsSync(CORPUS_DIR) ? [CORPUS_DIR] : FALLBACK_DIRS.filter((d) => existsSync(d));
    const files = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.py')).sort().map((f) => path.join(d, f)));
    console.log(`[robustness] corpus: ${files.length} files from ${dirs.join(', ')}`);
    expect(files.length).toBeGreaterThan(0);
    const inputs = files.flatMap((f) => [...brokenVariants(path.basename(f), readFileSync(f, 'utf8'))]);
    const outcomes = await runAll(sandbox, inputs, 'broken corpus variants');
    expect(failuresOf(outcomes)).toEqual([]);
  }, 240_000);

  it('analyses pathological inputs', async () => {
    const outcomes = await runAll(sandbox, pathologicalInputs(), 'pathological');
    expect(failuresOf(outcomes)).toEqual([]);
  }, 240_000);
});
