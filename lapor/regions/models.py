from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """An administrative area (wilayah) with its official code (SPEC §10).

    Codes are hierarchical: province ``63``, regency/city ``63.72``, district ``63.72.02``,
    village ``63.72.02.1001``; the code is the primary key so that a region reference in a
    report, an import or an SMS is readable as it is.
    """

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Provinsi")
        REGENCY = 2, _("Kabupaten/Kota")
        DISTRICT = 3, _("Kecamatan")
        VILLAGE = 4, _("Kelurahan/Desa")

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "name"])]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @staticmethod
    def level_of(code: str) -> int:
        return code.count(".") + 1

    def ancestor_codes(self) -> list[str]:
        """This region's code and those of the regions containing it, most specific first."""
        parts = self.code.split(".")
        return [".".join(parts[:i]) for i in range(len(parts), 0, -1)]

    @property
    def province_code(self) -> str:
        return self.code.split(".")[0]
