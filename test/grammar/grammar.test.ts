// Snapshot test of the TextMate injection grammar (syntaxes/tensorlens.injection.tmLanguage.json)
// over the real Python grammar (MagicPython, from tm-grammars), tokenised with vscode-textmate
// and the oniguruma WASM build, as VS Code does. The snapshot lists each token with its
// TensorLens scopes; the explicit checks below pin the behaviour that matters.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

const require = createRequire(import.meta.url);
const root = join(__dirname, '..', '..');
const INJECTION = join(root, 'syntaxes', 'tensorlens.injection.tmLanguage.json');

let grammar: vsctm.IGrammar;

beforeAll(async () => {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p), createOnigString: (s: string) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope: string) => {
      if (scope === 'source.python') return vsctm.parseRawGrammar(readFileSync(require.resolve('tm-grammars/grammars/python.json'), 'utf8'), 'python.json');
      if (scope === 'tensorlens.injection') return vsctm.parseRawGrammar(readFileSync(INJECTION, 'utf8'), INJECTION);
      return null;
    },
    getInjections: (scope: string) => (scope === 'source.python' ? ['tensorlens.injection'] : undefined),
  });
  const g = await registry.loadGrammar('source.python');
  if (!g) throw new Error('python grammar did not load');
  grammar = g;
});

interface Tok {
  line: number;
  text: string;
  scopes: string[];
}

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let stack = vsctm.INITIAL;
  src.split('\n').forEach((line, i) => {
    const r = grammar.tokenizeLine(line, stack);
    for (const t of r.tokens) out.push({ line: i, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    stack = r.ruleStack;
  });
  return out;
}

/** Tokens carrying a TensorLens scope, one per line: `line  text  scope`. */
function render(toks: Tok[]): string {
  return toks
    .map((t) => ({ ...t, mine: t.scopes.filter((s) => s.endsWith('.tensorlens')).pop() }))
    .filter((t) => t.mine)
    .map((t) => `${String(t.line + 1).padStart(3)}  ${JSON.stringify(t.text).padEnd(14)} ${t.mine}`)
    .join('\n');
}

const scopeOf = (toks: Tok[], line: number, text: string) => toks.find((t) => t.line === line - 1 && t.text === text)?.scopes ?? [];

describe('TensorLens injection grammar', () => {
  const src = readFileSync(join(__dirname, 'fixtures', 'comments.py'), 'utf8');

  it('matches the snapshot', async () => {
    await expect(render(tokenize(src)) + '\n').toMatchFileSnapshot('./fixtures/comments.tokens.txt');
  });

  it('scopes the input directive, its key and its dims', () => {
    const toks = tokenize(src);
    expect(scopeOf(toks, 4, 'tensorlens')).toContain('keyword.other.directive.tensorlens');
    expect(scopeOf(toks, 4, 'input')).toContain('variable.parameter.directive.tensorlens');
    expect(scopeOf(toks, 4, '224')).toContain('constant.numeric.dim.tensorlens');
    expect(scopeOf(toks, 12, 'None')).toContain('constant.language.none.tensorlens');
    expect(scopeOf(toks, 12, 'dtype')).toContain('variable.parameter.directive.tensorlens');
    expect(scopeOf(toks, 12, 'int64')).toContain('support.type.dtype.tensorlens');
    // Still inside the Python comment.
    expect(scopeOf(toks, 4, 'tensorlens')).toContain('comment.line.number-sign.python');
  });

  it('scopes noqa and DL rule codes', () => {
    const toks = tokenize(src);
    expect(scopeOf(toks, 8, 'noqa')).toContain('keyword.other.noqa.tensorlens');
    expect(scopeOf(toks, 8, 'DL101')).toContain('constant.other.rule-code.tensorlens');
    expect(scopeOf(toks, 8, 'DL405')).toContain('constant.other.rule-code.tensorlens');
    expect(scopeOf(toks, 13, 'noqa')).toContain('keyword.other.noqa.tensorlens');
    expect(scopeOf(toks, 14, 'E501')).toContain('constant.other.rule-code.other.tensorlens');
  });

  it('scopes shape comments, symbolic dims included, and leaves prose alone', () => {
    const toks = tokenize(src);
    expect(scopeOf(toks, 6, 'B')).toContain('variable.other.dim.tensorlens');
    expect(scopeOf(toks, 6, '3')).toContain('constant.numeric.dim.tensorlens');
    expect(scopeOf(toks, 7, 'H')).toContain('meta.shape.tensorlens');
    expect(scopeOf(toks, 7, '/')).toContain('keyword.operator.arithmetic.tensorlens');
    const prose = toks.filter((t) => (t.line === 8 || t.line === 13) && t.scopes.includes('meta.shape.tensorlens'));
    expect(prose).toEqual([]);
  });

  it('does not touch code outside comments', () => {
    const toks = tokenize('shape = (1, 3, 224, 224)\nnoqa = 1\n');
    expect(toks.filter((t) => t.scopes.some((s) => s.endsWith('.tensorlens')))).toEqual([]);
  });
});
