"""WSGI entry point for gunicorn: ``gunicorn wsgi:app``."""

from selfassess.serving import served_app

app = served_app()
