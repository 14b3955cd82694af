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
# An idle matcalc kernel is a few MiB; the Jupyter server in the container is
# most of a student's footprint. See "Memory per student" in docker/README.md.
c.DockerSpawner.mem_limit = os.environ.get("MATCALC_MEM_LIMIT", "512M")
c.DockerSpawner.cpu_limit = float(os.environ.get("MATCALC_CPU_LIMIT", "1"))

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
