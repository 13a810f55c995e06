"""Keep the objects a logged-in session holds out of the garbage collector's full passes.

After log-in the process holds well over 100,000 objects that live until log-out: the study definition,
the Qt wrappers of the main window, SQLAlchemy's mappers and statement caches. CPython's full collection
walks every one of them, a pause of 70–190 ms about once every 40 forms opened — felt as a form that
sometimes opens slowly. `gc.freeze()` moves the objects alive now to a permanent generation that the
collector skips. It changes nothing else: an object whose last reference goes is still freed at once.
Only a reference cycle among frozen objects would never be collected, so log-out unfreezes them all."""
from __future__ import annotations

import gc


def freeze_session_objects() -> None:
    """After log-in, once the main window is built: what exists now lives as long as the session."""
    gc.unfreeze()  # a second log-in in the same process: what the first froze is collectable again
    gc.freeze()


def release_session_objects() -> None:
    """At log-out: the session's objects (and any cycles among them) go back to the collector."""
    gc.unfreeze()
