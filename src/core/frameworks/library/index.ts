// Library architectures written as Python stubs (torchvision.models, keras.applications,
// timm), by dotted module path. Each stub is parsed once per process and run only when a
// file imports it (src/core/eval/modules.ts). Listed explicitly, as every registry here.

import type { StubModule } from '../../eval/modules';

const STUBS: StubModule[] = [];

export const LIBRARY_STUBS: ReadonlyMap<string, StubModule> = new Map(
  STUBS.flatMap((s) => [s.module, ...(s.aliases ?? [])].map((name) => [name, s] as const)),
);
