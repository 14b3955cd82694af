// The page that headless Chromium opens (bundled by build.mjs): JupyterLab
// 4's own output rendering — @jupyterlab/rendermime's standard renderers
// with @jupyterlab/mathjax-extension's MathJax 3 typesetter, set up as
// JupyterLab sets them up — and its editor language registry.
import { Widget } from '@lumino/widgets';
import { MimeModel, RenderMimeRegistry, standardRendererFactories } from '@jupyterlab/rendermime';
import { MathJaxTypesetter } from '@jupyterlab/mathjax-extension';
import { CodeMirrorMimeTypeService, EditorExtensionRegistry, EditorLanguageRegistry } from '@jupyterlab/codemirror';
import '@jupyterlab/mathjax-extension/style/index.css';
import './page.css';

const typesetter = new MathJaxTypesetter();
const rendermime = new RenderMimeRegistry({
  initialFactories: standardRendererFactories,
  latexTypesetter: typesetter
});

// outputData turns a notebook output into the MIME bundle JupyterLab's
// output model gives the renderers (streams and errors become the
// application/vnd.jupyter.stdout/stderr types).
function outputData(out) {
  switch (out.output_type) {
    case 'stream':
      return { [`application/vnd.jupyter.${out.name}`]: [].concat(out.text).join('') };
    case 'error':
      return { 'application/vnd.jupyter.stderr': out.traceback.join('\n') };
    default: {
      // nbformat stores long strings as lists of lines; JupyterLab's output
      // model joins them before rendering.
      const data = {};
      for (const [k, v] of Object.entries(out.data || {})) data[k] = Array.isArray(v) ? v.join('') : v;
      return data;
    }
  }
}

// problems lists what went wrong in a rendered output: MathJax errors,
// macros it does not know (shown in red by the noundefined package),
// LaTeX left untypeset, images that did not load.
function problems(node, mimeType) {
  const found = [];
  for (const e of node.querySelectorAll('mjx-merror, [data-mjx-error]')) {
    found.push(`MathJax error: ${e.getAttribute('data-mjx-error') || e.textContent}`);
  }
  for (const e of node.querySelectorAll('mjx-mtext, mjx-mi')) {
    if ((e.getAttribute('style') || '').includes('color: red') || e.closest('[mathcolor="red"]')) {
      found.push(`undefined macro: ${e.textContent}`);
    }
  }
  if (mimeType === 'text/latex') {
    const n = node.querySelectorAll('mjx-container').length;
    if (n === 0) found.push('LaTeX not typeset');
    if (node.textContent.includes('$$')) found.push('raw $$ left in the output');
  }
  for (const img of node.querySelectorAll('img')) {
    if (!img.complete || img.naturalWidth === 0) found.push(`image did not load (${img.src.slice(0, 40)}…)`);
  }
  return found;
}

// render renders the outputs of one notebook, each as a student's
// untrusted notebook shows it (plots as PNG), and each plot again as a
// trusted notebook shows it (SVG). It returns one record per rendering.
async function render(title, outputs) {
  const root = document.getElementById('outputs');
  root.textContent = '';
  const h = document.createElement('h1');
  h.textContent = title;
  root.appendChild(h);
  const done = [];
  for (const [i, out] of outputs.entries()) {
    const data = outputData(out);
    const plot = 'image/svg+xml' in data;
    for (const trusted of plot ? [false, true] : [false]) {
      const rec = { index: i, outputType: out.output_type, trusted, mimeType: null, problems: [] };
      const box = document.createElement('div');
      box.className = 'output';
      if (plot) box.dataset.plot = `${i + 1}-${trusted ? 'svg' : 'png'}`;
      root.appendChild(box);
      try {
        rec.mimeType = rendermime.preferredMimeType(data, trusted ? 'any' : 'ensure');
        if (!rec.mimeType) throw new Error(`no renderer for ${Object.keys(data)}`);
        const model = new MimeModel({ data, metadata: out.metadata || {}, trusted });
        const renderer = rendermime.createRenderer(rec.mimeType);
        Widget.attach(renderer, box);
        await renderer.renderModel(model);
        rec.node = renderer.node;
      } catch (e) {
        rec.problems.push(`render error: ${e && e.stack ? e.stack : e}`);
      }
      done.push(rec);
    }
  }
  // Typesetting is asynchronous: this call runs after every queued one.
  await typesetter.typeset(document.createElement('div'));
  await Promise.all([...document.images].map(img => img.decode().catch(() => {})));
  return done.map(rec => {
    if (rec.node) rec.problems.push(...problems(rec.node, rec.mimeType));
    delete rec.node;
    return rec;
  });
}

// editorMode returns the MIME type JupyterLab's editor gives cells of a
// kernel with this language_info, and whether the language loads.
async function editorMode(info) {
  const languages = new EditorLanguageRegistry();
  for (const l of EditorLanguageRegistry.getDefaultLanguages()) languages.addLanguage(l);
  const mime = new CodeMirrorMimeTypeService(languages).getMimeTypeByLanguage(info);
  const lang = await languages.getLanguage(mime);
  return { mime, name: lang ? lang.name : null, loaded: !!(lang && lang.support) };
}

// editorOptions lists the option names JupyterLab's editor knows (what
// settings like codeCellConfig may set).
function editorOptions() {
  return EditorExtensionRegistry.getDefaultExtensions().map(e => e.name);
}

window.matcalcLab = { render, editorMode, editorOptions };
window.matcalcLabReady = true;
