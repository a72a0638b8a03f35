"""The app's "Embed" control: an ``<iframe>`` snippet showing the current view from the published site.

The app itself is not embeddable (every reader would cost a live session); the static site is.
The site's address comes from ``CONTROLMAP_SITE_URL`` (where ``python -m geo publish`` output is
hosted); without it the control is not shown, since a snippet pointing nowhere helps nobody.
"""

from __future__ import annotations

import html
import os
from urllib.parse import urlencode, urlsplit

import streamlit as st

from components.i18n import t
from components.view_state import ViewState, to_params

ENV_SITE_URL = "CONTROLMAP_SITE_URL"
# The same sandbox as the site's own Embed control: scripts run, links open in a new tab,
# and the frame gets no cookies, storage or access to the article's page.
SANDBOX = "allow-scripts allow-popups"


def site_url() -> str | None:
    """The published site's base URL from ``CONTROLMAP_SITE_URL``, if it is an http(s) URL."""
    value = os.environ.get(ENV_SITE_URL, "").strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(ch.isspace() for ch in value):
        return None
    return value.split("?", 1)[0].split("#", 1)[0]


def embed_snippet(base: str, view: ViewState, *, title: str) -> str:
    """The ``<iframe>`` for ``view`` on the site at ``base`` (the view's parameters, plus ``embed=1``)."""
    src = f"{base}?{urlencode({**to_params(view), 'embed': '1'})}"
    return (
        f'<iframe src="{html.escape(src)}" title="{html.escape(title)}" width="100%" height="600" '
        f'style="border:0" loading="lazy" sandbox="{SANDBOX}"></iframe>'
    )


def embed_control(view: ViewState, lang: str) -> None:
    """A small popover with the snippet for the current view (only when the site's URL is configured)."""
    base = site_url()
    if base is None:
        return
    with st.popover(t("embed", lang)):
        st.caption(t("embed_help", lang))
        st.code(embed_snippet(base, view, title=t("title", lang)), language="html")
