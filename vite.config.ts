import { defineConfig } from 'vite';

/**
 * The renderer bundle. Served by the web mode from dist/renderer and loaded by Electron from
 * disk, hence relative asset URLs (base './'). JSX uses React's automatic runtime through
 * Vite's built-in transformer (Oxc), so no React plugin is needed (and no fast refresh).
 */
export default defineConfig({
  root: 'renderer',
  base: './',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Everything as files: the CSP allows 'self' only, and nothing is fetched from elsewhere.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      onwarn(warning, warn) {
        // React libraries mark modules 'use client' for server components; meaningless in a bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: { host: '127.0.0.1' },
});
