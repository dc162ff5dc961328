"""The WSGI entry point for gunicorn: `gunicorn ikimina.wsgi:app`. Logs one line per event.

Production: it refuses to load without SECRET_KEY and PIN_PEPPER (one line naming the variable).
"""

import logging

from ikimina.app import create_app
from runtime.settings import WEB_SECRETS, Settings

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
settings = Settings.from_env()
settings.require(*WEB_SECRETS)
app = create_app(settings)
