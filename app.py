"""Entry point: ``python app.py`` serves the dashboard; gunicorn serves ``app:server`` (see Procfile).

Settings come from environment variables (see dashboard/settings.py and the README). Debug mode is off unless
DASH_DEBUG=1 is set. Damaged data or a bad setting end the process with a message naming the problem, not a
traceback: exit code 1 for ``python app.py``, and 3 in a gunicorn worker, which is gunicorn's "worker failed to boot"
and stops the server instead of restarting the worker for ever (gunicorn.conf.py checks the data before forking).
"""

from dashboard.app import QuietRequestHandler, create_app_or_exit

app = create_app_or_exit(exit_code=1 if __name__ == "__main__" else 3)
server = app.server

if __name__ == "__main__":
    settings = app.bosoc_settings
    app.run(host=settings.host, port=settings.port, debug=settings.debug, request_handler=QuietRequestHandler)
