"""What one deployment of the add-in server is: its public address, add-in id and names.

Excel loads every page and script of an Office add-in from the HTTPS addresses in its manifest,
so the server must know the address users reach it by, which is not the address it listens on
when IT's proxy terminates HTTPS in front of it.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..errors import XlAddinError

DEFAULT_NAMESPACE = ""
"""No custom-function namespace: `=RAG()` as in the desktop add-in (docs/office-addin.md)."""
DEFAULT_DISPLAY_NAME = "KPIs"
_NAMESPACE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,31}$")
_MAX_NAME = 125  # the manifest's DisplayName limit


@dataclass(frozen=True)
class ServerOptions:
    public_url: str
    """The HTTPS address users' Excel reaches the server by, without a trailing slash."""
    functions_namespace: str = DEFAULT_NAMESPACE
    manifest_id: str = ""
    display_name: str = DEFAULT_DISPLAY_NAME

    @property
    def app_path(self) -> str:
        """The path part of the public address ("" or "/kpis"): every route lives under it,
        so a proxy can forward https://apps.example.gov.uk/kpis/... unchanged."""
        return urlsplit(self.public_url).path.rstrip("/")

    @property
    def origin(self) -> str:
        parts = urlsplit(self.public_url)
        return f"{parts.scheme}://{parts.netloc}"

    def url(self, path: str) -> str:
        return f"{self.public_url}/{path.lstrip('/')}"


def public_url(text: str) -> str:
    """`https://host[:port][/path]`, normalised; anything else is refused with the reason."""
    text = text.strip()
    parts = urlsplit(text)
    if parts.scheme != "https" or not parts.hostname:
        raise XlAddinError(
            f"--public-url: expected the HTTPS address users reach the server by, such as "
            f"https://kpis.example.gov.uk (Excel loads add-ins over HTTPS only); found {text!r}"
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise XlAddinError(
            f"--public-url: expected a plain address with no query, fragment or user name; "
            f"found {text!r}"
        )
    try:
        parts.port  # noqa: B018 - raises for a port that is not a number
    except ValueError:
        raise XlAddinError(f"--public-url: the port in {text!r} is not a number") from None
    path = parts.path.rstrip("/")
    return f"https://{parts.netloc.lower()}{path}"


def namespace(text: str) -> str:
    text = text.strip()
    if text and not _NAMESPACE.match(text):
        raise XlAddinError(
            "--functions-namespace: expected a letter followed by up to 31 letters, digits or "
            f"underscores (functions then appear as =NAME.RAG()), or nothing; found {text!r}"
        )
    return text.upper()


def manifest_id(text: str, url: str) -> str:
    """The add-in's GUID. Office identifies an add-in by it, so it must not change between
    restarts; by default it is derived from the public address (one server, one add-in)."""
    if not text:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, url))
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise XlAddinError(
            f"--manifest-id: expected a GUID such as 6f1c2b1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b; "
            f"found {text!r}"
        ) from None


def display_name(text: str) -> str:
    text = " ".join(text.split())
    if not text or len(text) > _MAX_NAME:
        raise XlAddinError(
            f"--display-name: expected a name of 1 to {_MAX_NAME} characters; found {text!r}"
        )
    return text


def server_options(
    url: str,
    functions_namespace: str = DEFAULT_NAMESPACE,
    add_in_id: str = "",
    name: str = DEFAULT_DISPLAY_NAME,
) -> ServerOptions:
    """Checked options; every problem is an XlAddinError naming the option."""
    url = public_url(url)
    return ServerOptions(
        public_url=url,
        functions_namespace=namespace(functions_namespace),
        manifest_id=manifest_id(add_in_id, url),
        display_name=display_name(name),
    )
