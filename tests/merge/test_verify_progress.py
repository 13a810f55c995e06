"""Long verifications say where they are: each stage on standard error, the verdict on standard output."""
from __future__ import annotations


def test_verify_names_each_stage_on_stderr_and_keeps_stdout_for_the_verdict(ecrf, multi_site) -> None:  # type: ignore[no-untyped-def]
    site = multi_site.site("CN02")
    code, out, err = ecrf("verify", site.bundles[-1], "--trust", site.certificate)
    assert code == 0 and out.startswith("VERIFIED")
    stages = [line.strip() for line in err.splitlines()]
    assert stages[0] == "checking manifest and its signature…"
    assert any(line.startswith("checking PDF signatures (") for line in stages)
    assert stages[-1] == "checking electronic signatures…"
    assert "checking" not in out
