// The Python files of a folder, for the benchmarks and the differential tests.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The `.py` files under `dir` in sorted order, sub-folders first-in-place (not `__pycache__`)
 * unless `recursive` is false; files over `maxBytes` and entries that cannot be read are left
 * out; a missing folder gives none.
 */
export function pyFiles(dir, { recursive = true, maxBytes = Infinity } = {}) {
  const out = [];
  const visit = (d) => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      let st;
      try { st = statSync(full); } catch { continue; }
      if (st.isDirectory()) { if (recursive && name !== '__pycache__') visit(full); } else if (name.endsWith('.py') && st.size <= maxBytes) out.push(full);
    }
  };
  visit(dir);
  return out;
}
