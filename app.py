"""Entry point: ``flask --app app ...`` and ``gunicorn app:app``.

A configuration mistake stops the start with one line on stderr instead of a traceback;
``flask doctor`` still starts, so that it can report every problem at once.
"""

import sys

from flask import Flask

from config import ConfigurationError
from r2p_network import create_app


def _build() -> Flask:
    try:
        return create_app()
    except ConfigurationError as error:
        if "doctor" in sys.argv[1:]:
            return create_app(check=False)
        sys.stderr.write(f"r2p: configuration error: {error}\n")
        # 3 is gunicorn's "worker failed to boot": it stops instead of starting workers again.
        raise SystemExit(3) from None


app = _build()
