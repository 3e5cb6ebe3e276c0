// Types for gen-model.mjs (imported by the robustness test).
export declare function makeRng(seed: number): () => number;
export declare function generateModel(options?: { lines?: number; seed?: number }): string;
