"""The webhooks in the API's OpenAPI schema (/api/schema/): the event vocabulary and the
payload a subscriber receives (docs/api.md, *Webhooks*), added by the schema's
postprocessing hook (lapor/api/schema.py).

The schema stays OpenAPI 3.0.3 (lapor/api/schema.py says why), which has no ``webhooks``
section (3.1 has; drf-spectacular writes it only for a 3.1 schema). So: components
``WebhookEvent`` (the event names, each with its meaning), ``WebhookPayload`` and its parts,
and the POST a receiver answers under ``x-webhooks``, the extension Redoc (/api/redoc/)
shows for 3.0. Descriptions are Indonesian, as the rest of the schema's."""
from __future__ import annotations

from lapor.reports.enums import Action, Kind, Status

# Every event a subscriber may receive, and what it means. A test checks that every action
# is here or in NEVER_SENT, so a new action cannot go out undocumented.
EVENTS = {
    Action.SUBMIT: "Laporan diterima (dari pelapor, RT/RW, SMS, Open311, sistem terhubung atau impor).",
    Action.VERIFY: "Diverifikasi dan diteruskan ke instansi/unit `report.agency`; verifikator dapat mengubah judul, "
                   "kategori, wilayah dan sifat (rahasia/anonim). Laporan terbit bila tidak rahasia.",
    Action.POSTPONE: "Verifikasi ditunda (mis. untuk menelepon pelapor); tenggat verifikasi tetap berjalan.",
    Action.RETURN: "Dikembalikan ke pelapor untuk dilengkapi; `text` menyebut yang kurang.",
    Action.COMPLETE: "Pelapor melengkapi laporan; menunggu verifikasi lagi.",
    Action.ARCHIVE: "Diarsipkan dengan alasan (spam, tidak dapat dipahami, terlalu umum, bukan tentang kinerja "
                    "pemerintah).",
    Action.MARK_DUPLICATE: "Diarsipkan sebagai duplikat laporan lain.",
    Action.DISPOSE: "Didisposisikan ke unit kerja `report.agency` di bawah instansi yang memegangnya.",
    Action.NOT_OUR_AUTHORITY: "Bukan wewenang: unit mengembalikannya ke admin yang merutekan (Menunggu pelimpahan).",
    Action.TRANSFER: "Dilimpahkan ke instansi lain `report.agency`; sebelum verifikasi: ke admin pemerintah itu "
                     "untuk diverifikasi.",
    Action.ANSWER: "Tindak lanjut instansi; isinya di `followup`.",
    Action.REPLY: "Pelapor belum puas dengan tindak lanjut; laporan kembali ke instansi.",
    Action.RATE: "Pelapor puas dan menilai tindak lanjut; laporan selesai.",
    Action.CLOSE: "Ditutup oleh admin, dengan alasan di `text`.",
    Action.AUTO_CLOSE: "Ditutup otomatis: tidak ada tanggapan pelapor 10 hari kerja setelah tindak lanjut terakhir.",
    Action.EXPIRE_RETURN: "Diarsipkan: pelapor tidak melengkapinya dalam 10 hari kerja.",
    Action.REOPEN: "Dibuka kembali oleh pelapor (sekali, dalam 10 hari kerja setelah selesai).",
    Action.SET_FLAGS: "Sifat laporan diubah: dijadikan rahasia atau anonim, atau diterbitkan kembali.",
    Action.ESCALATE: "Tenggat terlewati: dieskalasi ke pengawas.",
    Action.OUTER_LIMIT_WARNING: "Batas 60 hari penyelesaian (Perpres 76/2013) sudah dekat.",
    Action.MOVE_DEADLINE: "Tenggat (`report.due_at`) dipindah oleh koreksi kalender hari kerja.",
}
# Internal entries of the history, never sent: staff notes, the custodian's reveals, an
# officer's drafts and their return, the reminders to the desk.
NEVER_SENT = frozenset({Action.NOTE, Action.REVEAL_IDENTITY, Action.DRAFT_ANSWER, Action.RETURN_DRAFT,
                        Action.REMIND})

REF = "#/components/schemas/"


def _text(description: str, *, nullable: bool = False, **extra) -> dict:
    return {"type": "string", "description": description, **({"nullable": True} if nullable else {}), **extra}


def _object(properties: dict, description: str, *, nullable: bool = False, optional: tuple = ()) -> dict:
    return {"type": "object", "description": description, **({"nullable": True} if nullable else {}),
            "properties": properties, "required": [name for name in properties if name not in optional]}


def components() -> dict:
    """The schema components of the webhooks, by name."""
    status = _text("Kode status laporan.", enum=list(Status.values))
    return {
        "WebhookEvent": _text(
            "Jenis peristiwa (`event`, dan header `X-Lapor-Event`). Catatan internal, pembukaan identitas, "
            "draf tindak lanjut dan pengingat tenggat tidak pernah dikirim.\n\n"
            + "\n".join(f"- `{action}`: {meaning}" for action, meaning in EVENTS.items()),
            enum=[str(action) for action in EVENTS]),
        "WebhookReport": _object({
            "tracking_id": _text("Nomor pelacakan."),
            "external_id": _text("Id laporan di sistem Anda, untuk laporan yang dikirim akun sistem Anda; "
                                 "selain itu null.", nullable=True),
            "status": status,
            "status_label": _text("Status dalam bahasa Indonesia, setelah peristiwa."),
            "kind": _text("Jenis laporan.", enum=list(Kind.values)),
            "title": _text("Judul setelah peristiwa; null bila isi ditahan.", nullable=True),
            "body": _text("Isi setelah peristiwa; null bila isi ditahan.", nullable=True),
            "category": _object({"slug": _text("Slug kategori."), "name": _text("Nama kategori.")},
                                "Kategori setelah peristiwa; null bila belum ada atau isi ditahan.", nullable=True),
            "region": _object({"code": _text("Kode wilayah Kemendagri."), "name": _text("Nama wilayah.")},
                              "Wilayah setelah peristiwa; null bila belum ada atau isi ditahan.", nullable=True),
            "is_confidential": {"type": "boolean", "description": "Rahasia, setelah peristiwa."},
            "is_anonymous": {"type": "boolean", "description": "Anonim, setelah peristiwa. Identitas pelapor "
                                                               "tidak pernah dikirim."},
            "agency": _object({"slug": _text("Slug instansi."), "name": _text("Nama instansi.")},
                              "Instansi/unit yang memegang laporan setelah peristiwa; null bila belum ada.",
                              nullable=True),
            "due_at": _text("Tenggat yang berjalan (ISO 8601 dengan zona).", nullable=True, format="date-time"),
            "url": _text("Halaman laporan.", format="uri"),
            "content_withheld": {"type": "boolean", "enum": [True], "description": (
                "Hanya pada laporan rahasia yang tidak (lagi) dipegang instansi Anda: judul, isi, kategori, "
                "wilayah, `text` dan `followup` ditahan.")},
        }, "Laporan sebagaimana ditinggalkan peristiwa.", optional=("content_withheld",)),
        "WebhookPayload": _object({
            "event_id": {"type": "integer", "description": "Id peristiwa (urutkan menurut `at`/`event_id`)."},
            "event": {"$ref": REF + "WebhookEvent"},
            "event_label": _text("Nama peristiwa dalam bahasa Indonesia."),
            "at": _text("Waktu peristiwa (ISO 8601 dengan zona situs).", format="date-time"),
            "from_status": {**status, "enum": ["", *Status.values], "description": "Status sebelum peristiwa."},
            "to_status": {**status, "description": "Status setelah peristiwa."},
            "text": _text("Keterangan peristiwa (alasan, yang kurang, tindak lanjut); kosong bila isi ditahan."),
            "report": {"$ref": REF + "WebhookReport"},
            "followup": _object({
                "id": {"type": "integer"}, "body": _text("Isi tindak lanjut."),
                "at": _text("Waktu tindak lanjut.", format="date-time")},
                "Tindak lanjut, hanya pada peristiwa `answer`."),
        }, "Isi POST ke URL penerima (JSON, UTF-8), ditandatangani: lihat `x-webhooks`.",
            optional=("followup",)),
    }


def webhook() -> dict:
    """The POST a receiver answers, in the shape of a path item."""
    def header(name, description, schema=None):
        return {"name": name, "in": "header", "required": True, "description": description,
                "schema": schema or {"type": "string"}}

    return {"post": {
        "operationId": "webhook_report_event",
        "summary": "Peristiwa laporan, dikirim ke sistem terhubung",
        "description": (
            "Lapor mengirim POST ini ke URL pelanggan untuk setiap peristiwa laporan yang diikutinya. Periksa "
            "tanda tangan (HMAC-SHA256 dengan kunci rahasia atas `<X-Lapor-Timestamp>.<isi mentah>`) dan tolak "
            "stempel waktu yang lama. Jawab 2xx; selain itu dicoba lagi dengan jeda yang makin panjang."),
        "tags": ["webhooks"],
        "parameters": [
            header("X-Lapor-Event", "Jenis peristiwa, sama dengan `event`.", {"$ref": REF + "WebhookEvent"}),
            header("X-Lapor-Delivery", "Id pengiriman; tetap sama bila dikirim ulang (untuk menghapus duplikat)."),
            header("X-Lapor-Timestamp", "Waktu pengiriman ini, detik Unix."),
            header("X-Lapor-Signature", "`sha256=<hex>`: HMAC-SHA256 atas `<X-Lapor-Timestamp>.<isi mentah>`."),
        ],
        "requestBody": {"required": True, "content": {
            "application/json": {"schema": {"$ref": REF + "WebhookPayload"}}}},
        "responses": {"2XX": {
            "description": "Diterima. Jawaban lain, atau tanpa jawaban dalam 10 detik: dicoba lagi."}},
    }}


def add_to(result: dict) -> dict:
    """Add the webhooks to a generated schema (in place); returns it."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(components())
    result["x-webhooks"] = {"reportEvent": webhook()}
    return result
