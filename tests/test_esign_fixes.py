"""Fixes of the signing and unlocking services found in the app: another user's username at a signature is said
and counted for nobody (the signer is the user logged in, 21 CFR 11.200); a wrong password where the username is
known (a signature, the lock screen) says "Wrong password", still counted and audited."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from subject_helpers import enrol, events_after, last_seq, password_of

from ecrf.services import auth, esign, read_only
from ecrf.services.errors import InvalidInput, LoginFailed
from ecrf.store.files import LoginLedger
from ecrf.store.models import SignatureRow
from ecrf.study.status import Scope
from ecrf.trail.esign import Place

INV_PASSWORD = password_of("investigator")
DM = Place("SCR", "DM")


@pytest.fixture
def site(sites):  # type: ignore[no-untyped-def]
    db_path, _ = sites.make()
    investigator = sites.login(db_path, "investigator")
    label = enrol(investigator, manual=("CTRL", "M001"))
    esign.certify(investigator, INV_PASSWORD)
    yield investigator, label
    investigator.close()


def _failures(session, username: str) -> int:  # type: ignore[no-untyped-def]
    return int(LoginLedger(session.database.paths.logins).account(username)["failures"])


@pytest.mark.req("P11.200")
@pytest.mark.req("P11.10d")
def test_another_username_is_refused_before_any_password_and_counts_for_nobody(site) -> None:
    session, label = site
    before = last_seq(session)
    for other, password in (("nurse", password_of("nurse")), ("nobody-here", "whatever"), ("Investigator",
                                                                                          INV_PASSWORD)):
        with pytest.raises(InvalidInput) as refused:
            esign.sign(session, label, Scope.FORM, ref=DM, username=other, password=password)
        assert refused.value.code == "esign-not-own-username"
    said = refused.value.text("en")
    assert said.startswith("You sign as yourself: enter your own username (investigator) and password.")
    assert "attempt(s) left" not in said and "（investigator）" in refused.value.text("zh")
    assert events_after(session, before) == []  # neither a failed login nor anything else
    assert _failures(session, "investigator") == _failures(session, "nurse") == 0
    assert esign.needs_username(session)
    signed = esign.sign(session, label, Scope.FORM, ref=DM, username=" investigator ", password=INV_PASSWORD)
    assert signed.forms == (DM,)


@pytest.mark.req("P11.200")
@pytest.mark.req("P11.10d")
def test_a_wrong_password_of_the_signer_says_so_and_stays_counted_and_audited(site) -> None:
    session, label = site
    before = last_seq(session)
    with pytest.raises(LoginFailed) as wrong:
        esign.sign(session, label, Scope.FORM, ref=DM, username="investigator", password="not-my-password")
    assert wrong.value.code == "password-wrong" and wrong.value.params["left"] == 4
    said = wrong.value.text("en")
    assert said.startswith("Wrong password.") and "username or password" not in said
    assert "check the username" not in said and "Caps Lock" in said
    assert wrong.value.text("zh").startswith("密码错误。")
    [failed] = [e for e in events_after(session, before) if e.action == "login_failed"]
    assert failed.item == "investigator" and "electronic signature" in (failed.reason or "")
    assert _failures(session, "investigator") == 1
    with session.database.read() as db:
        assert db.scalar(select(SignatureRow)) is None


@pytest.mark.req("P11.10d")
def test_the_lock_screen_says_wrong_password_and_counts_it(sites) -> None:
    db_path, _ = sites.make()
    session = sites.login(db_path, "nurse")
    try:
        auth.lock(session, by_user=True)
        with pytest.raises(LoginFailed) as wrong:
            read_only.reauthenticate(session, "not-the-password")
        assert wrong.value.code == "password-wrong" and wrong.value.params["left"] == 4
        said = wrong.value.text("en")
        assert said.startswith("Wrong password.") and "username" not in said.replace("'nurse'", "")
        assert session.locked and _failures(session, "nurse") == 1
        read_only.reauthenticate(session, password_of("nurse"))
        assert not session.locked and _failures(session, "nurse") == 0
    finally:
        session.close()
