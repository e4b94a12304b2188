from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


class LookupPagination(Pagination):
    """The reference lists an app reads to fill its pickers (categories, regions,
    agencies): pages of 100 by default, up to 500. A ``page`` or ``page_size`` that is not
    a whole number from 1, a page size over the limit or a page past the last is a 400
    naming the parameter, not DRF's 404 or a silently different page."""

    page_size = 100
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = _whole_number(request, self.page_size_query_param, self.page_size)
        if size > self.max_page_size:
            raise ValidationError({self.page_size_query_param: [
                _("Paling banyak %(most)s per halaman.") % {"most": self.max_page_size}]})
        number = _whole_number(request, self.page_query_param, 1)
        paginator = Paginator(queryset, size)
        if number > paginator.num_pages:
            raise ValidationError({self.page_query_param: [
                _("Halaman %(page)s tidak ada: hanya ada %(pages)s halaman.") % {
                    "page": number, "pages": paginator.num_pages}]})
        self.page = paginator.page(number)
        return list(self.page)


def _whole_number(request, name: str, default: int) -> int:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9 or int(raw) < 1:
        raise ValidationError({name: [_("Isi dengan bilangan bulat mulai dari 1.")]})
    return int(raw)
