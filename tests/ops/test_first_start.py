"""What the first start prints points the operator the right way (docs/operations.md,
*First start*): the section a production seed names exists, and the demo's table says
which account is the superuser."""
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from lapor.demo.seed import DEFAULT_PASSWORD, seed_demo
from tests.reference.conftest import fast_passwords, kalsel_regions  # noqa: F401  (fixtures)

OPERATIONS = Path(__file__).resolve().parents[2] / "docs" / "operations.md"


@pytest.mark.django_db
def test_a_seed_without_the_demo_names_a_section_operations_md_has():
    out = io.StringIO()
    call_command("seed", no_demo=True, skip_regions=True, stdout=out)
    cited = re.search(r"docs/operations\.md, ([^)]+)\)", out.getvalue())
    assert cited, out.getvalue()
    headings = [line.lstrip("#").strip() for line in OPERATIONS.read_text().splitlines() if line.startswith("#")]
    assert any(heading.startswith(cited.group(1)) for heading in headings), (cited.group(1), headings)


def test_the_demo_table_says_which_account_is_the_superuser(kalsel_regions, fast_passwords):  # noqa: F811
    logins = {login.username: login.role for login in seed_demo(password=DEFAULT_PASSWORD)}
    assert "superuser" in logins["admin.nasional"]
    assert [name for name, role in logins.items() if "superuser" in role] == ["admin.nasional"]


@pytest.mark.django_db
def test_a_seed_without_the_demo_once_there_is_an_administrator_does_not_ask_for_one():
    """``LAPOR_DEMO=0 bash script/start`` seeds at every start: after the first
    administrator exists, the start must not say there is none."""
    from lapor.accounts.models import User

    User.objects.create_superuser("admin.pertama", "admin@example.id", "sandi-panjang-sekali-2026")
    out = io.StringIO()
    call_command("seed", no_demo=True, skip_regions=True, stdout=out)
    assert "createsuperuser" not in out.getvalue() and "belum ada administrator" not in out.getvalue()
    assert "akun yang ada tidak diubah" in out.getvalue()
