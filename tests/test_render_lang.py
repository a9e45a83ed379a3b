"""A report page declares its language: screen readers, fonts and browsers' translation read it."""

import re

import nbformat
import pytest

from yqplan.report import render


@pytest.mark.parametrize("language, code", [("zh", "zh"), ("en", "en")])
def test_a_page_declares_the_language_it_is_written_in(tmp_path, language, code):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 标题 Title")])
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, str(path))
    html = render.render_html(path, tmp_path / "x.html", language=language,
                              embed_font=False).read_text(encoding="utf-8")
    assert re.search(r"<html[^>]*\blang=\"([^\"]+)\"", html).group(1) == code
