// Bundles page/entry.js — JupyterLab's rendermime, MathJax typesetter and
// editor languages — into dist/page.js and dist/page.css with esbuild,
// beside dist/index.html, for headless Chromium to open from file://.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const out = path.join(here, 'dist');
mkdirSync(out, { recursive: true });

// JupyterLab's CSS names packages webpack's way (url('~mathjax-full/…')).
const tilde = {
  name: 'tilde',
  setup(b) {
    b.onResolve({ filter: /^~/ }, args => ({ path: require.resolve(args.path.slice(1)) }));
  }
};

const t0 = Date.now();
await build({
  entryPoints: [path.join(here, 'page', 'entry.js')],
  outfile: path.join(out, 'page.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'chrome110',
  minify: true,
  logLevel: 'warning',
  plugins: [tilde],
  // MathJax's fonts are inlined; other fonts (icon fonts that the packages'
  // CSS pulls in) are left out.
  loader: { '.woff': 'dataurl', '.woff2': 'empty', '.eot': 'empty', '.ttf': 'empty', '.svg': 'dataurl', '.png': 'dataurl' },
  // Some dependencies name Node's globals; webpack, which JupyterLab builds
  // with, gives them these values in a browser.
  define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis', __dirname: '"/"' }
});
copyFileSync(path.join(here, 'page', 'index.html'), path.join(out, 'index.html'));
console.log(`build: dist/page.js and dist/page.css in ${Date.now() - t0} ms`);
