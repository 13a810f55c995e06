"""The frozen app's entry point: the same `main` as the `ecrf` console script.

Export lays out casebooks in spawned worker processes, which start as this same executable: freeze_support
(inside `enable_frozen_workers`) turns such a start into the worker and returns only in the app itself.
"""
from ecrf.export.pdf.frozen import enable_frozen_workers

enable_frozen_workers()

from ecrf.cli.main import main  # noqa: E402 - after the worker check: a worker never imports the CLI

raise SystemExit(main())
