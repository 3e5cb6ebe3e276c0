// Types for py-files.mjs (imported by the tests).
export declare function pyFiles(dir: string, options?: { recursive?: boolean; maxBytes?: number }): string[];
