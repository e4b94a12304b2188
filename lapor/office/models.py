from django.db import models
from django.utils.translation import gettext_lazy as _


class AnswerTemplate(models.Model):
    """A reusable answer (templat tindak lanjut) that an agency's staff start from.

    Templates of an agency are offered for reports assigned to it or to any unit below it,
    so a city government's template serves all its OPDs."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("instansi"), on_delete=models.CASCADE, related_name="answer_templates"
    )
    title = models.CharField(_("judul"), max_length=120)
    body = models.TextField(_("isi"))
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("templat tindak lanjut")
        verbose_name_plural = _("templat tindak lanjut")
        ordering = ["title", "id"]

    def __str__(self):
        return self.title
