// Types for engine-bundle.mjs (imported by the robustness test).
export declare const projectRoot: string;
export declare const cacheRoot: string;
export declare function buildEngine(name: string): Promise<string>;
