"""Entry point for ``python -m casemap``."""

from casemap.cli import main

raise SystemExit(main())
