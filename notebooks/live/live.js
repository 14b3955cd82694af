// live.js — the live course page: each code cell (div.mc-cell with a textarea.mc-source)
// runs in the page's matcalc session (matcalc.js) and shows its outputs the way JupyterLab
// does: LaTeX typeset by the MathJax copy beside the pages, plots inline, errors with their
// traceback.  window.matcalcLive exposes the cells and their last results (tests and the
// benchmark read it).
(function () {
  "use strict";
  const bar = document.querySelector(".mc-bar");
  const status = document.querySelector(".mc-status");
  const buttons = {
    runAll: document.querySelector(".mc-runall"),
    interrupt: document.querySelector(".mc-interrupt"),
    reset: document.querySelector(".mc-reset"),
  };
  const cells = [];
  const live = { cells, ready: false, busy: 0, error: null, runAll, reset, runCell, addCell };
  window.matcalcLive = live;

  function setStatus(text, kind) {
    status.textContent = text;
    status.className = "mc-status" + (kind ? " mc-" + kind : "");
  }

  // --- cells -------------------------------------------------------------------------------
  function setup(el) {
    const cell = {
      el,
      source: el.querySelector(".mc-source"),
      prompt: el.querySelector(".jp-InputPrompt"),
      area: el.querySelector(".mc-outputs"),
      tags: (el.dataset.tags || "").split(/\s+/).filter(Boolean),
      result: null, // the last matcalc.run result
      ms: null,     // how long it took, in ms
    };
    grow(cell.source);
    cell.source.addEventListener("input", () => grow(cell.source));
    cell.source.addEventListener("keydown", (ev) => keydown(ev, cell));
    el.querySelector(".mc-run").addEventListener("click", () => runCell(cell));
    cells.push(cell);
    return cell;
  }

  function grow(ta) {
    ta.style.height = "auto";
    ta.style.height = ta.scrollHeight + 2 + "px";
  }

  function keydown(ev, cell) {
    if (ev.key === "Enter" && (ev.shiftKey || ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      runCell(cell);
      if (ev.shiftKey) {
        const i = cells.indexOf(cell);
        const next = cells[i + 1] || addCell(cell.el);
        next.source.focus();
      }
    } else if (ev.key === "Tab" && !ev.shiftKey) {
      ev.preventDefault();
      complete(cell);
    } else if (ev.key === "Escape") {
      closeCompletions(cell);
    }
  }

  /** Appends an empty code cell after el (the last cell when el is absent). */
  function addCell(el) {
    const last = el || cells[cells.length - 1].el;
    const copy = last.cloneNode(true);
    copy.dataset.tags = "";
    copy.className = "jp-Cell jp-CodeCell jp-Notebook-cell mc-cell";
    copy.querySelector(".mc-source").value = "";
    copy.querySelector(".mc-outputs").replaceChildren();
    copy.querySelector(".jp-InputPrompt").innerHTML = "In&nbsp;[&nbsp;]:";
    last.after(copy);
    const cell = setup(copy);
    cells.splice(cells.indexOf(cell), 1);
    cells.splice(cells.findIndex((c) => c.el === last) + 1, 0, cell);
    return cell;
  }

  // --- completion (Tab): the session's names; one match is inserted, several listed -----------
  async function complete(cell) {
    const ta = cell.source;
    const before = ta.value.slice(0, ta.selectionStart);
    if (!/[\w%]$/.test(before)) { // indent instead
      ta.setRangeText("  ", ta.selectionStart, ta.selectionEnd, "end");
      return;
    }
    const cursor = [...before].length;
    const c = await matcalc.complete(ta.value, cursor);
    closeCompletions(cell);
    if (!c.matches.length) return;
    const start = [...ta.value].slice(0, c.cursor_start).join("").length;
    const end = [...ta.value].slice(0, c.cursor_end).join("").length;
    let common = c.matches[0];
    for (const m of c.matches) while (!m.startsWith(common)) common = common.slice(0, -1);
    if (common.length > end - start) ta.setRangeText(common, start, end, "end");
    if (c.matches.length > 1) {
      const list = document.createElement("div");
      list.className = "mc-completions";
      list.textContent = c.matches.slice(0, 40).join("  ") + (c.matches.length > 40 ? "  …" : "");
      cell.el.querySelector(".mc-editor").after(list);
    }
  }

  function closeCompletions(cell) {
    const l = cell.el.querySelector(".mc-completions");
    if (l) l.remove();
  }

  // --- running ----------------------------------------------------------------------------
  let queue = Promise.resolve();

  /** Runs one cell; resolves to its result when it (and the cells queued before it) ran. */
  function runCell(cell) {
    cell.prompt.innerHTML = "In&nbsp;[*]:";
    cell.el.classList.add("mc-queued");
    const p = queue.then(() => execute(cell));
    queue = p.catch(() => {});
    return p;
  }

  async function execute(cell) {
    live.busy++;
    sync();
    closeCompletions(cell);
    cell.area.replaceChildren();
    cell.el.classList.remove("mc-queued", "mc-failed");
    cell.el.classList.add("mc-running");
    const t0 = performance.now();
    let r;
    try {
      r = await matcalc.run(cell.source.value);
    } catch (e) {
      r = { status: "error", execution_count: null, payload: [],
        outputs: [{ output_type: "error", ename: "LoadError", evalue: String(e), traceback: [String(e)] }] };
    }
    cell.doneAt = performance.now(); // ms since the page was opened
    cell.ms = cell.doneAt - t0;
    cell.result = r;
    cell.prompt.innerHTML = "In&nbsp;[" + (r.execution_count || "&nbsp;") + "]:";
    for (const o of r.outputs) show(cell.area, o);
    for (const p of r.payload || []) {
      if (p.source === "page" && p.data) show(cell.area, { output_type: "page", data: p.data });
    }
    cell.el.classList.remove("mc-running");
    if (r.status !== "ok") cell.el.classList.add("mc-failed");
    live.busy--;
    sync();
    return r;
  }

  /** Runs every cell in order.  A cell that fails stops the run, unless it is tagged
   *  raises-exception (it shows a mistake on purpose), as nbclient does. */
  async function runAll() {
    const t0 = performance.now();
    let n = 0;
    for (const cell of cells) {
      const r = await runCell(cell);
      n++;
      if (r.status !== "ok" && !cell.tags.includes("raises-exception")) {
        setStatus(`stopped at cell ${n} of ${cells.length}: ${r.outputs.at(-1).ename}`, "error");
        return false;
      }
    }
    setStatus(`ran ${n} cells in ${((performance.now() - t0) / 1000).toFixed(2)} s`, "ok");
    return true;
  }

  async function reset() {
    await queue;
    await matcalc.reset();
    for (const cell of cells) {
      cell.area.replaceChildren();
      cell.result = null;
      cell.prompt.innerHTML = "In&nbsp;[&nbsp;]:";
      cell.el.classList.remove("mc-failed");
    }
    setStatus("session reset", "ok");
  }

  function sync() {
    buttons.interrupt.disabled = live.busy === 0;
    if (live.busy > 0) setStatus("running…", "busy");
    else if (/running/.test(status.textContent)) setStatus("ready", "ok");
  }

  // --- outputs, as JupyterLab renders them ---------------------------------------------------
  function text(s) { return Array.isArray(s) ? s.join("") : String(s); }

  function show(area, o) {
    const child = document.createElement("div");
    child.className = "jp-OutputArea-child";
    const prompt = document.createElement("div");
    prompt.className = "jp-OutputPrompt jp-OutputArea-prompt";
    if (o.output_type === "execute_result") {
      prompt.textContent = `Out[${o.execution_count}]:`;
      child.classList.add("jp-OutputArea-executeResult");
    }
    child.appendChild(prompt);
    child.appendChild(render(o));
    area.appendChild(child);
  }

  function render(o) {
    const out = document.createElement("div");
    out.className = "jp-OutputArea-output";
    if (o.output_type === "stream" || o.output_type === "error") {
      const pre = document.createElement("pre");
      pre.textContent = o.output_type === "stream" ? text(o.text) : o.traceback.join("\n");
      if (o.name === "stderr" || o.output_type === "error") out.classList.add("mc-stderr");
      out.dataset.mimeType = o.output_type === "error" ? "application/vnd.jupyter.error" : "application/vnd.jupyter." + o.name;
      out.appendChild(pre);
      return out;
    }
    const data = o.data || {};
    if (o.output_type === "page") out.classList.add("mc-page");
    if ("image/svg+xml" in data) {
      const img = document.createElement("img");
      img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text(data["image/svg+xml"]));
      img.alt = text(data["text/plain"] || "plot");
      out.classList.add("jp-RenderedSVG");
      out.dataset.mimeType = "image/svg+xml";
      out.appendChild(img);
    } else if ("text/latex" in data) {
      out.classList.add("jp-RenderedLatex");
      out.dataset.mimeType = "text/latex";
      const tex = text(data["text/latex"]).trim();
      const m = /^\$\$([\s\S]*)\$\$$/.exec(tex) || /^\\\[([\s\S]*)\\\]$/.exec(tex);
      if (m) {
        // A math script, not $$ text for tex2jax to find: MathJax typesets a script once,
        // even when the page's first typesetting is still going on.
        const script = document.createElement("script");
        script.type = "math/tex; mode=display";
        script.text = m[1];
        out.appendChild(script);
      } else {
        out.textContent = tex;
      }
      typeset(out);
    } else {
      const pre = document.createElement("pre");
      pre.textContent = text(data["text/plain"] || "");
      out.classList.add("jp-RenderedText");
      out.dataset.mimeType = "text/plain";
      out.appendChild(pre);
    }
    return out;
  }

  // MathJax 2.7 (loaded by the page from ../mathjax) typesets in its own queue.
  // Outputs are typeset once MathJax has started up (its "End" hook): a Typeset queued
  // during start-up can leave a formula untypeset.
  let typesetting = 0;
  const mathjax = new Promise((resolve) => {
    const hook = () => {
      if (window.MathJax && MathJax.Hub && MathJax.Hub.Register) MathJax.Hub.Register.StartupHook("End", resolve);
      else setTimeout(hook, 50);
    };
    hook();
  });
  function typeset(el) {
    typesetting++;
    mathjax.then(() => MathJax.Hub.Queue(["Typeset", MathJax.Hub, el], () => { typesetting--; }));
  }
  Object.defineProperty(live, "typesetting", { get: () => typesetting });

  // --- start ------------------------------------------------------------------------------
  document.querySelectorAll(".mc-cell").forEach(setup);
  buttons.runAll.addEventListener("click", () => runAll());
  buttons.interrupt.addEventListener("click", () => matcalc.interrupt());
  buttons.reset.addEventListener("click", () => reset());
  matcalc.ready.then(async () => {
    const info = await matcalc.info();
    live.ready = true;
    buttons.runAll.disabled = buttons.reset.disabled = false;
    setStatus(`ready: ${info.implementation} ${info.implementation_version} in your browser`, "ok");
    bar.dataset.ready = "true";
    // page.html#run runs every cell as soon as the page opens (a link a teacher can give).
    if (location.hash === "#run") live.ran = runAll();
  }, (e) => {
    live.error = String(e);
    setStatus("matcalc could not start: " + e, "error");
  });
})();
