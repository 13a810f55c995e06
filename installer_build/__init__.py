"""Building the installer (`build_installer.py` at the top of the repository): the PyInstaller spec, what it
bundles and trims (plan), the per-OS packages (linux, windows), the build record (info) and the smoke test."""
