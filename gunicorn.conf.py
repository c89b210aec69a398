"""gunicorn's configuration file, read automatically from the working directory (the Procfile's flags still apply).

- No version banner: gunicorn sends ``Server: gunicorn`` on every response; it sends a neutral name instead.
- Damaged data stop the server before any worker starts: the master checks the data folder, the map geometry and
  the login settings once and exits 1 with every problem (file, row, column) and how to restore the last good
  version, instead of each worker failing to boot with a traceback.
- A request body the app refuses unread (over ``MAX_REQUEST_BYTES``: 413) ends its connection with
  ``Connection: close``. gunicorn skips at most 64 kB of an unread body to reach the next request on a kept-alive
  connection, and otherwise drops the connection after having announced keep-alive; the client's next request on it
  then fails (seen in the load test: about one in three requests after a 2 MB body).
"""

import gunicorn.http.wsgi

from dashboard.app import MAX_REQUEST_BYTES, SERVER_NAME

gunicorn.http.wsgi.SERVER = SERVER_NAME


def on_starting(server):
    from dashboard.app import check_startup_or_exit
    from dashboard.datasource import return_large_blocks_to_the_system

    # Before the master checks the data: the workers are forked from it and inherit its heap.
    return_large_blocks_to_the_system()

    check_startup_or_exit(exit_code=1)


def post_worker_init(worker):
    from dashboard.datasource import freeze_long_lived_objects

    try:
        _warm_up(worker)
        # Every indicator's pick answered into the shared cache by a separate process (dashboard.prepare).
        prepare = getattr(worker.wsgi, "bosoc_prepare_answers", None)
        if prepare is not None:
            prepare()
    finally:
        # Last, so that the compressed bundles are frozen too.
        freeze_long_lived_objects()


def _warm_up(worker):
    # The front-end bundles compressed before the worker's first request (dashboard.frontend.install: warm_up). Only
    # a head start: if it fails, the worker serves as without it (each bundle is compressed when first asked for).
    warm_up = getattr(worker.wsgi, "bosoc_warm_up", None)
    if warm_up is None:
        return
    try:
        warm_up()
    except Exception as error:
        worker.log.warning("front-end bundles not compressed ahead (%s: %s)", type(error).__name__, error)


def pre_request(worker, req):
    headers = dict(req.headers)
    length = headers.get("CONTENT-LENGTH", "")
    too_long = length.isdigit() and int(length) > MAX_REQUEST_BYTES
    if too_long or "chunked" in headers.get("TRANSFER-ENCODING", "").lower():
        req.must_close = True
