// The Rosetta library: common deep-learning tasks written in PyTorch, Keras 3 and
// tf.keras, as data. VS Code snippet syntax (${1:name}) marks the tab stops;
// scripts/gen-snippets.mjs turns this list into snippets/*.json at build time.

import { TASKS } from './tasks';

export interface RosettaTask {
  id: string;
  title: string;
  description: string;
  pytorch: string;
  keras: string;
  tfKeras: string;
}

export const ROSETTA: RosettaTask[] = TASKS;

/** Snippet text without tab-stop syntax: `${1:name}` -> `name`, `$1` / `$0` -> ''. */
export function stripTabStops(snippet: string): string {
  let s = snippet;
  for (let i = 0; i < 4; i++) s = s.replace(/\$\{\d+:([^{}]*)\}/g, '$1').replace(/\$\{\d+\|([^,|}]*)[^}]*\|\}/g, '$1');
  return s.replace(/\$\{\d+\}/g, '').replace(/\$\d+/g, '').replace(/\\\$/g, '$');
}
