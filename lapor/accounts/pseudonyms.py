"""An anonymous report's people behind stand-in accounts (SPEC §5; the design and its
limits: docs/decisions/0005-anonymous-reporter-pseudonyms.md).

Every anonymous report gets its own stand-in account for its reporter (and one for the
RT/RW who filed it for them): an ordinary ``User`` that cannot sign in, has no name and no
personal data, and a random username. The report, what its reporter did (events,
attachments, the service rating) and what they were told (notifications) point at the
stand-in, never at the person. Both ways between them are sealed with the personal-data
keys (Fernet, randomised):

- ``Pseudonym.owner_sealed``: from a stand-in to its person (the person's account id);
- ``User.stand_ins_sealed``: from a person to their stand-ins (a JSON list of ids), read
  with the account itself, so "my reports" costs no query and decrypts one value.

One stand-in per report, and nothing stored that two stand-ins of one person share (no
deterministic hash): a reader of the database can neither name the person behind an
anonymous report nor tell that two anonymous reports came from the same person. The
person is decrypted only in the process, where it is needed: to deliver a notification
(address, phone, language), for the identity custodian's audited reveal, and for the
RT/RW who filed the report to see the resident's name.
"""
from __future__ import annotations

import json
import secrets

from django.contrib.auth import get_user_model
from django.db.models import Q

from lapor.accounts.models import PSEUDONYM_USERNAME_PREFIX, Pseudonym


def nobody() -> object:
    """A new stand-in account that stands for no one (no ``Pseudonym`` row): what an erased
    person left that still counts, such as a poll answer, is kept under it, linked to no
    one (lapor/accounts/erasure.py)."""
    stand_in = get_user_model()(username=f"{PSEUDONYM_USERNAME_PREFIX}{secrets.token_hex(10)}", is_active=False)
    stand_in.set_unusable_password()
    stand_in.save()
    return stand_in


def stand_in_for(owner) -> object:
    """A new stand-in account for ``owner`` on one anonymous report. Inside the report's
    transaction: the owner's row is locked while their list of stand-ins grows."""
    User = get_user_model()
    stand_in = nobody()
    Pseudonym.objects.create(user=stand_in, owner_sealed=str(owner.pk))
    sealed = User.objects.select_for_update().filter(pk=owner.pk).values_list("stand_ins_sealed", flat=True).first()
    ids = [*_ids(sealed or ""), stand_in.pk]
    owner.stand_ins_sealed = json.dumps(ids)
    User.objects.filter(pk=owner.pk).update(stand_ins_sealed=owner.stand_ins_sealed)
    stand_in._lapor_owner = owner
    forget_own_ids(owner)
    return stand_in


def _ids(sealed: str) -> list[int]:
    return [int(pk) for pk in json.loads(sealed)] if sealed else []


def is_stand_in(user) -> bool:
    return user is not None and getattr(user, "is_pseudonym", False)


def owner_of(user):
    """The person behind a stand-in account (decrypted here, never stored), or None for
    an account that is not one (or whose owner was deleted)."""
    if not is_stand_in(user):
        return None
    if not hasattr(user, "_lapor_owner"):
        sealed = Pseudonym.objects.filter(user_id=user.pk).values_list("owner_sealed", flat=True).first()
        owner = None
        if sealed:
            owner = get_user_model().objects.select_related("profile").filter(pk=int(sealed)).first()
        user._lapor_owner = owner
    return user._lapor_owner


def person(user):
    """The person an account stands for: the owner of a stand-in, else the account itself."""
    if not is_stand_in(user):
        return user
    return owner_of(user) or user


def own_ids(user) -> frozenset:
    """``user``'s own account id and those of their stand-ins, from the account as it was
    read (kept on the object; ``use_stand_ins`` replaces it)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_lapor_own_ids", None)
    if cached is None:
        cached = frozenset({user.pk, *_ids(getattr(user, "stand_ins_sealed", "") or "")})
        user._lapor_own_ids = cached
    return cached


def use_stand_ins(user, sealed: str) -> None:
    """``user``'s stand-ins as just read from the database (``quota.hold`` reads them with
    the row lock: another request of theirs may have filed an anonymous report since this
    one read the account)."""
    user.stand_ins_sealed = sealed
    forget_own_ids(user)


def forget_own_ids(user) -> None:
    """After a new stand-in for ``user``: the next ``own_ids`` reads them again."""
    if user is not None and hasattr(user, "_lapor_own_ids"):
        del user._lapor_own_ids


def accounts_q(user, field: str) -> Q:
    """``field`` (a foreign key to the account) is ``user`` or one of their stand-ins (a
    list of ids: OR-ed with the public reports, PostgreSQL combines the indexes of both)."""
    ids = sorted(own_ids(user))
    if len(ids) == 1:
        return Q(**{f"{field}_id": ids[0]})
    return Q(**{f"{field}_id__in": ids})


def acting_as(report, by):
    """Who ``by`` is on ``report``: its stand-in when ``by`` is the person behind the
    report's reporter (or proxy) stand-in, else ``by`` itself. What the owner does on their
    anonymous report is recorded as the stand-in, so the history never names them."""
    if by is None or not getattr(by, "is_authenticated", False) or not report.is_anonymous:
        return by
    ids = (report.reporter_id, report.filed_by_id)
    if by.pk in ids:
        return by
    mine = own_ids(by)
    if report.reporter_id is not None and report.reporter_id in mine:
        return report.reporter
    if report.filed_by_id is not None and report.filed_by_id in mine:
        return report.filed_by
    return by
