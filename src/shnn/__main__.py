"""``python -m shnn``: the ``shnn`` command."""

from shnn.cli import main

raise SystemExit(main())
