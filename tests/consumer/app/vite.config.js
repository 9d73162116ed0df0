// The Vite settings a user of parallel-fetch needs, and this app's own.
import { defineConfig } from 'vite';

export default defineConfig({
  // The dev server pre-bundles dependencies into node_modules/.vite, away from the .wasm that
  // the package loads next to itself; left as it is, the package finds its .wasm. (Builds
  // never pre-bundle.)
  optimizeDeps: { exclude: ['parallel-fetch'] },
  // This app is served under a path prefix (/vite/) by the test server.
  base: './',
});
