"""The WSGI entry point for gunicorn: `gunicorn ikimina.wsgi:app`."""

from ikimina.app import create_app

app = create_app()
