"""The WSGI entry point for gunicorn: `gunicorn ikimina.wsgi:app`. Logs one line per event."""

import logging

from ikimina.app import create_app

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
app = create_app()
