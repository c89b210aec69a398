"""Entry point: ``python app.py`` serves the dashboard; gunicorn serves ``app:server`` (see Procfile).

Settings come from environment variables (see dashboard/settings.py and the README). Debug mode is off unless
DASH_DEBUG=1 is set.
"""

from dashboard.app import create_app

app = create_app()
server = app.server

if __name__ == "__main__":
    settings = app.bosoc_settings
    app.run(host=settings.host, port=settings.port, debug=settings.debug)
