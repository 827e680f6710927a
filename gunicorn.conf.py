# Read by gunicorn from the directory it starts in: `make run`, the browser tests and a deployment from here.
# The access log must never carry the token of a one-time link (hub/app/access_log.py).
logger_class = "hub.app.access_log.RedactingLogger"
