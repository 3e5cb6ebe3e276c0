// URIs become file-system paths here and nowhere else (vscode-eslint's habit): untitled
// and other non-file documents have no path, and everything that needs one says so.

import { fileURLToPath, pathToFileURL } from 'node:url';

/** The file-system path of a `file:` URI; undefined for untitled / virtual documents. */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function pathToUri(path: string): string {
  return pathToFileURL(path).href;
}

/** A short display name for messages and the analysis' `file` field. */
export function uriBaseName(uri: string): string {
  const path = uriToPath(uri) ?? decodeURIComponent(uri);
  return path.split(/[\\/]/).pop() || path;
}
