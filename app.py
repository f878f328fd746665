"""Entry point: ``flask --app app ...`` and ``gunicorn app:app``."""

from r2p_network import create_app

app = create_app()
