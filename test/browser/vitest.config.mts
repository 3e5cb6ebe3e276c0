// `npm run test:browser`: the summary webview in real Chromium (playwright-core driving
// Debian's /usr/bin/chromium), fed summaries the built CLI produces for the corpus.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/browser/**/*.spec.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
