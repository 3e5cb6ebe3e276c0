// The rules' `needs` gate (RuleMeta.needs) lets the engine skip a rule on a file without
// its trigger words; a rule that finds something in a file its gate would skip is a bug in
// its `needs`. The rule-test helpers call this after every run, so each must-fire test
// checks the gate as well.
import { ruleMayApply, wordsOf } from '../../../src/core/lint/engine';
import type { Finding, Rule } from '../../../src/core/lint/types';

export function assertGatePasses(rule: Rule, text: string, findings: readonly Finding[]): void {
  if (findings.length && !ruleMayApply(rule.meta, wordsOf(text))) {
    throw new Error(`${rule.meta.code} found ${findings.length} problem(s) in a text without any of its trigger words (${rule.meta.needs?.join(', ')}): fix the rule's needs`);
  }
}
