"""gunicorn settings for `make serve` (and `make bench`, which measures them).

Threaded workers, two per core: a page served from the cache never waits on
the database, so threads mostly wait on sockets. Override with the
environment: PORT, WEB_CONCURRENCY, GUNICORN_THREADS.
"""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
keepalive = 5
accesslog = None
