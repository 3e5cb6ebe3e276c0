// The server's parser: the same one-per-process parser as every Node host (src/node/wasm.ts).
// The server needs the parser itself, not only `analyze`, because hovers and hints use the
// detailed analysis (AST + model instances).

export { nodeParser as loadServerParser } from '../node/wasm';
