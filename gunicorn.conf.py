"""gunicorn's configuration file, read automatically from the working directory (the Procfile's flags still apply).

- No version banner: gunicorn sends ``Server: gunicorn`` on every response; it sends a neutral name instead.
- Damaged data stop the server before any worker starts: the master checks the data folder, the map geometry and
  the login settings once and exits 1 with every problem (file, row, column) and how to restore the last good
  version, instead of each worker failing to boot with a traceback.
"""

import gunicorn.http.wsgi

from dashboard.app import SERVER_NAME

gunicorn.http.wsgi.SERVER = SERVER_NAME


def on_starting(server):
    from dashboard.app import check_startup_or_exit

    check_startup_or_exit(exit_code=1)
