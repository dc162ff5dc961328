"""The WSGI entry point for gunicorn: `gunicorn ikimina.wsgi:app`.

Production: it refuses to load without SECRET_KEY and PIN_PEPPER (one line naming the variable).
"""

from ikimina.app import create_app
from runtime.settings import WEB_SECRETS, Settings

settings = Settings.from_env()
settings.require(*WEB_SECRETS)
app = create_app(settings)
