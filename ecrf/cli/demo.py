"""`ecrf demo`: a demonstration site with one user per role and some subjects, apart from the real site."""
from __future__ import annotations

import argparse
import contextlib
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
    db_path = usable_db_path(args.db or default_demo_db())
    study = site_study(args)
    if args.force:
        for path in remove_site(db_path):
            print(f"removed {path}")
    elif SitePaths(db_path).db.exists():
        raise CliError("demo-exists", db=db_path, db_arg=shell_path(db_path))
    demo = create_demo(db_path, study, subjects=args.subjects, today=args.today)
    print(f"Demo site of study {study.info.oid} with {len(demo.subject_ids)} subject(s). Its users:\n")
    print(table(None, [(u.username, u.role, u.password) for u in demo.users]))
    print(f"\ndatabase: {demo.db_path}\nrecovery code: {demo.recovery_code}")
    user = next((u.username for u in demo.users if u.role == "monitor"), demo.users[0].username)
    print(f"\nUse it with --db, e.g.: ecrf audit verify --db {shell_path(Path(demo.db_path))} --user {user}")
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
