// src/cli/args.ts: the `--flag value` / `--flag=value` walking shared by `summary` and `lint`,
// and the usage errors each command raises through it (messages and exit codes unchanged).
import { describe, expect, it, vi } from 'vitest';
import { isFlag, walkArgs } from '../../src/cli/args';
import { LintUsageError, lintCommand, parseLintArgs } from '../../src/cli/lint';

class Oops extends Error {}

function collect(argv: string[], valued: string[]): Array<[string, string | undefined]> {
  const seen: Array<[string, string | undefined]> = [];
  walkArgs(argv, (m) => new Oops(m), (a, value) => {
    seen.push([a, valued.some((f) => isFlag(a, f)) ? value() : undefined]);
  });
  return seen;
}

describe('walkArgs', () => {
  it('takes a value from the next token or after "=", and skips the consumed token', () => {
    expect(collect(['a.py', '--model', 'Net', '--json', '--model=Other', 'b.py'], ['--model'])).toEqual([
      ['a.py', undefined], ['--model', 'Net'], ['--json', undefined], ['--model=Other', 'Other'], ['b.py', undefined],
    ]);
  });

  it('keeps "=" inside a value and allows an empty value after "="', () => {
    expect(collect(['--x=a=b', '--x='], ['--x'])).toEqual([['--x=a=b', 'a=b'], ['--x=', '']]);
  });

  it('a valued flag given last raises the command\'s own error class', () => {
    expect(() => collect(['--model'], ['--model'])).toThrow(Oops);
    expect(() => collect(['--model'], ['--model'])).toThrow('--model needs a value');
  });

  it('a flag that takes no value leaves the next token alone', () => {
    expect(collect(['--json', 'x'], [])).toEqual([['--json', undefined], ['x', undefined]]);
  });
});

describe('isFlag', () => {
  it('matches --name and --name=..., not a longer name', () => {
    expect(isFlag('--model', '--model')).toBe(true);
    expect(isFlag('--model=a', '--model')).toBe(true);
    expect(isFlag('--models', '--model')).toBe(false);
    expect(isFlag('model', '--model')).toBe(false);
  });
});

describe('lint arguments through the shared walker', () => {
  it('parses every flag in both spellings', () => {
    expect(parseLintArgs(['src', '--format=sarif', '--select', 'dl1,DL201', '--ignore=DL5', '--fix', 'more.py'])).toEqual({
      paths: ['src', 'more.py'], format: 'sarif', select: ['DL1', 'DL201'], ignore: ['DL5'], fix: true, jobs: 'auto',
    });
    expect(parseLintArgs(['a.py', '--json']).format).toBe('json');
    expect(parseLintArgs(['a.py', '--jobs=3']).jobs).toBe(3);
    expect(parseLintArgs(['a.py', '-j', '2']).jobs).toBe(2);
    expect(parseLintArgs(['a.py', '--jobs', 'auto']).jobs).toBe('auto');
  });

  it.each([
    [['a.py', '--format'], '--format needs a value'],
    [['a.py', '--format', 'xml'], "--format must be text, json or sarif (got 'xml')"],
    [['a.py', '--select', 'X1'], "--select: expected rule codes or prefixes such as DL101,DL2 (got 'X1')"],
    [['a.py', '--bogus'], 'unknown option --bogus'],
    [['a.py', '--jobs', '0'], "--jobs must be a whole number from 1, or auto (got '0')"],
    [['a.py', '-j'], '-j needs a value'],
    [[], 'lint needs at least one PATH'],
  ])('%j is a LintUsageError: %s', (argv, message) => {
    expect(() => parseLintArgs(argv)).toThrow(LintUsageError);
    expect(() => parseLintArgs(argv)).toThrow(message);
  });

  it('lintCommand prints the message with the lint usage and exits 2', async () => {
    let err = '';
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      err += String(s);
      return true;
    });
    try {
      expect(await lintCommand(['a.py', '--ignore'])).toBe(2);
    } finally {
      e.mockRestore();
    }
    expect(err).toMatch(/^tensorlens: --ignore needs a value\n\nUsage:\n {2}tensorlens lint PATH/);
  });
});
