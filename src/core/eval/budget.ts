// Budgets that keep any input from hanging the editor: a step limit per analysis,
// an iteration limit per loop, a recursion limit and a wall-clock backstop.

export const DEFAULT_BUDGET = {
  /** Evaluation steps (expressions + statements) for a whole file. */
  maxSteps: 3_000_000,
  /** Iterations of one `for` / `while` loop before it is cut short. */
  maxLoopIterations: 20_000,
  /**
   * Evaluation steps one loop may take (its iterations so far, nested loops and calls
   * included) before it is cut short after the iteration that crossed it: a training loop
   * of 100,000 steps would otherwise use the whole file's budget, and nothing after it would
   * be followed. A tenth of maxSteps: some 0.1 s.
   */
  maxLoopSteps: 300_000,
  /**
   * Evaluation steps a loop may take before it ends at an iteration that repeats the one
   * before it (Interp.repeated): numbers changed, nothing else. Loops that build a model or
   * a config cost less, or change more, and run in full.
   */
  quietLoopSteps: 20_000,
  /**
   * Calls returning a tensor (Interp.tensorWork) a loop that calls a model or layer may make
   * before it ends, as above, at an iteration that repeats the one before it: a training loop
   * reaches it within a few iterations. A loop that works out a config (`for _ in range(2000):
   * flat += 1`) makes no tensors, and one that builds a model calls none: both run in full.
   */
  quietLoopTensors: 100,
  /**
   * Evaluation steps after which a loop that calls no model but makes quietLoopTensors tensors
   * (a dataset built sample by sample, gradient descent written by hand) or takes
   * quietHeavyIterationSteps an iteration ends at an iteration that repeats the one before it;
   * the lists it fills in every iteration are filled for the iterations left (Interp.cutLoop).
   * Also the steps after which a comprehension whose items (tensors or unknown values) repeat
   * themselves takes the rest to be like them (Interp.evalComp).
   */
  quietDataLoopSteps: 2_000,
  /** Iterations after which a loop that appends data (tensors, unknown values) to a list in every one may end as above. */
  quietDataIterations: 20,
  /**
   * Steps an iteration takes, on average, in a loop that (past quietDataLoopSteps) ends as
   * above: working out a config takes a few steps an iteration, an epoch of a training script
   * hundreds.
   */
  quietHeavyIterationSteps: 200,
  /** Nested Python calls. */
  maxCallDepth: 150,
  /** Wall-clock backstop for one analysis, in ms (the step limit normally ends first). */
  maxMillis: 4_000,
  /** Longest list built by comprehension / range materialisation. */
  maxListLength: 200_000,
};

export type Budget = typeof DEFAULT_BUDGET;

/** Thrown when the step or time budget runs out; caught at statement and model boundaries. */
export class BudgetExceeded extends Error {
  constructor(readonly what: string) {
    super(`analysis budget exhausted (${what})`);
    this.name = 'BudgetExceeded';
  }
}
