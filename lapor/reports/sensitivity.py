"""Does a report's text name people or carry personal data? (SPEC §12)

Identities leak when a verifier forgets to mark a report confidential. This heuristic
flags text that names a person (an honorific or a religious title followed by a name, a
civil servant's NIP, a NIK, a phone number, an e-mail address) so that the citizen is
offered confidentiality before submitting and the verifier is warned. It errs on the side
of warning: a false alarm costs a click, a miss can cost a whistle-blower.

Titles are matched in any case ("ustadz", "USTADZ"): people type fast on phones. After
any title a capitalised word is a name. After a religious title (a harmony report names
its preacher, priest or monk more often than any official) a lowercase or shouted word
counts too ("ustadz abdul somad", "USTADZ ABDUL"), unless it is a common word that
follows a role in an ordinary sentence ("ustadz di masjid itu", "pendeta gereja
setempat") or a verb ("pendeta mengatakan"). Words that only sometimes are titles
("Imam", "Suster", "Haji") need a capitalised name.
"""
from __future__ import annotations

import re

# Titles of religious leaders, each a title wherever it stands (K.H. before Kyai: "K" alone is none).
_RELIGIOUS_TITLE = (
    r"(?:Ustadzah|Ustazah|Ustadz|Ustaz|Ustad|Kyai|Kiai|K\.\s?H\.?|KH\.?|Habib|Tuan\s+Guru|Buya|Syekh|Syeikh|Gus|Nyai"
    r"|Pendeta|Pdt\.?|Romo|Pastor|Bhikkhu|Bhiksu|Biksu|Bhante|Pandita|Pedanda|Ida\s+Bagus|Ida\s+Ayu|Xueshi|Js\.)"
)
_HONORIFIC = (
    r"(?:Bapak|Pak|Ibu|Bu|Sdr\.?|Sdri\.?|Saudara|Saudari|Mas|Mbak|Bang|Kak|Tuan|Nyonya|Haji|Hj\.?|H\.|Dr\.?|Ir\.?"
    rf"|Kepala|Kades|Lurah|Camat|oknum|Imam|Suster|{_RELIGIOUS_TITLE})"
)
_NAME = r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*"
# What follows a religious role in a sentence that names nobody: function words, places,
# congregations, ranks; and verbs (Indonesian active verbs begin so: mengatakan, berkhotbah).
_NOT_A_NAME = (
    r"(?:di|ke|dari|yang|itu|ini|tersebut|tadi|dan|atau|serta|juga|pun|lagi|sudah|telah|akan|sedang|masih|tidak"
    r"|tak|bukan|belum|dengan|untuk|bagi|pada|dalam|oleh|karena|saat|ketika|agar|supaya|setempat|sebelah|lain"
    r"|lainnya|baru|muda|senior|tua|kami|kita|mereka|saya|kamu|dia|ia|beliau|nya|kampung|desa|kelurahan|masjid"
    r"|musala|mushola|langgar|surau|gereja|paroki|jemaat|pura|vihara|wihara|klenteng|pondok|pesantren|majelis"
    r"|yayasan|sekolah|kepala|utama|besar|agung|kondang|terkenal|pengajian|ceramah|khotbah|hadir|datang|pergi"
    r"|pulang|bilang|kata|minta|ikut|mau|ingin|harus|bisa|dapat|boleh|pernah|selalu|sering"
    r"|(?:meng|meny|mem|men|ber|ter)[a-z]*)"
)
PATTERNS = {
    "name": re.compile(
        rf"\b(?i:{_HONORIFIC})\s+{_NAME}"
        rf"|\b(?i:{_RELIGIOUS_TITLE}\s+(?!{_NOT_A_NAME}\b)[a-z]{{3,}}\b)"
    ),
    "nip": re.compile(r"\b(?:NIP\.?\s*:?\s*)?\d{8}\s?\d{6}\s?\d\s?\d{3}\b"),
    "nik": re.compile(r"\b\d{16}\b"),
    "phone": re.compile(r"(?:\+62|\b62|\b0)8\d{1,2}[\s-]?\d{3,4}[\s-]?\d{3,5}\b"),
    "email": re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b"),
}


def sensitive_findings(*texts: str) -> list[str]:
    """The kinds of personal data found in the texts (``name``, ``nip``, ``nik``,
    ``phone``, ``email``), in that order, each once."""
    joined = "\n".join(t for t in texts if t)
    return [kind for kind, pattern in PATTERNS.items() if pattern.search(joined)]


def names_people(*texts: str) -> bool:
    return bool(sensitive_findings(*texts))


def published_naming_people(report) -> bool:
    """Would ``report`` be published naming people? Neither anonymous nor confidential, and
    its title or text names people or gives personal data: the verifier is offered it as
    confidential (the safe choice, SPEC §12), and it is not verified in bulk."""
    return not (report.is_anonymous or report.is_confidential) and names_people(report.title, report.body)


def redact(text: str) -> str:
    """``text`` with e-mail addresses, phone numbers and NIKs replaced by ``[…]``: for what
    is stored or logged about a failure (an SMTP server's refusal names the address)."""
    for kind in ("email", "phone", "nik"):
        text = PATTERNS[kind].sub("[…]", text)
    return text
