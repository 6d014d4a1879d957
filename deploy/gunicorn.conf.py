"""gunicorn settings for the survey service behind nginx (deploy/nginx/shequ.conf).

    gunicorn -c deploy/gunicorn.conf.py "survey:create_app()"

Sync workers: each request is short (a submission is one SQLite transaction, a few ms), and
SQLite takes one writer at a time anyway; two per core keeps both cores busy while one waits
on fsync. Settings come from the environment (SURVEY_DB, SURVEY_CONTENT, SECRET_KEY,
SURVEY_TRUSTED_PROXIES=1 behind nginx, ...; see the README), set in the systemd unit.
"""
import multiprocessing
import os

bind = os.environ.get("SHEQU_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("SHEQU_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9)))
worker_class = "sync"
timeout = 30                  # a request never takes this long; a stuck worker is replaced
graceful_timeout = 20         # on reload/stop, requests in flight finish first
keepalive = 5                 # nginx keeps upstream connections open (upstream keepalive)
max_requests = 5000           # workers are renewed now and then (jitter spreads the restarts)
max_requests_jitter = 500
limit_request_line = 8190
limit_request_fields = 100
accesslog = None              # nginx keeps the access log; errors go to the journal
errorlog = "-"
loglevel = "warning"
control_socket_disable = True  # no control socket in the service user's home
