"""Electronic signatures on screen: the ceremony dialogs, the subject\x27s signatures, the ready list."""
