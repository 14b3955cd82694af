// matcalc.js — matcalc in the browser: window.matcalc runs cells of the matcalc language
// in a WebAssembly build of its session (session/wasm), with no server and no network.
//
//   <script src="matcalc.js"></script>            (wasm_exec.js and matcalc-module.js beside it)
//   await matcalc.ready;                           // the module is loaded and started
//   const r = await matcalc.run("x : vector(3)\ngrad(x'*x, x)");
//   r.status            "ok" | "error"
//   r.execution_count   1, 2, … as in a notebook (one session per page: cells share names)
//   r.outputs           nbformat 4 outputs, the bundles the Jupyter kernel sends:
//                       {output_type: "stream", name, text}
//                       {output_type: "display_data", data: {"text/plain", "text/latex",
//                         "image/svg+xml"}, metadata}
//                       {output_type: "execute_result", execution_count, data, metadata}
//                       {output_type: "error", ename, evalue, traceback}
//   r.payload           the execute_reply's payloads (a page for the pager), not outputs
//   matcalc.run(code, {onOutput(o)})   also calls onOutput with each output as it is made;
//                       a stream output carries only the new text of that stream, and
//                       {output_type: "clear_output"} asks to clear what was shown
//   await matcalc.reset()     a fresh session: names forgotten, the count back to 0
//   matcalc.interrupt()       stops the running cell (it ends with ename "Interrupted")
//   await matcalc.complete(code, cursor)  {matches, cursor_start, cursor_end}
//   await matcalc.inspect(code, cursor)   {found, data, metadata}
//   await matcalc.isComplete(code)        {status, indent}
//   await matcalc.info()                  kernel_info_reply's content
//
// Cells run one at a time, in the order run() is called; a reset waits for the cells
// asked for before it. The functions mirror the Jupyter messages (execute, complete,
// inspect, is_complete, kernel_info, interrupt, restart), so a JupyterLite kernel can be
// a thin class over this object. The module is a script (matcalc-module.js: the .wasm,
// gzip-compressed, in base64) because browsers refuse fetch() of file:// URLs and pages
// must work from disk.
(function () {
  "use strict";
  if (window.matcalc) return;
  const here = document.currentScript ? document.currentScript.src.replace(/[^/?#]*([?#].*)?$/, "") : "";

  function load(src) {
    return new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = here + src;
      s.onload = resolve;
      s.onerror = () => reject(new Error("matcalc: cannot load " + s.src));
      document.head.appendChild(s);
    });
  }

  function fromBase64(text) {
    if (Uint8Array.fromBase64) return Uint8Array.fromBase64(text);
    const bin = atob(text), out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  async function moduleBytes() {
    const m = globalThis.matcalcModule;
    delete globalThis.matcalcModule; // the text is large: let it go once decoded
    if (!m || m.encoding !== "gzip+base64") throw new Error("matcalc: matcalc-module.js is not a matcalc module");
    const stream = new Blob([fromBase64(m.data)]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer();
  }

  const timing = {};
  const ready = (async () => {
    const t0 = performance.now();
    await Promise.all([globalThis.Go ? null : load("wasm_exec.js"),
      globalThis.matcalcModule ? null : load("matcalc-module.js")]);
    timing.loaded = performance.now() - t0;
    const bytes = await moduleBytes();
    timing.decoded = performance.now() - t0;
    const go = new Go();
    const { instance } = await WebAssembly.instantiate(bytes, go.importObject);
    timing.compiled = performance.now() - t0;
    go.run(instance).then(() => { api.exited = true; });
    const g = globalThis.__matcalcGo; // main registers it before it waits for calls
    if (!g) throw new Error("matcalc: the module started but registered nothing");
    timing.started = performance.now() - t0;
    return g;
  })();

  const api = {
    /** Resolves (to this object) once the module is loaded and its session started. */
    ready: ready.then(() => api),
    /** How long loading took, in ms from matcalc.js running: loaded, decoded, compiled, started. */
    timing,
    exited: false,
    async run(code, options) {
      const g = await ready;
      const onOutput = options && typeof options.onOutput === "function"
        ? (s) => { try { options.onOutput(JSON.parse(s)); } catch (e) { console.error(e); } }
        : undefined;
      return JSON.parse(await g.run(String(code), onOutput));
    },
    async reset() { await (await ready).reset(); },
    interrupt() { ready.then((g) => g.interrupt()); },
    async complete(code, cursor) {
      code = String(code);
      return JSON.parse((await ready).complete(code, cursor === undefined ? [...code].length : cursor));
    },
    async inspect(code, cursor) {
      code = String(code);
      return JSON.parse((await ready).inspect(code, cursor === undefined ? [...code].length : cursor));
    },
    async isComplete(code) { return JSON.parse((await ready).isComplete(String(code))); },
    async info() { return JSON.parse((await ready).info()); },
  };
  window.matcalc = api;
})();
