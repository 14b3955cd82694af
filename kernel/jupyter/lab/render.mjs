// Renders every output of every notebook with JupyterLab's renderers in
// headless Chromium (the page build.mjs bundles) and fails on any render
// error: an exception from a renderer, a MathJax error or undefined macro,
// LaTeX left untypeset, an image that does not load, a plot bundle without
// a PNG for untrusted notebooks. Keeps a screenshot of each notebook's
// outputs, and of each plot alone (as PNG and as SVG). Checks too that JupyterLab's editor highlights matcalc cells
// (language_info) and knows the options the Docker image's settings
// overrides set (docker/install.sh).
//
//   node render.mjs NOTEBOOK_DIR SCREENSHOT_DIR
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const [nbDir, shotDir] = process.argv.slice(2);
if (!nbDir || !shotDir) {
  console.error('usage: node render.mjs NOTEBOOK_DIR SCREENSHOT_DIR');
  process.exit(2);
}
mkdirSync(shotDir, { recursive: true });
// The course notebooks: those with a source in src/ (a teacher's scratch Untitled.ipynb
// beside them is not one), or every notebook of a folder without src/.
const srcDir = path.join(nbDir, 'src');
const notebooks = readdirSync(nbDir).filter(f => f.endsWith('.ipynb') &&
  (!existsSync(srcDir) || existsSync(path.join(srcDir, f.replace(/\.ipynb$/, '.md'))))).sort();
if (notebooks.length === 0) {
  console.error(`render: no notebooks in ${nbDir}`);
  process.exit(1);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync']
  // Playwright gives the browser a fresh temporary profile of its own.
});
let failed = 0;
try {
  const page = await browser.newPage({ viewport: { width: 940, height: 800 } });
  const consoleErrors = [];
  page.on('console', m => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', e => consoleErrors.push(String(e)));
  await page.goto(pathToFileURL(path.join(here, 'dist', 'index.html')).href);
  await page.waitForFunction(() => window.matcalcLabReady === true, null, { timeout: 30000 });

  let language = null;
  let total = 0, latex = 0, plots = 0;
  for (const name of notebooks) {
    const nb = JSON.parse(readFileSync(path.join(nbDir, name), 'utf8'));
    language = language || nb.metadata.language_info;
    const outputs = nb.cells.flatMap(c => c.outputs || []);
    const t0 = Date.now();
    const recs = await page.evaluate(([t, o]) => window.matcalcLab.render(t, o), [name, outputs]);
    const problems = [];
    for (const r of recs) {
      for (const p of r.problems) {
        problems.push(`output ${r.index + 1} (${r.outputType}, ${r.mimeType}${r.trusted ? ', trusted' : ''}): ${p}`);
      }
    }
    for (const [i, o] of outputs.entries()) {
      if (o.data && o.data['image/svg+xml'] && !o.data['image/png']) {
        problems.push(`output ${i + 1}: a plot without image/png, blank in an untrusted notebook`);
      }
    }
    // Untrusted, a plot shows as its PNG; trusted, as its SVG.
    for (const r of recs.filter(r => outputs[r.index].data && outputs[r.index].data['image/svg+xml'])) {
      const want = r.trusted ? 'image/svg+xml' : 'image/png';
      if (r.mimeType !== want) problems.push(`output ${r.index + 1}: plot rendered as ${r.mimeType}, want ${want}`);
    }
    problems.push(...consoleErrors.splice(0).map(e => `console: ${e}`));
    const n = recs.filter(r => !r.trusted).length;
    total += n;
    latex += recs.filter(r => r.mimeType === 'text/latex').length;
    plots += recs.filter(r => r.mimeType && r.mimeType.startsWith('image/')).length;
    const shot = path.join(shotDir, `lab-${name.replace(/\.ipynb$/, '')}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    // Each plot on its own, as a student sees it untrusted (PNG) and trusted (SVG).
    for (const box of await page.locator('[data-plot]').all()) {
      const tag = await box.getAttribute('data-plot');
      await box.screenshot({ path: path.join(shotDir, `lab-${name.replace(/\.ipynb$/, '')}-plot${tag}.png`) });
    }
    if (problems.length) {
      failed++;
      console.log(`FAIL ${name}: ${problems.length} problem(s) in ${n} outputs`);
      for (const p of problems.slice(0, 20)) console.log(`     ${p}`);
    } else {
      console.log(`ok   ${name}: ${n} outputs rendered (${recs.filter(r => r.mimeType === 'text/latex').length} LaTeX) in ${Date.now() - t0} ms -> ${shot}`);
    }
  }
  console.log(`render: ${total} outputs of ${notebooks.length} notebooks, ${latex} typeset by MathJax, ${plots} images`);

  // The editor: JupyterLab picks the cells' language from language_info.
  const mode = await page.evaluate(info => window.matcalcLab.editorMode(info), language);
  if (mode.mime === 'text/plain' || !mode.loaded) {
    failed++;
    console.log(`FAIL editor: language_info ${JSON.stringify(language)} gives ${JSON.stringify(mode)} in JupyterLab's language registry`);
  } else {
    console.log(`ok   editor: cells highlighted as ${mode.name} (${mode.mime})`);
  }

  // The Docker image's settings overrides (docker/install.sh) set options
  // JupyterLab's editor has.
  const install = readFileSync(path.join(here, '..', '..', '..', 'docker', 'install.sh'), 'utf8');
  const m = install.match(/^ours='(\{[\s\S]*?\n\})'$/m);
  const options = new Set(await page.evaluate(() => window.matcalcLab.editorOptions()));
  const unknown = [];
  let set = 0;
  for (const [plugin, conf] of Object.entries(m ? JSON.parse(m[1]) : {})) {
    for (const [key, value] of Object.entries(conf)) {
      for (const opt of Object.keys(value)) {
        set++;
        if (!options.has(opt)) unknown.push(`${plugin} ${key}.${opt}`);
      }
    }
  }
  if (!m || set === 0 || unknown.length) {
    failed++;
    console.log(`FAIL editor settings in docker/install.sh: ${m ? `unknown to JupyterLab's editor: ${unknown}` : 'no overrides found'}`);
  } else {
    console.log(`ok   editor settings in docker/install.sh: ${set} options JupyterLab's editor knows`);
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
