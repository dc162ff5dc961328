"""Console URLs and searches take any input: ids beyond int64 are 404, a NUL byte is no error."""

from __future__ import annotations

from support.console import add_staff, sign_in

HUGE = "99999999999999999999999"


def test_ids_beyond_int64_are_not_found_and_nul_searches_answer(context, client) -> None:
    add_staff(context)
    sign_in(client)
    for url in (
        f"/console/people/{HUGE}",
        "/console/people/9223372036854775808",
        f"/console/broadcasts/{HUGE}",
        f"/console/broadcasts/{HUGE}/progress",
        f"/console/cooperatives/{HUGE}",
    ):
        assert client.get(url).status_code == 404, url
    for query in ("\x00", "07\x0088", "a" * 5000, "%", "_"):
        assert client.get("/console/people", query_string={"q": query}).status_code == 200
    assert client.get("/console/people", query_string={"page": HUGE}).status_code == 200
