"""A page's markup shape (tests/html_shape.py): data drops out, markup and its faults stay."""

from __future__ import annotations

from tests.html_shape import shape, shape_key

PAGE = (
    '<main><h1 id="title">{h}</h1><ul class="nhsuk-list">{items}</ul>'
    '<form method="post"><label for="a_{q}">{h}</label><input id="a_{q}" name="a_{q}" '
    'value="{v}"><input type="radio" name="r" value="1"><input type="radio" name="r" value="2">'
    "</form></main>"
)


def _page(h: str = "Relationships", items: str = "<li>One</li>", q: int = 7, v: str = "") -> str:
    return PAGE.format(h=h, items=items, q=q, v=v)


def test_data_does_not_change_the_shape() -> None:
    base = shape_key(_page())
    assert shape_key(_page(h="Governance &amp; data", q=1234)) == base
    assert shape_key(_page(items="<li>Two</li><li>Three</li>" * 4)) == base  # more list items
    assert shape_key(_page(v="something typed")) == shape_key(_page(v="x"))


def test_markup_and_its_faults_change_the_shape() -> None:
    base = shape_key(_page())
    assert shape_key(_page(items='<li class="x">One</li>')) != base  # another attribute
    assert shape_key(_page(items="<li><p>One</p></li>")) != base  # another element
    assert shape_key(_page(h="Cats & dogs")) != base  # a raw ampersand
    assert shape_key(_page(v="")) != shape_key(_page(v="typed"))  # empty against not
    assert shape_key(_page(h="")) != base  # an empty heading
    assert shape_key(_page().replace('id="title"', 'id="a_7"')) != base  # an id repeated
    assert shape_key(_page().replace('for="a_7"', 'for="a_8"')) != base  # a label for nothing
    repeated = _page().replace("</form>", '<input name="a_7"></form>')
    assert shape_key(repeated) != shape_key(_page().replace("</form>", '<input name="b"></form>'))


def test_script_and_style_contents_drop_out_but_their_tags_stay() -> None:
    one = shape('<script nonce="a">var x = "<p>";</script><style>p{}</style>')
    assert one == shape('<script nonce="b">other()</script><style>h1{}</style>')
    assert one != shape('<script type="module" nonce="b">other()</script><style>h1{}</style>')
