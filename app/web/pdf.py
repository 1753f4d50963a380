"""The one PDF renderer: HTML (a Jinja template) → PDF bytes with WeasyPrint.

- Page size and orientation come from the template's CSS (`@page { size: A4 portrait }` or
  `A4 landscape`); `templates/pdf/base.html` sets them from the `orientation` variable and
  numbers the pages from `first_page`.
- Fonts are the machine's (Debian's fonts-dejavu-core, found through fontconfig); nothing is
  ever fetched from outside: the URL fetcher only serves files of `app/static` and `data:` URLs.
- A long document is rendered in parts (`render_parts`), each laid out on its own and joined
  page by page, so memory stays bounded by the largest part, not by the whole document: a
  table of thousands of rows is split into parts of a few hundred rows. Page numbers run on
  across the parts.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from flask import render_template

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
PDF_MIMETYPE = "application/pdf"


class RefusedFetch(ValueError):
    """A document asked for a resource outside the portal's static files."""


def _fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves `data:` URLs and files under app/static only."""
    import mimetypes

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parsed = urlparse(url)
            path: Path | None = None
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
            elif parsed.path.startswith("/static/"):
                path = (STATIC_DIR / unquote(parsed.path)[len("/static/") :]).resolve()
            if path is None or not path.is_relative_to(STATIC_DIR) or not path.is_file():
                raise RefusedFetch(f"refused {url!r}: only the portal's static files are used")
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})

    return LocalFetcher(allowed_protocols={"file", "data"})


def _document(html: str) -> Any:
    from weasyprint import HTML

    return HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=_fetcher())


def html_to_pdf(html: str) -> bytes:
    """One HTML document as PDF bytes."""
    return bytes(_document(html).write_pdf())


def template_to_pdf(template: str, **context: Any) -> bytes:
    """Render a template (extending `pdf/base.html`) and lay it out as PDF."""
    return html_to_pdf(render_template(template, first_page=1, **context))


def render_parts(parts: Iterable[Callable[[int], str]]) -> bytes:
    """A PDF made of parts, each a function of its first page number returning its HTML.

    Parts are laid out one after the other (only one in memory at a time) and joined; a part
    may have its own orientation.
    """
    from pypdf import PdfReader, PdfWriter
    from weasyprint.text.fonts import FontConfiguration

    writer = PdfWriter()
    fonts = FontConfiguration()  # fontconfig is set up once for every part
    next_page = 1
    for part in parts:
        rendered = _document(part(next_page)).render(font_config=fonts)
        data = rendered.write_pdf()
        next_page += len(rendered.pages)
        del rendered
        writer.append(PdfReader(io.BytesIO(data)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def template_parts(
    parts: Iterable[tuple[str, dict[str, Any]]],
) -> bytes:
    """`render_parts` for (template, context) pairs; each template gets `first_page`."""

    def part(template: str, context: dict[str, Any]) -> Callable[[int], str]:
        return lambda first: render_template(template, first_page=first, **context)

    return render_parts(part(template, context) for template, context in parts)
