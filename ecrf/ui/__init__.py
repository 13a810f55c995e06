"""The PySide6 desktop app. The only package that imports Qt; it reads and writes through ecrf.services."""
