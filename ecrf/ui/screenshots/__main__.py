"""`python -m ecrf.ui.screenshots`: see the package docstring."""
import sys

from ecrf.ui.screenshots import main

sys.exit(main())
