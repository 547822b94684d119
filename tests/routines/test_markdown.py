from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeString

from routines.markdown import render_markdown


def elements(html):
    """(tag, attributes) of every element the browser would build from the HTML."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Collector().feed(str(html))
    return found


def test_markdown_becomes_html():
    html = render_markdown("## Before you start\n\nBreathe *slowly*, **never** force.\n\n- mat\n- block")
    assert isinstance(html, SafeString)
    assert "<h3>Before you start</h3>" in html
    assert "<em>slowly</em>" in html and "<strong>never</strong>" in html
    assert "<ul>\n<li>mat</li>" in html


def test_a_top_heading_stays_below_the_page_title():
    assert render_markdown("# Intro").startswith("<h2>Intro</h2>")


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "Hello <script>alert(1)</script> there",
        '<img src="x" onerror="alert(1)">',
        '<a href="#" onclick="alert(1)">x</a>',
        '<div style="position:fixed">raw</div>',
        "<iframe src='https://example.com'></iframe>",
    ],
)
def test_raw_html_is_shown_as_text_never_as_markup(text):
    html = render_markdown(text)
    assert elements(html) == [("p", {})]
    assert "&lt;" in html


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "vbscript:x"]
)
def test_dangerous_links_lose_their_target(link):
    html = render_markdown(f"[click]({link})")
    assert elements(html) == [("p", {}), ("a", {})] and "click" in html


def test_external_links_are_kept_with_noopener_nofollow():
    html = render_markdown('See [the study](https://example.org/study "The study").')
    assert '<a href="https://example.org/study" rel="noopener nofollow" title="The study">the study</a>' in html


def test_site_and_mail_links_are_kept_without_nofollow():
    html = render_markdown("[Sphinx](/poses/sphinx-pose/) or [write](mailto:studio@example.org)")
    assert '<a href="/poses/sphinx-pose/">Sphinx</a>' in html
    assert '<a href="mailto:studio@example.org">write</a>' in html


def test_empty_text_renders_nothing():
    assert render_markdown("") == "" and render_markdown(None) == "" and render_markdown("  \n") == ""


def test_template_filters_render_markdown_and_durations():
    template = Template("{% load routine_tags %}{{ body|markdown }}|{{ seconds|duration }}|{{ seconds|iso_duration }}")
    out = template.render(Context({"body": "**Go** <b>x</b>", "seconds": 3900}))
    assert out == "<p><strong>Go</strong> &lt;b&gt;x&lt;/b&gt;</p>|1 h 5 min|PT1H5M"


def test_step_duration_filter_uses_the_routine_breath_length():
    step = SimpleNamespace(
        hold_kind="breaths",
        hold_value=10,
        repetitions=1,
        sides="both",
        routine=SimpleNamespace(breath_seconds=6),
    )
    template = Template("{% load routine_tags %}{{ step|step_duration }}|{{ step|step_duration:3 }}")
    assert template.render(Context({"step": step})) == "2 min|1 min"
