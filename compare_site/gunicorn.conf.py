"""gunicorn settings for `make serve` and production (gunicorn -c compare_site/gunicorn.conf.py).

Threaded workers (gthread), sized to the machine: WEB_CONCURRENCY processes
(default 2 × cores + 1) of GUNICORN_THREADS threads each (default 4). Bound
to loopback: a TLS proxy in front terminates HTTPS and sets X-Forwarded-Proto.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
# Worker recycling is opt-in: a recycled worker drops its process-local page
# cache (the default cache) and re-renders every page, which at a few
# thousand requests a second meant a restart every few seconds, with latency
# spikes and reset connections. Set it (e.g. 100000) to guard against a slow
# leak, ideally with the cache on Redis, which survives a worker restart.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 0))
max_requests_jitter = max_requests // 10
# Only the local proxy may say a request came in over HTTPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
wsgi_app = "compare_site.wsgi:application"
# The runtime control socket defaults to one path per user, which several
# instances on one machine would fight over; nothing here uses it.
control_socket_disable = True
