# JupyterHub with DockerSpawner: one matcalc container per student.
#
# An example to adapt, not a hardened deployment (see docker/README.md):
#   - the hub runs in a container on the Docker network "matcalc-hub" and needs
#     jupyterhub and dockerspawner installed, plus /var/run/docker.sock mounted;
#   - the image is the one docker/Dockerfile builds (tag it with the version);
#   - authentication is up to you: replace the DummyAuthenticator below.
import os

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)

# --- Spawner: the matcalc single-user image --------------------------------
c.JupyterHub.spawner_class = "dockerspawner.DockerSpawner"
c.DockerSpawner.image = os.environ.get("MATCALC_IMAGE", "matcalc-notebook:v0.1.0")
# Leave DockerSpawner.cmd unset: the image's CMD (start-notebook) sees the hub
# and runs start-singleuser, which runs the hook that copies the notebooks.

# Containers talk to the hub over a user-defined Docker network.
network = os.environ.get("DOCKER_NETWORK_NAME", "matcalc-hub")
c.DockerSpawner.network_name = network
c.DockerSpawner.use_internal_ip = True
c.JupyterHub.hub_ip = "0.0.0.0"
c.JupyterHub.hub_connect_ip = os.environ.get("HUB_CONNECT_IP", "jupyterhub")

# Each student's work survives restarts in a named volume on their home.
# Docker fills a new, empty named volume from the image, so the course
# notebooks appear in ~/matcalc-notebooks on the first start.
c.DockerSpawner.notebook_dir = "/home/jovyan"
c.DockerSpawner.volumes = {"matcalc-user-{username}": "/home/jovyan"}
c.DockerSpawner.remove = True  # containers go, volumes stay

# --- Resources per student -------------------------------------------------
# An idle matcalc kernel is a few MiB (about 8 MiB PSS while a student works
# through the course); the Jupyter server in the container is most of a
# student's footprint (about 95 MiB PSS for classic Notebook 6.4). The limit
# is where Docker OOM-kills the container's processes: a kernel killed so is
# restarted by the server, and its next cell says that what was defined is
# gone. The CPU limit keeps one student's heavy cells (matcalc refuses an
# operation over about 2e9 flops; a long chain of allowed ones runs until
# interrupted) from slowing the neighbours. See docker/README.md.
c.DockerSpawner.mem_limit = os.environ.get("MATCALC_MEM_LIMIT", "512M")
c.DockerSpawner.cpu_limit = float(os.environ.get("MATCALC_CPU_LIMIT", "1"))

# --- A whole class at once (measured with docker/classroom/, see README) --------
# Thirty to a hundred servers starting in the same minute on a small machine
# come close to the default 30 s that the hub waits for a server's HTTP
# endpoint (50 classic Notebook servers at once on 2 cores: about 15 s each,
# 40 s for the last). Give them time, and let the hub start them all.
c.Spawner.http_timeout = 180
c.Spawner.start_timeout = 300
c.JupyterHub.concurrent_spawn_limit = 200
# Restarting the hub (an upgrade, a config change) must not stop the class:
# servers keep running and keep their kernels. For the proxy to outlive the
# hub too, run configurable-http-proxy as its own service
# (ConfigurableHTTPProxy.should_start = False; see docker/classroom/hub.py).
c.JupyterHub.cleanup_servers = False
# Each Jupyter server shuts down kernels idle for 30 minutes with no tab
# open (a closed browser): one student with ten notebooks opened does not
# keep ten kernels. matcalc exits cleanly on the shutdown request.
c.DockerSpawner.args = [
    "--MappingKernelManager.cull_idle_timeout=1800",
    "--MappingKernelManager.cull_interval=300",
]

# Stop servers left idle for an hour (needs the jupyterhub-idle-culler package).
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": ["python3", "-m", "jupyterhub_idle_culler", "--timeout=3600"],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]

# --- Authentication: REPLACE for a real class --------------------------------
# DummyAuthenticator lets anyone in with the shared password: fine for a
# trial on a laptop, never on a network. Use your institution's OAuthenticator,
# LDAPAuthenticator or NativeAuthenticator instead.
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = os.environ.get("MATCALC_TRIAL_PASSWORD", "change-me")
c.Authenticator.admin_users = {os.environ.get("MATCALC_TEACHER", "teacher")}
c.Authenticator.allow_all = True
