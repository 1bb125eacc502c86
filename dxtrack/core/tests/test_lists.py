"""The shared list helper: filters, sort and page read from the URL and written back."""

from django.http import QueryDict

from dxtrack.core import lists
from dxtrack.core.lists import ListQuery, Order


def _lq(query: str) -> ListQuery:
    return ListQuery(
        QueryDict(query),
        filters={"don-vi": lists.text, "ky": lists.integer, "trang-thai": lists.one_of(["draft", "submitted"])},
        orders={"han": Order("Hạn", ("due",)), "don-vi": Order("Đơn vị", ("-name",))},
        default_order="-han",
    )


def test_filters_are_read_and_unreadable_ones_dropped():
    # Given a URL with a readable unit, a broken period id and an unknown status
    lq = _lq("don-vi=%20ham%20rong%20&ky=abc&trang-thai=deleted")
    # Then only the unit filters, trimmed
    assert lq.values == {"don-vi": "ham rong"}
    assert lq.active is True


def test_sort_defaults_and_toggles():
    lq = _lq("")
    assert (lq.sort, lq.descending) == ("han", True)
    # Sorting by the column already sorted turns it round; another column starts ascending
    assert lq.sort_url("han") == "?sap-xep=han"
    assert lq.sort_url("don-vi") == "?sap-xep=don-vi"
    assert _lq("sap-xep=nope").sort == "han"


def test_links_keep_the_filters_and_the_sort():
    lq = _lq("don-vi=H%C3%A0m+R%E1%BB%93ng&sap-xep=don-vi&trang=3")
    assert lq.url() == "?don-vi=H%C3%A0m+R%E1%BB%93ng&sap-xep=don-vi"
    assert lq.url(don_vi=None) == "?sap-xep=don-vi"
    assert lq.page_url(2) == "?don-vi=H%C3%A0m+R%E1%BB%93ng&sap-xep=don-vi&trang=2"
    assert lq.hidden(without=["sap-xep"]) == [("don-vi", "Hàm Rồng")]


def test_order_reverses_each_field_and_ends_with_the_tiebreak():
    class Recorder:
        def order_by(self, *fields):
            return fields

    assert _lq("sap-xep=-don-vi").order(Recorder()) == ("name", "pk")
    assert _lq("sap-xep=don-vi").order(Recorder()) == ("-name", "pk")


def test_page_links_keep_the_state():
    lq = _lq("ky=4&trang=2")
    page = lq.page(list(range(120)))
    assert (page.number, lq.previous_url, lq.next_url, lq.last_url) == (
        2,
        "?ky=4&sap-xep=-han&trang=1",
        "?ky=4&sap-xep=-han&trang=3",
        "?ky=4&sap-xep=-han&trang=3",
    )
