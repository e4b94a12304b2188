"""The personal data held about a citizen, as they may read and download it (SPEC §5, §6;
UU 27/2022 on personal data protection: the right of access).

Everything is read through the same rules as the pages: the profile in clear (it is the
citizen's own), and the reports they filed or that were filed for them, with the history
``policy.visible_events`` lets them read. Then everything else kept about what they did:
supports, follows, poll and survey answers, service ratings, notifications and their
settings, connected social accounts and API tokens (never a token or a key), and their
own successful sign-ins (django-axes' access log). Rows made by their anonymous reports'
stand-ins count as theirs (``pseudonyms.accounts_q``). Nothing about another person: the
reports they supported or follow are named by tracking ID only, and failed sign-ins,
which anyone may cause by typing their user name, are left out.

Each code (sex, kind, status, action) comes with its label in the reader's language, as
the pages say it: a citizen reading the file alone should not have to guess what
"not_our_authority" means. /profil/data-pribadi/ shows the same dictionary as a page.
"""
from __future__ import annotations

from allauth.socialaccount.models import SocialAccount
from axes.models import AccessLog

from lapor.accounts import pseudonyms
from lapor.accounts.models import ReporterProfile
from lapor.api.models import ApiToken
from lapor.following.models import Follow
from lapor.notifications.models import Preference
from lapor.notifications.selectors import in_app_notifications
from lapor.reports import policy
from lapor.reports.models import Support
from lapor.transparency.models import IkmResponse, PollAnswer, ServiceRating


def _iso(value):
    return value.isoformat() if value else None


def personal_data(user, *, when=_iso) -> dict:
    """Everything held about ``user``; ``when`` writes each date and time (ISO 8601 for
    the JSON file; the page keeps them as they are and formats them in the reader's
    language and time zone)."""
    profile = ReporterProfile.objects.filter(user=user).first()
    actor = policy.actor_for(user)
    reports = (
        policy.visible_reports(actor)
        .filter(policy.own_reports_q(user))
        .select_related("category", "region", "addressed_agency", "assigned_agency", "reporter", "filed_by")
        .prefetch_related("events", "followups")
        .order_by("created_at", "id")
    )
    mine = pseudonyms.own_ids(user)
    return {
        "account": {
            "username": user.username,
            "full_name": user.full_name,
            "email": user.email,
            "date_joined": when(user.date_joined),
            "last_login": when(user.last_login),
        },
        "profile": None if profile is None else {
            "nik": profile.nik,
            "sex": profile.sex,
            "sex_label": str(profile.get_sex_display()) if profile.sex else "",
            "birth_date": when(profile.birth_date),
            "occupation": profile.occupation,
            "phone": profile.phone,
            "phone_awaiting_code": profile.pending_phone or "",  # typed, not yet proven
            "email": profile.email,
            "is_proxy": profile.is_proxy,
            "is_phone_only": profile.is_phone_only,
        },
        "reports": [
            {
                "tracking_id": r.tracking_id,
                "filed_for_resident": r.filed_by_id in mine and r.reporter_id not in mine,
                "kind": r.kind,
                "kind_label": str(r.get_kind_display()),
                "title": r.title,
                "original_title": r.original_title,
                "body": r.body,
                "incident_date": when(r.incident_date),
                "latitude": r.latitude,
                "longitude": r.longitude,
                "region": r.region_id,
                "address": r.address,
                "category": str(r.category) if r.category_id else None,
                "addressed_agency": r.addressed_agency.name if r.addressed_agency_id else None,
                "is_anonymous": r.is_anonymous,
                "is_confidential": r.is_confidential,
                "show_reporter_name": r.show_reporter_name,
                "status": r.status,
                "status_label": str(r.status_label),
                "created_at": when(r.created_at),
                "history": [
                    {"at": when(e.at), "action": e.action, "label": str(e.get_action_display()),
                     "from_status": e.from_status, "to_status": e.to_status,
                     "to_status_label": str(e.to_status_label) if e.to_status else "",
                     "by": policy.event_actor_label(actor, r, e), "text": e.text}
                    for e in policy.visible_events(actor, r)
                ],
                "followups": [
                    {"at": when(f.created_at), "body": f.body, "satisfied": f.satisfied, "comment": f.rating_comment}
                    for f in r.followups.all()
                ],
            }
            for r in reports
        ],
        **_activity(user, when=when),
    }


def _activity(user, *, when) -> dict:
    """What else the system keeps about what ``user`` did, section by section."""
    # No row: the defaults, as the notification centre shows them.
    preference = Preference.objects.filter(user=user).first() or Preference(user=user)
    return {
        "supports": [
            {"report": s.report.tracking_id, "at": when(s.created_at)}
            for s in Support.objects.filter(pseudonyms.accounts_q(user, "user"))
            .select_related("report").order_by("created_at", "id")
        ],
        "follows": [
            {"report": f.report.tracking_id if f.report_id else None,
             "region": str(f.region) if f.region_id else None,
             "category": str(f.category) if f.category_id else None,
             "circle": {"latitude": f.latitude, "longitude": f.longitude, "radius_km": f.radius_km}
             if f.is_circle else None,
             "since": when(f.created_at)}
            for f in Follow.objects.filter(pseudonyms.accounts_q(user, "user"))
            .select_related("report", "region", "category__parent").order_by("created_at", "id")
        ],
        "poll_answers": [
            {"poll": a.poll.question, "agency": a.poll.agency.name, "answer": a.option.text, "at": when(a.created_at)}
            for a in PollAnswer.objects.filter(pseudonyms.accounts_q(user, "user"))
            .select_related("poll__agency", "option").order_by("created_at", "id")
        ],
        "ikm_responses": [
            {"survey": r.survey.title, "agency": r.survey.agency.name, "scores": r.scores, "at": when(r.created_at)}
            for r in IkmResponse.objects.filter(pseudonyms.accounts_q(user, "respondent"))
            .select_related("survey__agency").order_by("created_at", "id")
        ],
        "service_ratings": [
            {"report": r.report.tracking_id, "agency": r.agency.name, "level": r.level,
             "level_label": str(r.get_level_display()), "comment": r.comment, "at": when(r.created_at)}
            for r in ServiceRating.objects.filter(pseudonyms.accounts_q(user, "user"))
            .select_related("report", "agency").order_by("created_at", "id")
        ],
        "notification_settings": {
            "language": preference.language, "language_label": str(preference.get_language_display()),
            "by_email": preference.by_email, "by_sms": preference.by_sms,
        },
        "notifications": [
            {"at": when(n.created_at), "reason": n.reason, "reason_label": str(n.get_reason_display()),
             "report": n.report.tracking_id if n.report_id else None,
             "subject": n.subject, "body": n.body, "read_at": when(n.read_at)}
            for n in in_app_notifications(user).order_by("created_at", "id")
        ],
        "social_accounts": [
            {"provider": a.provider, "uid": a.uid, "connected_at": when(a.date_joined),
             "last_login": when(a.last_login)}
            for a in SocialAccount.objects.filter(user=user).order_by("date_joined", "id")
        ],
        "api_tokens": [
            {"name": t.label, "created_at": when(t.created_at)}
            for t in ApiToken.objects.filter(user=user).order_by("created_at", "id")
        ],
        "sign_ins": [
            {"at": when(row.attempt_time), "ip_address": row.ip_address, "user_agent": row.user_agent,
             "signed_out_at": when(row.logout_time)}
            for row in AccessLog.objects.filter(username=user.username).order_by("attempt_time", "id")
        ],
    }
