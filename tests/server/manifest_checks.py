"""What makes an add-in manifest loadable, checked structurally (no current XSD ships anywhere
here, and Microsoft's validator needs its web service): well-formed, every resid resolves to a
resource of the kind its element needs, lengths within Office's limits, every URL the public
HTTPS one."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

from lxml import etree

NS = {
    "o": "http://schemas.microsoft.com/office/appforoffice/1.1",
    "ov": "http://schemas.microsoft.com/office/taskpaneappversionoverrides",
    "bt": "http://schemas.microsoft.com/office/officeappbasictypes/1.0",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
XSI_TYPE = f"{{{NS['xsi']}}}type"
# Which resource list a resid must point into, by the element that carries it.
KIND_OF = {
    "Image": "Images",
    "SourceLocation": "Urls",
    "Runtime": "Urls",
    "FunctionFile": "Urls",
    "LearnMoreUrl": "Urls",
    "Label": "ShortStrings",
    "Title": "ShortStrings",
    "Namespace": "ShortStrings",
    "Description": "LongStrings",
}
LIMITS = {"ShortStrings": 125, "LongStrings": 250, "Urls": 2048, "Images": 2048}


def parse(text: str) -> etree._Element:
    return etree.fromstring(text.encode("utf-8"))


def resources(root: etree._Element) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for kind, tag in (
        ("Images", "Image"),
        ("Urls", "Url"),
        ("ShortStrings", "String"),
        ("LongStrings", "String"),
    ):
        section = root.find(f".//ov:Resources/bt:{kind}", NS)
        out[kind] = (
            {}
            if section is None
            else {e.get("id"): e.get("DefaultValue") for e in section.findall(f"bt:{tag}", NS)}
        )
    return out


def problems(text: str, public_url: str) -> list[str]:
    """Every way this manifest would fail to load; empty when it is sound."""
    found: list[str] = []
    root = parse(text)
    if root.tag != f"{{{NS['o']}}}OfficeApp" or root.get(XSI_TYPE) != "TaskPaneApp":
        found.append("the root is not an OfficeApp of type TaskPaneApp")
    try:
        uuid.UUID(root.findtext("o:Id", namespaces=NS) or "")
    except ValueError:
        found.append("Id is not a GUID")
    if not re.fullmatch(r"\d+\.\d+\.\d+\.\d+", root.findtext("o:Version", namespaces=NS) or ""):
        found.append("Version is not four numbers")
    res = resources(root)
    for kind, items in res.items():
        for rid, value in items.items():
            if len(rid) > 32:
                found.append(f"resource id {rid} is longer than 32 characters")
            if value is None or len(value) > LIMITS[kind]:
                found.append(f"{kind} {rid} is empty or longer than {LIMITS[kind]}")
    for element in root.iter():
        rid = element.get("resid")
        if rid is None:
            continue
        tag = etree.QName(element).localname
        kind = KIND_OF.get(tag)
        if kind is None:
            found.append(f"<{tag} resid={rid}> is not an element that takes a resid")
        elif rid not in res[kind]:
            found.append(f"<{tag} resid={rid}> does not resolve to a {kind} resource")
    for url in urls(root):
        if not url.startswith(public_url.rstrip("/") + "/") and url != origin(public_url):
            found.append(f"{url} is not under the public URL {public_url}")
        if urlsplit(url).scheme != "https":
            found.append(f"{url} is not HTTPS")
    return found


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def urls(root: etree._Element) -> list[str]:
    """Every URL the manifest carries (attributes and AppDomain)."""
    out = [
        value
        for element in root.iter()
        for value in element.attrib.values()
        if re.match(r"^[a-z]+://", value) and "schemas.microsoft.com" not in value
    ]
    out += [e.text.strip() for e in root.iterfind(".//o:AppDomain", NS)]
    return out


def function_names(root: etree._Element) -> list[str]:
    return [e.text for e in root.iterfind(".//ov:FunctionName", NS)]


def buttons(root: etree._Element) -> list[tuple[str, str]]:
    """(label, action type) of every ribbon button, in order."""
    strings = resources(root)["ShortStrings"]
    out = []
    for control in root.iterfind(".//ov:CustomTab//ov:Control", NS):
        label = strings[control.find("ov:Label", NS).get("resid")]
        out.append((label, control.find("ov:Action", NS).get(XSI_TYPE)))
    return out
