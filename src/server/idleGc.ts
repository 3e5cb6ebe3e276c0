// Young-generation garbage collection in idle time. One analysis of a 1,000-line model
// allocates about 10 MB, which fills V8's young generation about once per run: the scavenge
// then lands in the middle of the next run and adds its 3-10 ms to the time the user waits
// for diagnostics. After a run's results are sent the server is idle (the next run of that
// document is at least a debounce window away, analysisService.ts), so it asks V8 for a
// minor collection then: the next run starts with an empty young generation.
//
// `gc` is not exposed by default; `--expose-gc` set at run time installs it in new contexts.
// Where that is refused the collector does nothing (V8 collects as it always does).
// TENSORLENS_IDLE_GC=0 turns it off (to measure the difference).

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type GcFunction = (options?: { type?: 'minor' | 'major'; execution?: 'sync' | 'async' }) => void;

let gcFunction: GcFunction | null | undefined;

/** V8's `gc`, exposed on first use; null when it cannot be had. */
export function exposedGc(): GcFunction | null {
  if (gcFunction !== undefined) return gcFunction;
  gcFunction = null;
  try {
    const existing = (globalThis as { gc?: unknown }).gc;
    if (typeof existing === 'function') gcFunction = existing as GcFunction;
    else {
      setFlagsFromString('--expose-gc');
      const f: unknown = runInNewContext('gc');
      if (typeof f === 'function') gcFunction = f as GcFunction;
    }
  } catch {
    gcFunction = null;
  }
  return gcFunction;
}

/** Runs a minor collection a little after the last `schedule()` (once the results are written out). */
export class IdleCollector {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly gc: GcFunction | null;
  /** Collections run so far (tests read it). */
  runs = 0;

  constructor(private readonly delayMs = 20, enabled = process.env.TENSORLENS_IDLE_GC !== '0') {
    this.gc = enabled ? exposedGc() : null;
  }

  get enabled(): boolean {
    return this.gc !== null;
  }

  schedule(): void {
    if (!this.gc) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.gc!({ type: 'minor' });
        this.runs++;
      } catch {
        // A V8 without the options form: leave collection to V8.
      }
    }, this.delayMs);
    this.timer.unref?.();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
