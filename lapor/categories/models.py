from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """A topic of the two-level LAPOR! taxonomy (SPEC §10): a topic and its sub-topics."""

    name = models.CharField(_("nama"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("topik induk"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    position = models.PositiveIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("kategori")
        verbose_name_plural = _("kategori")
        ordering = ["position", "name"]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def clean(self):
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": _("Kategori hanya dua tingkat: topik induk harus topik utama.")})
        if self.parent_id and self.pk and self.children.exists():
            # Said here, on the field changed: the sub-topics' rows below would otherwise
            # be refused on their hidden parent field, with no message anyone can see.
            raise ValidationError({"parent": _(
                "Kategori hanya dua tingkat: topik ini punya %(n)d sub-topik. Pindahkan sub-topiknya ke topik "
                "lain dahulu, atau biarkan topik ini tanpa induk.") % {"n": self.children.count()}})
