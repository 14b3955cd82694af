// Renders every formula of the given notebooks (markdown cells and text/latex outputs)
// with the renderers students' front ends use, errors and strict mode on:
//   katex  KaTeX 0.16 (VS Code's notebook renderer), strict: 'error', throwOnError
//   mj3    MathJax 3.2 with JupyterLab 4's package set (AllPackages: textmacros, ams, ...)
//   mj4    MathJax 4 with the same packages
// For MathJax, noerrors and noundefined are left out so that a TeX error or an undefined
// macro throws instead of being shown in red. Each formula is typeset to CommonHTML (the
// output JupyterLab uses), so output-side failures (fonts) count too.
//
//   node render.mjs [--quiet] NOTEBOOK.ipynb ...
// prints, per renderer, how many formulas it rendered and every failure with the notebook,
// cell, where the formula came from and the renderer's message; exits 1 on any failure.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);

// mathjax-full 3.2.2's AllPackages (what JupyterLab 4's mathjax-extension loads, plus
// 'require'), without noerrors and noundefined.
const PACKAGES = ['base', 'action', 'ams', 'amscd', 'bbox', 'boldsymbol', 'braket',
  'bussproofs', 'cancel', 'cases', 'centernot', 'color', 'colortbl', 'empheq', 'enclose',
  'extpfeil', 'gensymb', 'html', 'mathtools', 'mhchem', 'newcommand', 'upgreek', 'unicode',
  'verb', 'configmacros', 'tagformat', 'textcomp', 'textmacros'];

function throwError(jax, err) { throw err; }

function mathjax3() {
  const { mathjax } = require('mathjax-full/js/mathjax.js');
  const { TeX } = require('mathjax-full/js/input/tex.js');
  const { CHTML } = require('mathjax-full/js/output/chtml.js');
  const { liteAdaptor } = require('mathjax-full/js/adaptors/liteAdaptor.js');
  const { RegisterHTMLHandler } = require('mathjax-full/js/handlers/html.js');
  const { AllPackages } = require('mathjax-full/js/input/tex/AllPackages.js');
  for (const p of PACKAGES) {
    if (!AllPackages.includes(p)) throw new Error(`MathJax 3: no package ${p}`);
  }
  RegisterHTMLHandler(liteAdaptor());
  const doc = mathjax.document('', {
    InputJax: new TeX({ packages: PACKAGES, formatError: throwError }),
    OutputJax: new CHTML({ fontURL: '.' }),
  });
  return async (tex, display) => { doc.convert(tex, { display }); };
}

async function mathjax4() {
  const src = '@mathjax/src/js';
  const { mathjax } = await import(`${src}/mathjax.js`);
  const { TeX } = await import(`${src}/input/tex.js`);
  const { CHTML } = await import(`${src}/output/chtml.js`);
  const { liteAdaptor } = await import(`${src}/adaptors/liteAdaptor.js`);
  const { RegisterHTMLHandler } = await import(`${src}/handlers/html.js`);
  const dir = path.join(path.dirname(require.resolve('@mathjax/src/package.json')), 'mjs/input/tex');
  for (const p of PACKAGES) {
    const conf = fs.readdirSync(path.join(dir, p)).find((f) => f.endsWith('Configuration.js'));
    await import(`${src}/input/tex/${p}/${conf}`);
  }
  mathjax.asyncLoad = (name) => import(name); // the font's dynamic ranges (Cyrillic, ...)
  RegisterHTMLHandler(liteAdaptor());
  const doc = mathjax.document('', {
    InputJax: new TeX({ packages: PACKAGES, formatError: throwError }),
    OutputJax: new CHTML({ fontURL: '.' }),
  });
  return (tex, display) => doc.convertPromise(tex, { display });
}

function katexRenderer() {
  const katex = require('katex');
  return async (tex, display) => {
    katex.renderToString(tex, { displayMode: display, throwOnError: true, strict: 'error' });
  };
}

// --- finding the math in a cell, the way JupyterLab's rendermime does (removeMath) ---------
const MATHSPLIT = /(\$\$?|\\(?:begin|end)\{[a-z]*\*?\}|\\[{}$]|[{}]|(?:\n\s*)+|\\\\(?:\(|\)|\[|\]))/i;

/** The math spans of a text: [{tex, display}] with delimiters removed. */
export function findMath(text) {
  const blocks = text.replace(/\r\n?/g, '\n').split(MATHSPLIT);
  const spans = [];
  let start = null, end = null, last = null, braces = 0;
  const take = (i, j) => {
    const whole = blocks.slice(i, j + 1).join('');
    let m;
    if ((m = /^\$\$([\s\S]*)\$\$$/.exec(whole))) spans.push({ tex: m[1], display: true });
    else if ((m = /^\$([\s\S]*)\$$/.exec(whole))) spans.push({ tex: m[1], display: false });
    else if ((m = /^\\\\\(([\s\S]*)\\\\\)$/.exec(whole))) spans.push({ tex: m[1], display: false });
    else if ((m = /^\\\\\[([\s\S]*)\\\\\]$/.exec(whole))) spans.push({ tex: m[1], display: true });
    else spans.push({ tex: whole, display: true }); // \begin{...}...\end{...}
  };
  for (let i = 1; i < blocks.length; i += 2) {
    const block = blocks[i];
    if (start !== null) {
      if (block === end) {
        if (braces) last = i;
        else { take(start, i); start = end = last = null; }
      } else if (/\n.*\n/.test(block)) {
        if (last !== null) take(start, last);
        start = end = last = null; braces = 0;
      } else if (block === '{') braces++;
      else if (block === '}' && braces) braces--;
    } else if (block === '$' || block === '$$') {
      start = i; end = block; braces = 0;
    } else if (block === '\\\\(' || block === '\\\\[') {
      start = i; end = block.slice(-1) === '(' ? '\\\\)' : '\\\\]'; braces = 0;
    } else if (block.slice(1, 6) === 'begin') {
      start = i; end = '\\end' + block.slice(6); braces = 0;
    }
  }
  return spans;
}

/** Markdown without its code (fenced blocks and inline spans), where $ is not math. */
function stripCode(md) {
  return md.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '')
    .replace(/(`+)[\s\S]*?\1/g, '');
}

function join(v) { return Array.isArray(v) ? v.join('') : (v ?? ''); }

/** Every formula of a notebook: [{where, tex, display}]. */
export function formulas(file) {
  const nb = JSON.parse(fs.readFileSync(file, 'utf8'));
  const out = [];
  nb.cells.forEach((cell, n) => {
    const at = `${path.basename(file)} cell ${n + 1}`;
    if (cell.cell_type === 'markdown') {
      for (const f of findMath(stripCode(join(cell.source)))) out.push({ where: `${at} markdown`, ...f });
    }
    (cell.outputs || []).forEach((o, k) => {
      const latex = o.data && o.data['text/latex'];
      if (latex === undefined) return;
      for (const f of findMath(join(latex))) out.push({ where: `${at} output ${k + 1}`, ...f });
    });
  });
  return out;
}

function excerpt(tex, msg) {
  const one = tex.replace(/\s+/g, ' ');
  const m = /at position (\d+)/.exec(msg);
  const at = m ? Number(m[1]) : 0;
  const from = Math.max(0, at - 60);
  return (from ? '…' : '') + one.slice(from, from + 160) + (one.length > from + 160 ? '…' : '');
}

async function main() {
  const args = process.argv.slice(2);
  const quiet = args[0] === '--quiet' && args.shift();
  const all = args.flatMap(formulas);
  const renderers = { katex: katexRenderer(), mathjax3: mathjax3(), mathjax4: await mathjax4() };
  let failures = 0;
  const started = Date.now();
  for (const [name, render] of Object.entries(renderers)) {
    let failed = 0;
    for (const f of all) {
      try {
        await render(f.tex, f.display);
      } catch (e) {
        failed++;
        const msg = String(e.message || e).split('\n')[0];
        console.log(`FAIL ${name}: ${f.where}: ${msg}\n     ${excerpt(f.tex, msg)}`);
      }
    }
    failures += failed;
    console.log(`${name}: ${all.length - failed} of ${all.length} formulas rendered, ${failed} failed`);
  }
  if (!quiet) console.log(`${args.length} notebooks, ${all.length} formulas, 3 renderers, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(failures ? 1 : 0);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
