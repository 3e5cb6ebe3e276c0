// `tensorlens lint` over many files on several cores: a pool of worker threads in the CLI's
// own process, each running the bundled CLI (dist/cli.js) in worker mode. Files are handed
// out one at a time to whichever worker is free, so a long training script does not hold up
// the rest; results come back in the order of the files, so the output is the same as a run
// on one thread. The pool exists only in the bundle: run from source (the unit tests), the
// CLI lints on its own thread.

import { existsSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

/** Marks a worker thread started by this pool (workerData). */
const WORKER_FLAG = 'tensorlensLintWorker';

/** Files a worker should have at least, on average, to be worth starting (it loads the engine first). */
const FILES_PER_WORKER = 4;

/** At most this many workers unless --jobs asks for more: each holds its own engine (~60 MB). */
const AUTO_MAX_WORKERS = 8;

declare const __dirname: string | undefined;

/** The bundled CLI a worker runs, when this code runs from the bundle (dist/). */
function workerScript(): string | undefined {
  if (typeof __dirname !== 'string') return undefined;
  const bin = join(__dirname, 'cli.js');
  return existsSync(bin) && existsSync(join(__dirname, 'cli-main.js')) ? bin : undefined;
}

function cores(): number {
  try {
    return availableParallelism();
  } catch {
    return cpus().length || 1;
  }
}

/**
 * How many worker threads to lint `files` files with: `jobs` as given (--jobs N), else one
 * per two cores, up to one per FILES_PER_WORKER files and AUTO_MAX_WORKERS. One engine thread
 * keeps about one and a half cores busy (V8 compiles and collects garbage on threads of its
 * own): on 2 cores, two workers linted the deep-learning set 10-40 % slower than one thread
 * (npm run bench). Fewer than two means the files are linted on the CLI's own thread, as is
 * everything when no bundle is at hand.
 */
export function poolSize(files: number, jobs: number | 'auto'): number {
  if (!workerScript()) return 0;
  const n = jobs === 'auto' ? Math.min(Math.floor(cores() / 2), AUTO_MAX_WORKERS, Math.floor(files / FILES_PER_WORKER)) : Math.min(jobs, files);
  return n >= 2 ? n : 0;
}

/** Whether this thread is a lint worker of the pool (the CLI entry then serves tasks instead of reading argv). */
export function isLintWorker(): boolean {
  return !isMainThread && !!parentPort && (workerData as Record<string, unknown> | null)?.[WORKER_FLAG] === true;
}

interface TaskMessage<T> { id: number; task: T }
type ResultMessage<R> = { id: number; result: R } | { id: number; error: string };

/** Serves the pool's tasks in this worker thread with `work`, one at a time. */
export function serveLintTasks<T, R>(work: (task: T) => Promise<R>): void {
  const port = parentPort!;
  port.on('message', (m: TaskMessage<T>) => {
    work(m.task).then(
      (result) => port.postMessage({ id: m.id, result } satisfies ResultMessage<R>),
      (e: unknown) => port.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) } satisfies ResultMessage<R>),
    );
  });
}

/**
 * Runs `tasks` on `size` worker threads and calls `onResult` for each result in the order of
 * `tasks` (as soon as it and all before it are in). A task that fails in a worker (an internal
 * error) rejects the whole run with its message, as it would on one thread.
 */
export async function runPool<T, R>(tasks: readonly T[], size: number, onResult: (result: R, index: number) => void): Promise<void> {
  const script = workerScript();
  if (!script) throw new Error('the lint worker pool needs the bundled CLI');
  const results = new Array<R | undefined>(tasks.length);
  const done = new Array<boolean>(tasks.length).fill(false);
  let next = 0;
  let emitted = 0;
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (e: Error) => {
        if (!failed) {
          failed = true;
          reject(e);
        }
      };
      const give = (w: Worker) => {
        if (next < tasks.length) {
          const id = next++;
          w.postMessage({ id, task: tasks[id] } satisfies TaskMessage<T>);
        }
      };
      for (let i = 0; i < Math.min(size, tasks.length); i++) {
        const w = new Worker(script, { workerData: { [WORKER_FLAG]: true }, argv: [], stdout: false, stderr: false });
        workers.push(w);
        w.on('message', (m: ResultMessage<R>) => {
          if (failed) return;
          if ('error' in m) return fail(new Error(m.error));
          results[m.id] = m.result;
          done[m.id] = true;
          try {
            while (emitted < tasks.length && done[emitted]) {
              onResult(results[emitted]!, emitted);
              results[emitted] = undefined;
              emitted++;
            }
          } catch (e) {
            return fail(e as Error);
          }
          if (emitted === tasks.length) resolve();
          else give(w);
        });
        w.on('error', (e) => fail(e));
        w.on('exit', (code) => {
          if (emitted < tasks.length) fail(new Error(`a lint worker stopped (exit ${code}) before the files were done`));
        });
        give(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
