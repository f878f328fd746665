"""gunicorn settings for the r2p-web service (``gunicorn -c deploy/gunicorn.conf.py app:app``).

Read from the environment file: GUNICORN_BIND (default 127.0.0.1:8000, loopback behind nginx)
and GUNICORN_WORKERS (default two per processor core, plus one).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
timeout = 60
graceful_timeout = 30
# Trust X-Forwarded-* only from nginx on this host; the application applies TRUST_PROXY_HOPS.
forwarded_allow_ips = "127.0.0.1"
# The application writes its own JSON access log line per request.
accesslog = None
errorlog = "-"


def child_exit(server, worker):
    """Let the Prometheus multiprocess collector drop the figures of a worker that stopped."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
