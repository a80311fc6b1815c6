# Gunicorn with Uvicorn workers, as the original's deployment runs it: 2 workers for a 2-core machine.
import os

bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "uvicorn.workers.UvicornWorker"
accesslog = None
keepalive = 65
