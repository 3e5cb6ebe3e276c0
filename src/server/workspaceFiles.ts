// Project files as the language server sees them: an open document's current text (even
// unsaved) wins over the file on disk. Each analysis gets its own resolver that records
// every path it looked at and in which version ("stamp", or absent), so a cached result can
// be checked against the files it depends on, and creating or editing one of them
// re-analyses the files that imported it.

import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ModuleResolver } from '../core/eval/modules';
import { diskSource, fileSystemResolver, findProjectRoot, type ModuleSource } from '../node/resolver';

/** An open document as a module source: its current text and version. */
export interface OpenFile {
  version: number;
  getText(): string;
}

interface DiskEntry {
  mtimeMs: number;
  size: number;
  text: string;
}

/** What one analysis read: the stamp of every path it probed (`-` for a file that was not there). */
export interface ResolutionRecord {
  stamps: Map<string, string>;
}

export class WorkspaceFiles {
  private readonly disk = new Map<string, DiskEntry>();

  constructor(
    /** The open document at a file-system path, if any. */
    private readonly openAt: (path: string) => OpenFile | undefined,
    private readonly workspaceRoot: () => string | undefined,
  ) {}

  /** `o<version>` for an open document, `d<mtime>:<size>` on disk, `-` when there is no file. */
  stamp(path: string): string {
    const open = this.openAt(path);
    if (open) return `o${open.version}`;
    try {
      const st = statSync(path);
      return st.isFile() ? `d${st.mtimeMs}:${st.size}` : '-';
    } catch {
      return '-';
    }
  }

  /** Whether every file a result was computed from is still in the version it read. */
  upToDate(rec: ResolutionRecord): boolean {
    for (const [path, s] of rec.stamps) if (this.stamp(path) !== s) return false;
    return true;
  }

  /** Drops the cached disk text of a file (the client reported a change to it). */
  forget(path: string): void {
    this.disk.delete(resolve(path));
  }

  /** Disk text, re-read only when the file's mtime or size changed. */
  private readDisk(path: string): { text: string; stamp: string } | undefined {
    let st;
    try {
      st = statSync(path);
    } catch {
      return undefined;
    }
    if (!st.isFile()) return undefined;
    const hit = this.disk.get(path);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return { text: hit.text, stamp: `d${st.mtimeMs}:${st.size}` };
    const text = diskSource.readFile(path);
    if (text === undefined) return undefined;
    this.disk.set(path, { mtimeMs: st.mtimeMs, size: st.size, text });
    return { text, stamp: `d${st.mtimeMs}:${st.size}` };
  }

  /**
   * A resolver for one analysis of the file at `mainPath` (named `mainName` to the engine),
   * and the record it fills in. Absolute imports climb from the file's folder to the project
   * root (nearest marker) but never above the workspace folder.
   */
  resolverFor(mainPath: string, mainName: string, extraRoots: string[] = []): { resolve: ModuleResolver; record: ResolutionRecord } {
    const record: ResolutionRecord = { stamps: new Map() };
    const source: ModuleSource = {
      readFile: (path) => {
        const p = resolve(path);
        const open = this.openAt(p);
        if (open) {
          record.stamps.set(p, `o${open.version}`);
          return open.getText();
        }
        const d = this.readDisk(p);
        // An absent file is recorded too: creating it later must re-resolve the import.
        if (!record.stamps.has(p)) record.stamps.set(p, d?.stamp ?? '-');
        return d?.text;
      },
      isDirectory: (path) => diskSource.isDirectory(path),
    };
    const ws = this.workspaceRoot();
    const dir = dirname(resolve(mainPath));
    const inWorkspace = ws && (dir === resolve(ws) || dir.startsWith(resolve(ws) + '/') || dir.startsWith(resolve(ws) + '\\'));
    const root = findProjectRoot(dir, inWorkspace ? ws : undefined);
    const inner = fileSystemResolver(mainPath, mainName, { extraRoots, root, source });
    return { record, resolve: inner };
  }
}
