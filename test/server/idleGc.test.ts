// The idle-time young-generation collection (src/server/idleGc.ts): V8's gc is exposed at run
// time, a burst of schedule() calls gives one collection after the last, and the switch
// TENSORLENS_IDLE_GC=0 (enabled = false) leaves collection to V8.
import { setTimeout as sleep } from 'node:timers/promises';
import { getHeapSpaceStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { IdleCollector, exposedGc } from '../../src/server/idleGc';

const youngUsed = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_used_size;

describe('idle-time garbage collection', () => {
  it('exposes V8 gc at run time', () => {
    expect(typeof exposedGc()).toBe('function');
  });

  it('collects once, a little after the last of several schedules, and frees young garbage', async () => {
    const c = new IdleCollector(5);
    expect(c.enabled).toBe(true);
    let garbage: object[] | undefined = Array.from({ length: 50_000 }, (_, i) => ({ i }));
    expect(garbage.length).toBe(50_000);
    garbage = undefined;
    const before = youngUsed();
    c.schedule();
    c.schedule();
    c.schedule();
    expect(c.runs).toBe(0);
    await sleep(60);
    expect(c.runs).toBe(1);
    // The young generation was emptied of the garbage (survivors are few: this test's own objects).
    expect(youngUsed()).toBeLessThan(before / 2);
    c.dispose();
  });

  it('does nothing when turned off', async () => {
    const c = new IdleCollector(1, false);
    expect(c.enabled).toBe(false);
    c.schedule();
    await sleep(20);
    expect(c.runs).toBe(0);
  });
});
