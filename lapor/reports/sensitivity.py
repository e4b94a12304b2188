"""Does a report's text name people or carry personal data? (SPEC §12)

Identities leak when a verifier forgets to mark a report confidential. This heuristic
flags text that names a person (an honorific followed by a capitalised name, a civil
servant's NIP, a NIK, a phone number, an e-mail address) so that the citizen is offered
confidentiality before submitting and the verifier is warned. It errs on the side of
warning: a false alarm costs a click, a miss can cost a whistle-blower.
"""
from __future__ import annotations

import re

_HONORIFIC = r"(?:Bapak|Pak|Ibu|Bu|Sdr\.?|Sdri\.?|Saudara|Saudari|Mas|Mbak|Bang|Kak|Tuan|Nyonya|Haji|Hj\.?|H\.|Dr\.?|Ir\.?|Kepala|Kades|Lurah|Camat|oknum)"
_NAME = r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*"
PATTERNS = {
    "name": re.compile(rf"\b{_HONORIFIC}\s+{_NAME}"),
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


def redact(text: str) -> str:
    """``text`` with e-mail addresses, phone numbers and NIKs replaced by ``[…]``: for what
    is stored or logged about a failure (an SMTP server's refusal names the address)."""
    for kind in ("email", "phone", "nik"):
        text = PATTERNS[kind].sub("[…]", text)
    return text
