"""WSGI entry point for gunicorn: ``gunicorn wsgi:app``."""

from selfassess import create_app

app = create_app()
