// Keeps the engine's boundary visible: nothing under src/core imports an editor API, the
// file system, child processes or path handling. The core takes text and returns data;
// hosts (CLI, language server, extension) do the I/O.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const CORE_DIR = path.resolve(__dirname, '../../src/core');

const FORBIDDEN: Array<{ pattern: RegExp; why: string }> = [
  { pattern: /^vscode$/, why: 'editor API' },
  { pattern: /^vscode-languageserver/, why: 'language-server API' },
  { pattern: /^(node:)?fs(\/.*)?$/, why: 'file system' },
  { pattern: /^(node:)?child_process$/, why: 'child processes' },
  { pattern: /^(node:)?path(\/.*)?$/, why: 'path handling' },
];

/** Every module a file pulls in: import / export-from / import() / require / import = require. */
function importedModules(source: string): string[] {
  const info = ts.preProcessFile(source, true, true);
  return info.importedFiles.map((f) => f.fileName);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.(c|m)?[jt]sx?$/.test(e.name) ? [full] : [];
  });
}

function violations(file: string, source: string): string[] {
  return importedModules(source).flatMap((mod) => FORBIDDEN
    .filter((f) => f.pattern.test(mod))
    .map((f) => `${file} imports '${mod}' (${f.why})`));
}

describe('src/core boundary', () => {
  it('finds every import form', () => {
    const sample = [
      "import * as fs from 'fs';",
      "import { join } from 'node:path';",
      "import type { TextDocument } from 'vscode';",
      "export { x } from 'vscode-languageserver/node';",
      "import {\n  spawn,\n} from 'child_process';",
      "const p = require('path');",
      "import fsp = require('node:fs/promises');",
      "const lazy = await import('vscode-languageserver-textdocument');",
      "import './side-effect';",
      "// import fs from 'fs' (a comment is not an import)",
    ].join('\n');
    expect(violations('sample.ts', sample)).toEqual([
      "sample.ts imports 'fs' (file system)",
      "sample.ts imports 'node:path' (path handling)",
      "sample.ts imports 'vscode' (editor API)",
      "sample.ts imports 'vscode-languageserver/node' (language-server API)",
      "sample.ts imports 'child_process' (child processes)",
      "sample.ts imports 'path' (path handling)",
      "sample.ts imports 'node:fs/promises' (file system)",
      "sample.ts imports 'vscode-languageserver-textdocument' (language-server API)",
    ]);
    expect(violations('ok.ts', "import { Dim } from '../shapes/dim';\nimport pathLike from './pathology';")).toEqual([]);
  });

  it('src/core imports no vscode, language server, fs, child_process or path', () => {
    const files = sourceFiles(CORE_DIR);
    expect(files.length).toBeGreaterThan(0);
    const found = files.flatMap((f) => violations(path.relative(CORE_DIR, f), readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });
});
