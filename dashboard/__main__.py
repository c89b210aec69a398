"""Entry point of `python -m dashboard`: the data and geometry commands (see :mod:`dashboard.cli`)."""

from dashboard.cli import main

raise SystemExit(main())
