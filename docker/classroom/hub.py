"""A real JupyterHub for a class, on this machine, from Debian's packages.

    /usr/bin/python3 docker/classroom/hub.py --dir DIR [--kernel-path PATH] [--cull-user NAME]

starts configurable-http-proxy and JupyterHub 3.0 on 127.0.0.1 (free ports),
DummyAuthenticator, SimpleLocalProcessSpawner (each student a classic
Notebook 6.4 server in DIR/home/NAME with the course notebooks), prints
the URL and the API token, and stops everything on Ctrl-C. driver.py uses
the Hub class below to run a class against it.

What a teacher trips over, handled here and said in docker/README.md:
- Debian's configurable-http-proxy needs NODE_PATH=/usr/share/nodejs under a
  Node.js that does not search there ("Cannot find module 'commander'");
- single-user servers run as root here, which Notebook refuses without
  --allow-root (a real hub runs them as the students);
- Spawner.http_timeout (30 s by default) is nearly reached when 50 servers
  start at once on 2 cores: raised to 180 s, start_timeout too;
- the proxy runs on its own (an "external" proxy), and the hub does not stop
  the servers when it exits: the hub restarts without cutting anyone off.

Every process started here is stopped by its PID; ports are free ones on
127.0.0.1; nothing listens elsewhere.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
NOTEBOOKS = os.path.join(ROOT, "notebooks")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_pid(proc, name, timeout=15):
    """SIGTERM, then SIGKILL after timeout: one process, by its PID."""
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        print(f"hub.py: {name} (pid {proc.pid}) ignored SIGTERM: SIGKILL", file=sys.stderr)
        proc.kill()
        proc.wait(10)


CONFIG = r'''
# Written by docker/classroom/hub.py: JupyterHub 3.0 on 127.0.0.1 for a test class.
import os, shutil
c = get_config()  # noqa: F821
S = {settings!r}

c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = S["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = S["hub_port"]
c.JupyterHub.db_url = "sqlite:///" + os.path.join(S["dir"], "hub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(S["dir"], "cookie_secret")
c.JupyterHub.pid_file = os.path.join(S["dir"], "hub.pid")
# The proxy runs on its own: a hub restart does not cut students off.
c.ConfigurableHTTPProxy.should_start = False
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:%d" % S["proxy_api_port"]
c.ConfigurableHTTPProxy.auth_token = S["proxy_token"]
# Servers outlive a hub restart.
c.JupyterHub.cleanup_servers = False
c.JupyterHub.concurrent_spawn_limit = 0
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.admin_users = {{"teacher"}}

c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = os.path.join(S["dir"], "home", "{{username}}")
c.Spawner.ip = "127.0.0.1"
c.Spawner.cmd = ["jupyterhub-singleuser"]
# Root runs the servers here; a real hub runs them as the students.
c.Spawner.args = ["--allow-root"]
c.Spawner.environment = {{
    "JUPYTERHUB_SINGLEUSER_APP": "notebook.notebookapp.NotebookApp",  # classic Notebook 6.4
    "JUPYTER_PATH": S["jupyter_path"],
    "PYTHONWARNINGS": "ignore",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}}
# 50 servers starting at once on 2 cores come close to the default 30 s.
c.Spawner.http_timeout = 180
c.Spawner.start_timeout = 180
c.Spawner.poll_interval = S["poll_interval"]
c.Spawner.default_url = "/tree"


def pre_spawn(spawner):
    home = spawner.home_dir
    os.makedirs(home, exist_ok=True)
    course = os.path.join(home, "matcalc-notebooks")
    if not os.path.isdir(course):
        os.makedirs(course)
        for name in os.listdir(S["notebooks"]):
            if name.endswith(".ipynb"):
                shutil.copy(os.path.join(S["notebooks"], name), course)
    if spawner.user.name in S["cull_users"]:
        # The Notebook server shuts down a kernel idle this long with no
        # browser connected (the tab closed).
        spawner.args = list(spawner.args) + [
            "--MappingKernelManager.cull_idle_timeout=%d" % S["cull_idle_timeout"],
            "--MappingKernelManager.cull_interval=%d" % S["cull_interval"],
        ]


c.Spawner.pre_spawn_hook = pre_spawn

c.JupyterHub.services = [{{"name": "driver", "api_token": S["api_token"]}}]
c.JupyterHub.load_roles = [{{
    "name": "driver",
    "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "list:users", "read:users"],
    "services": ["driver"],
}}]
'''


class Hub:
    """configurable-http-proxy and JupyterHub, started and stopped by PID."""

    def __init__(self, workdir, jupyter_path, poll_interval=30, cull_users=(),
                 cull_idle_timeout=10, cull_interval=2):
        self.dir = os.path.abspath(workdir)
        os.makedirs(os.path.join(self.dir, "home"), exist_ok=True)
        self.port, self.hub_port, self.proxy_api_port = free_port(), free_port(), free_port()
        self.api_token = secrets.token_hex(32)
        self.proxy_token = secrets.token_hex(32)
        self.url = f"http://127.0.0.1:{self.port}"
        self.proxy = self.hub = None
        settings = {
            "dir": self.dir, "port": self.port, "hub_port": self.hub_port,
            "proxy_api_port": self.proxy_api_port, "proxy_token": self.proxy_token,
            "api_token": self.api_token, "jupyter_path": jupyter_path,
            "notebooks": NOTEBOOKS, "poll_interval": poll_interval,
            "cull_users": list(cull_users), "cull_idle_timeout": cull_idle_timeout,
            "cull_interval": cull_interval,
        }
        self.config = os.path.join(self.dir, "jupyterhub_config.py")
        with open(self.config, "w") as f:
            f.write(CONFIG.format(settings=settings))

    def env(self):
        env = dict(os.environ)
        # Debian's proxy finds its modules there only with NODE_PATH.
        env["NODE_PATH"] = "/usr/share/nodejs"
        env["CONFIGPROXY_AUTH_TOKEN"] = self.proxy_token
        env["PYTHONWARNINGS"] = "ignore"
        return env

    def start(self):
        self.start_proxy()
        self.start_hub()

    def start_proxy(self):
        log = open(os.path.join(self.dir, "proxy.log"), "ab")
        self.proxy = subprocess.Popen(
            ["configurable-http-proxy", "--ip", "127.0.0.1", "--port", str(self.port),
             "--api-ip", "127.0.0.1", "--api-port", str(self.proxy_api_port),
             "--default-target", f"http://127.0.0.1:{self.hub_port}",
             "--error-target", f"http://127.0.0.1:{self.hub_port}/hub/error"],
            env=self.env(), stdout=log, stderr=subprocess.STDOUT, cwd=self.dir)
        self.wait_http(f"http://127.0.0.1:{self.proxy_api_port}/api/routes", "proxy", self.proxy,
                       headers={"Authorization": f"token {self.proxy_token}"})

    def start_hub(self, timeout=120):
        log = open(os.path.join(self.dir, "hub.log"), "ab")
        self.hub = subprocess.Popen(
            ["jupyterhub", "-f", self.config], env=self.env(), stdout=log,
            stderr=subprocess.STDOUT, cwd=self.dir)
        # The hub's own port, then through the proxy (which answers 503
        # until the hub has added its routes).
        self.wait_http(f"http://127.0.0.1:{self.hub_port}/hub/api/", "hub", self.hub, timeout=timeout)
        self.wait_http(self.url + "/hub/api/", "hub", self.hub, timeout=timeout)

    def stop_hub(self):
        stop_pid(self.hub, "jupyterhub")

    def stop(self):
        """Stops the hub, every student's server (by the PIDs the hub's
        spawners recorded, and any left under the home folder), then the
        proxy."""
        pids = self.server_pids()
        stop_pid(self.hub, "jupyterhub")
        # Servers the hub started while it was being stopped, too.
        pids.update(self.server_pids())
        for pid in pids.values():
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 20
        for pid in pids.values():
            while time.monotonic() < deadline and pid_alive(pid):
                time.sleep(0.1)
            if pid_alive(pid):
                os.kill(pid, signal.SIGKILL)
        stop_pid(self.proxy, "configurable-http-proxy")

    def server_pids(self):
        """Each running student's single-user server: name -> PID, read
        from /proc (the server carries JUPYTERHUB_USER and this hub's
        API URL in its environment)."""
        found = {}
        want = f"JUPYTERHUB_API_URL=http://127.0.0.1:{self.hub_port}/hub/api".encode()
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open(f"/proc/{pid}/environ", "rb") as f:
                    env = f.read().split(b"\0")
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    cmd = f.read()
            except OSError:
                continue
            if want in env and b"jupyterhub-singleuser" in cmd:
                for e in env:
                    if e.startswith(b"JUPYTERHUB_USER="):
                        found[e.split(b"=", 1)[1].decode()] = int(pid)
        return found

    def api(self, method, path, body=None, token=None, timeout=60):
        req = urllib.request.Request(
            self.url + "/hub/api" + path, method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {token or self.api_token}",
                     "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as r:
            data = r.read()
            return r.status, json.loads(data) if data else None

    @staticmethod
    def wait_http(url, name, proc, headers=None, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=2)
                return
            except OSError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {proc.returncode} (see its log)")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not answer at {url} within {timeout} s")
            time.sleep(0.2)


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def install_kernel(root, prefix, go="go"):
    """Builds matcalc from root and installs its kernelspec into prefix;
    returns the JUPYTER_PATH that finds it."""
    binary = os.path.join(prefix, "matcalc-build")
    os.makedirs(prefix, exist_ok=True)
    subprocess.run([go, "build", "-o", binary, "."], cwd=root, check=True)
    subprocess.run([binary, "install", "--prefix", prefix], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return os.path.join(prefix, "share", "jupyter")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", required=True, help="working folder (homes, logs, database)")
    ap.add_argument("--jupyter-path", help="JUPYTER_PATH with the matcalc kernelspec "
                    "(default: build this checkout and install into DIR/prefix)")
    args = ap.parse_args()
    jp = args.jupyter_path or install_kernel(ROOT, os.path.join(os.path.abspath(args.dir), "prefix"),
                                             shutil.which("go") or "/usr/local/go/bin/go")
    hub = Hub(args.dir, jp)
    try:
        hub.start()
        print(f"hub: {hub.url}  (any name, any password; API token {hub.api_token})", flush=True)
        while hub.hub.poll() is None:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        hub.stop()


if __name__ == "__main__":
    main()
