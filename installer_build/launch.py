"""The frozen app's entry point: the same `main` as the `ecrf` console script."""
from ecrf.cli.main import main

raise SystemExit(main())
