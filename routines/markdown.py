"""Markdown for the routine texts that editors write (introduction, safety note).

Raw HTML is not Markdown here: it is shown as the text that was typed. What Markdown makes
is then sanitised by nh3 to a small set of tags, so that scripts, event handlers and
`javascript:` links never reach a page, whatever the text contains.
"""

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre", "h2", "h3", "h4", "br", "hr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "rel"}}
URL_SCHEMES = {"http", "https", "mailto"}
EXTERNAL_REL = "noopener nofollow"
# The page already has its h1 and the text sits under an h2: keep the editor's headings below those.
HEADING_SHIFT = {"h1": "h2", "h2": "h3", "h3": "h4", "h5": "h4", "h6": "h4"}


class _LinksAndHeadings(Treeprocessor):
    def run(self, root):
        for element in root.iter():
            if element.tag in HEADING_SHIFT:
                element.tag = HEADING_SHIFT[element.tag]
            elif element.tag == "a":
                href = (element.get("href") or "").strip().lower()
                if href.startswith(("http://", "https://", "//")):
                    element.set("rel", EXTERNAL_REL)
                else:
                    element.attrib.pop("rel", None)


class _SafeMarkdown(Extension):
    def extendMarkdown(self, md_):  # noqa: N802 (the name Markdown calls)
        md_.preprocessors.deregister("html_block")
        md_.inlinePatterns.deregister("html")
        md_.treeprocessors.register(_LinksAndHeadings(md_), "yogasite_links", 0)


def render_markdown(text: str | None) -> SafeString:
    """Editor's Markdown as HTML that is safe to put on a page."""
    if not text or not text.strip():
        return mark_safe("")
    html = md.Markdown(extensions=[_SafeMarkdown(), "sane_lists"], output_format="html").convert(text)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 (sanitised just above)
