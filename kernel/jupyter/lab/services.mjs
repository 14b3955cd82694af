// Drives matcalc through a Jupyter server with JupyterLab's own client
// library, as JupyterLab does: kernelspecs, a session (which starts the
// kernel), the kernel's websocket, execute with LaTeX output, complete,
// inspect, is_complete, interrupt, restart and shutdown.
//
//   node services.mjs PACKAGE BASE_URL TOKEN
//
// PACKAGE is "@jupyterlab/services" (7.x, JupyterLab 4) or "services6"
// (@jupyterlab/services 6.x, JupyterLab 3, installed under that alias).
// Prints one line per check and exits 1 on the first failure.
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
const [pkg, baseUrl, token] = process.argv.slice(2);
if (!pkg || !baseUrl) {
  console.error('usage: node services.mjs PACKAGE BASE_URL TOKEN');
  process.exit(2);
}
const services = require(pkg);
const version = require(`${pkg}/package.json`).version;
const WebSocket = require('ws');
const { ServerConnection, KernelManager, SessionManager, KernelSpecAPI, KernelAPI } = services;

const serverSettings = ServerConnection.makeSettings({
  baseUrl,
  wsUrl: baseUrl.replace(/^http/, 'ws'),
  token,
  appendToken: true,
  fetch: globalThis.fetch,
  Request: globalThis.Request,
  Headers: globalThis.Headers,
  WebSocket
});

const label = `@jupyterlab/services ${version}`;
const t0 = Date.now();
function ok(what) {
  console.log(`ok   ${label}: ${what} (${Date.now() - t0} ms)`);
}

// withTimeout fails a step that hangs instead of hanging the test.
function withTimeout(p, ms, what) {
  let timer;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms);
    })
  ]);
}

// execute runs code and returns the reply content and the IOPub messages
// of the request.
async function execute(kernel, code, ms = 20000) {
  const future = kernel.requestExecute({ code, stop_on_error: true });
  const iopub = [];
  future.onIOPub = msg => {
    iopub.push(msg);
  };
  const reply = await withTimeout(future.done, ms, `execute ${JSON.stringify(code)}`);
  return { reply: reply.content, iopub };
}

async function main() {
  const specs = await KernelSpecAPI.getSpecs(serverSettings);
  assert.ok(specs.kernelspecs.matcalc, `no matcalc kernelspec: ${Object.keys(specs.kernelspecs)}`);
  assert.equal(specs.kernelspecs.matcalc.language, 'matcalc');
  ok('kernelspec listed');

  const kernelManager = new KernelManager({ serverSettings });
  const sessionManager = new SessionManager({ kernelManager, serverSettings });
  await sessionManager.ready;
  const session = await sessionManager.startNew({
    path: 'lab-test.ipynb',
    name: 'lab-test.ipynb',
    type: 'notebook',
    kernel: { name: 'matcalc' }
  });
  const kernel = session.kernel;
  assert.ok(kernel, 'the session has no kernel');
  assert.equal(kernel.name, 'matcalc');
  const info = await withTimeout(kernel.info, 20000, 'kernel_info');
  assert.equal(info.implementation, 'matcalc');
  assert.equal(info.language_info.name, 'matcalc');
  assert.ok(Number(info.protocol_version.split('.')[1]) >= 2, `protocol ${info.protocol_version}`);
  // JupyterLab 4 asks for the v1 binary websocket protocol (jupyter_server
  // has it from 1.23 on: Debian's server speaks it); JupyterLab 3 knows only
  // the older JSON frames. Both must carry the same messages.
  const ws = kernel._ws;
  const protocol = (ws && ws.protocol) || '';
  const want = Number(version.split('.')[0]) >= 7 ? 'v1.kernel.websocket.jupyter.org' : '';
  assert.equal(protocol, want, `websocket subprotocol ${JSON.stringify(protocol)}`);
  ok(`session and kernel started, websocket open (${protocol || 'JSON frames, no subprotocol'}), kernel_info ${info.protocol_version}`);

  // Execute with LaTeX output: the result is text/latex with $$ and
  // text/plain; the derivation is a display_data.
  let { reply, iopub } = await execute(kernel, "x : vector(3)\ngrad(x'*x, x)");
  assert.equal(reply.status, 'ok', JSON.stringify(reply));
  const result = iopub.find(m => m.header.msg_type === 'execute_result');
  assert.ok(result, `no execute_result in ${iopub.map(m => m.header.msg_type)}`);
  assert.match(result.content.data['text/latex'], /^\$\$.*\$\$$/s);
  assert.equal(result.content.data['text/plain'], '2*x');
  assert.ok(iopub.some(m => m.header.msg_type === 'display_data' && m.content.data['text/latex']), 'no derivation');
  assert.ok(iopub.some(m => m.header.msg_type === 'status' && m.content.execution_state === 'idle'), 'no idle');
  assert.equal(reply.execution_count, 1);
  ok('execute: a LaTeX result and a derivation');

  // An error: status error with ename and a traceback; the kernel stays.
  ({ reply, iopub } = await execute(kernel, 'y = A*'));
  assert.equal(reply.status, 'error');
  assert.equal(reply.ename, 'SyntaxError');
  assert.ok(iopub.some(m => m.header.msg_type === 'error'), 'no error message on IOPub');
  ok('execute: an error is an error reply and an error on IOPub');

  // Complete: JupyterLab counts the cursor in UTF-16 units; an ASCII line
  // is the same either way.
  const code = 'x : vector(3)\ngr';
  const comp = (await withTimeout(kernel.requestComplete({ code, cursor_pos: code.length }), 10000, 'complete')).content;
  assert.equal(comp.status, 'ok');
  assert.ok(comp.matches.includes('grad'), `matches ${comp.matches}`);
  assert.equal(comp.cursor_end, code.length);
  assert.equal(comp.cursor_start, code.length - 2);
  ok(`complete: ${comp.matches.length} matches for "gr"`);

  const insp = (await withTimeout(kernel.requestInspect({ code: 'grad(x', cursor_pos: 2, detail_level: 0 }), 10000, 'inspect')).content;
  assert.equal(insp.status, 'ok');
  assert.equal(insp.found, true);
  assert.ok(insp.data['text/plain'].includes('grad'), JSON.stringify(insp.data));
  ok('inspect: grad found');

  for (const [src, want] of [['A = [1 2', 'incomplete'], ['det([1 2; 3 4])', 'complete'], ['x = )', 'invalid']]) {
    const ic = (await withTimeout(kernel.requestIsComplete({ code: src }), 10000, 'is_complete')).content;
    assert.equal(ic.status, want, `is_complete ${JSON.stringify(src)}: ${JSON.stringify(ic)}`);
  }
  ok('is_complete: incomplete, complete, invalid');

  // Interrupt: through the server's REST call (interrupt_mode message:
  // the server sends interrupt_request on the control channel).
  const sleeping = kernel.requestExecute({ code: '%sleep 30' });
  await new Promise(r => setTimeout(r, 300));
  const ti = Date.now();
  await withTimeout(kernel.interrupt(), 10000, 'interrupt');
  const sreply = (await withTimeout(sleeping.done.catch(e => e), 10000, 'interrupted cell')).content;
  assert.ok(sreply, 'the interrupted cell got no reply');
  assert.equal(sreply.status, 'error', JSON.stringify(sreply));
  assert.ok(Date.now() - ti < 5000, 'interrupt took over 5 s');
  ({ reply } = await execute(kernel, 'det([1 2; 3 4])'));
  assert.equal(reply.status, 'ok');
  ok(`interrupt: a 30 s cell stopped in ${Date.now() - ti} ms, the kernel answers after it`);

  // Restart: a new process, names forgotten, the count back to 1.
  await withTimeout(kernel.restart(), 20000, 'restart');
  await withTimeout(kernel.info, 20000, 'kernel_info after restart');
  ({ reply } = await execute(kernel, 'x'));
  assert.equal(reply.status, 'error');
  assert.equal(reply.ename, 'NameError', JSON.stringify(reply));
  ({ reply } = await execute(kernel, '1 + 1'));
  assert.equal(reply.status, 'ok');
  assert.equal(reply.execution_count, 2);
  ok('restart: state gone, execution count from 1');

  // Shutdown through the session: no kernel is left on the server.
  const id = kernel.id;
  await withTimeout(session.shutdown(), 20000, 'shutdown');
  const running = await KernelAPI.listRunning(serverSettings);
  assert.ok(!running.some(k => k.id === id), 'the kernel still runs after shutdown');
  ok('shutdown: the kernel is gone');
  sessionManager.dispose();
  kernelManager.dispose();
}

main().then(
  () => process.exit(0),
  e => {
    console.error(`FAIL ${label}: ${e.stack || e}`);
    process.exit(1);
  }
);
