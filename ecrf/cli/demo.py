"""`ecrf demo`: a demonstration site with one user per role and some subjects, apart from the real site."""
from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
from pathlib import Path

from ecrf.cli.common import CliError, shell_path, site_study, table, usable_db_path
from ecrf.paths import default_demo_db, default_site_db
from ecrf.store.database import refuse_non_site
from ecrf.store.files import InstanceLock, SitePaths


def cmd_demo(args: argparse.Namespace) -> int:
    try:  # imported here so that every other command works without it
        from ecrf.demo import create_demo
    except ImportError:
        raise CliError("demo-unavailable") from None
    if args.sponsor is not None:
        return cmd_sponsor_demo(args)
    db_path = usable_db_path(args.db or default_demo_db())
    study = site_study(args)
    if args.force:
        for path in remove_site(db_path):
            print(f"removed {path}")
    elif SitePaths(db_path).db.exists():
        raise CliError("demo-exists", db=db_path, db_arg=shell_path(db_path))
    demo = create_demo(db_path, study, subjects=20 if args.subjects is None else args.subjects, today=args.today)
    print(f"Demo site of study {study.info.oid} with {len(demo.subject_ids)} subject(s). Its users:\n")
    print(table(None, [(u.username, u.role, u.password) for u in demo.users]))
    print(f"\ndatabase: {demo.db_path}\nrecovery code: {demo.recovery_code}")
    user = next((u.username for u in demo.users if u.role == "monitor"), demo.users[0].username)
    print(f"\nUse it with --db, e.g.: ecrf audit verify --db {shell_path(Path(demo.db_path))} --user {user}")
    return 0


def cmd_sponsor_demo(args: argparse.Namespace) -> int:
    """Several demo sites with their bundles and a trust registry, made in DIR.partial and renamed when whole."""
    from ecrf.demo.sponsor import make_sponsor_demo, register_sites

    folder = args.sponsor.expanduser().resolve()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise CliError("demo-sponsor-folder-used", folder=folder)
    study = site_study(args)
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)  # what a killed run left: never a finished-looking folder
    made = make_sponsor_demo(partial, study, sites=args.sites, subjects=4 if args.subjects is None else args.subjects,
                             progress=lambda text: print(text, file=sys.stderr, flush=True))
    register_sites(made, partial / "trust-registry.json")
    if folder.exists():
        folder.rmdir()
    partial.rename(folder)
    print(f"Sponsor demo of study {study.info.oid} in {folder}:")
    print(f"  {sum(len(s.bundles) for s in made)} bundles of {len(made)} sites in {folder / 'bundles'}")
    print(f"  their certificates registered in {folder / 'trust-registry.json'}")
    registry, into = shell_path(folder / "trust-registry.json"), shell_path(folder / "merged.db")
    print("\nTry:")
    print(f"  ecrf merge {shell_path(folder / 'bundles')} --into {into} --registry {registry}")
    print(f"  ecrf merged export --from {into} --out {shell_path(folder / 'dataset')}")
    print(f"  ecrf merged report --from {into} --out {shell_path(folder / 'report')}")
    return 0


def remove_site(db_path: Path) -> list[Path]:
    """Delete the files of the site at `db_path` (not while it is open); returns what was removed."""
    if db_path.resolve() == default_site_db().resolve():
        raise CliError("demo-force-real-site", db=db_path)
    paths = SitePaths(db_path)
    removed: list[Path] = []
    if not db_path.parent.is_dir():
        return removed
    if paths.db.exists():
        refuse_non_site(paths)  # --force deletes a site's files only, never `--db /etc/passwd`
    lock = InstanceLock(paths)
    lock.acquire()  # refuses while the demo is open in the app or another command
    try:
        for path in (paths.db, paths.keys, paths.next_keys, paths.logins, *paths.companions()):
            if path.exists():
                path.unlink()
                removed.append(path)
    except OSError as exc:
        raise CliError("demo-delete-failed", path=exc.filename, reason=exc.strerror) from None
    finally:
        lock.release()
    with contextlib.suppress(OSError):
        paths.lock.unlink()
    return removed
