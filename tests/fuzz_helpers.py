"""Hypothesis strategies and an assertion for "bad input gets a clear answer, never a 500".

    from tests.fuzz_helpers import FUZZ_SETTINGS, assert_never_500, form_data, query_params

    @FUZZ_SETTINGS
    @given(data=form_data(["name", "email", "message"]))
    def test_booking_form_never_500(client, home_page, data):
        assert_never_500(client, "post", "/consultation/", data)

Hypothesis runs many examples inside one test function, so the database is shared between them
(function-scoped fixtures are set up once): write forms so repeated submissions are fine.
"""

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Arbitrary Unicode (including controls, surrogates escaped by Django, right-to-left marks),
# markup, SQL-ish text, numbers in odd forms and very long strings.
NASTY_TEXT = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=50),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "<script>alert(1)</script>",
            "\"'><img src=x onerror=alert(1)>",
            "' OR 1=1 --",
            "%00",
            "../../etc/passwd",
            "9" * 400,
            "-1",
            "1e309",
            "NaN",
            "\u202eevil",
            "😀" * 100,
            "a\r\nSet-Cookie: x=1",
            # digits of other scripts: str.isdigit() and \d accept them, int() may not
            "²",
            "١٢",
            "１２",
            "𝟗",
        ]
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(min_size=5_000, max_size=20_000).filter(lambda _: True),
)

FIELD_VALUE = st.one_of(NASTY_TEXT, st.lists(NASTY_TEXT, max_size=3))


def query_params(names: list[str] | None = None):
    """A query dict: the given parameter names (each maybe missing, maybe repeated) plus
    arbitrary extra ones."""
    known = st.fixed_dictionaries({}, optional=dict.fromkeys(names or [], FIELD_VALUE))
    extra = st.dictionaries(st.text(min_size=1, max_size=20), FIELD_VALUE, max_size=3)
    return st.tuples(known, extra).map(lambda pair: {**pair[1], **pair[0]})


def form_data(fields: list[str]):
    """A POST body: every field maybe missing, maybe of the wrong shape, plus unknown fields."""
    return query_params(fields)


# As a WSGI server hands them over: bytes off the wire, decoded as Latin-1 (PEP 3333).
RAW_QUERY_STRINGS = st.one_of(
    st.text(max_size=300).map(lambda text: text.encode().decode("latin-1")),
    st.binary(max_size=200).map(lambda b: "".join(f"%{byte:02x}" for byte in b)),
    st.sampled_from(["&&&", "=", "a=%", "a=%zz", "page=%ff%fe", "a[]=1&a[]=2", "?" * 50]),
)

FUZZ_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,  # forms with many fields, each maybe a huge string
    ],
)


def assert_never_500(client, method: str, path: str, data=None, **extra):
    """Send one request; it must get an answer below 500 that escapes what it shows back."""
    response = getattr(client, method.lower())(path, data or {}, **extra)
    assert response.status_code < 500, (method, path, data, response.status_code)
    body = response.content.decode("utf-8", "replace")
    assert "<script>alert(1)</script>" not in body, "user input shown unescaped"
    assert "onerror=alert(1)>" not in body, "user input shown unescaped"
    return response
