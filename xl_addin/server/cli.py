"""`xl-addin serve`: run the Office add-in server that IT hosts.

Importing this module is cheap (no FastAPI, no xlwings), so the command line keeps working
without the server extra installed; `serve` then says what to install.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
from pathlib import Path

from ..errors import XlAddinError

DEFAULT_PORT = 8000


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `serve` command to the `xl-addin` parser."""
    p = sub.add_parser(
        "serve",
        help="run the Office add-in server (Excel on the web, Mac and Windows without Python)",
        description="Serve the KPIs Office add-in: its manifest, task pane, ribbon commands and "
        "worksheet functions. Excel only loads add-ins over HTTPS: give a certificate "
        "(--certfile, --keyfile) or run behind IT's HTTPS proxy and give its address "
        "(--public-url). See docs/office-addin.md.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT})"
    )
    p.add_argument(
        "--public-url",
        metavar="URL",
        help="the HTTPS address users reach the server by, e.g. https://kpis.example.gov.uk "
        "(default with --certfile: https://HOST:PORT)",
    )
    p.add_argument("--certfile", metavar="PEM", help="TLS certificate (chain) to serve HTTPS")
    p.add_argument("--keyfile", metavar="PEM", help="private key of --certfile")
    p.add_argument(
        "--functions-namespace",
        default="",
        metavar="NAME",
        help="prefix for the worksheet functions (=NAME.RAG()); default none: =RAG()",
    )
    p.add_argument(
        "--manifest-id",
        default="",
        metavar="GUID",
        help="the add-in's id (default: derived from --public-url, stable across restarts)",
    )
    p.add_argument(
        "--display-name", default="KPIs", help="the add-in's name in Excel (default KPIs)"
    )
    p.add_argument(
        "--print-manifest",
        action="store_true",
        help="print the manifest for these settings and exit (for the admin centre)",
    )
    p.add_argument(
        "--log-level",
        default="info",
        choices=("critical", "error", "warning", "info", "debug"),
        help="server log detail (default info)",
    )
    p.set_defaults(func=cmd_serve)


def _public_url(args: argparse.Namespace) -> str:
    if args.public_url:
        return args.public_url
    if args.certfile:
        if args.host in ("0.0.0.0", "::", ""):
            raise XlAddinError(
                f"--public-url: listening on {args.host} (every address), the server cannot "
                "tell which name users reach it by; give it, e.g. --public-url "
                f"https://kpis.example.gov.uk:{args.port}"
            )
        host = f"[{args.host}]" if ":" in args.host else args.host
        return f"https://{host}:{args.port}"
    raise XlAddinError(
        "xl-addin serve needs HTTPS, because Excel loads add-ins only over HTTPS: give the "
        "server a certificate (--certfile cert.pem --keyfile key.pem), or run it behind IT's "
        "HTTPS proxy and give the proxy's address (--public-url https://kpis.example.gov.uk)."
    )


def _check_tls(args: argparse.Namespace) -> None:
    if bool(args.certfile) != bool(args.keyfile):
        raise XlAddinError("--certfile and --keyfile go together: give both, or neither")
    for option, value in (("--certfile", args.certfile), ("--keyfile", args.keyfile)):
        if value and not Path(value).is_file():
            raise XlAddinError(f"{option}: there is no file {value}")


def _check_licence() -> None:
    if not os.environ.get("XLWINGS_LICENSE_KEY"):
        raise XlAddinError(
            "xl-addin serve uses parts of xlwings licensed for noncommercial use (PolyForm "
            "Noncommercial 1.0.0, which names government institutions). Set "
            "XLWINGS_LICENSE_KEY=noncommercial in the server's environment to accept those "
            "terms, and see docs/office-addin.md, 'Licence', before production use."
        )


def _check_port(host: str, port: int) -> None:
    if not 0 < port < 65536:
        raise XlAddinError(f"--port: expected a number from 1 to 65535; found {port}")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise XlAddinError(
                f"cannot listen on {host}:{port}: {exc.strerror or exc} (is another server "
                "using the port?)"
            ) from None


def cmd_serve(args: argparse.Namespace) -> int:
    from .options import server_options

    _check_tls(args)
    options = server_options(
        _public_url(args), args.functions_namespace, args.manifest_id, args.display_name
    )
    _check_licence()
    try:
        import uvicorn

        from .app import create_app
    except ImportError as exc:
        raise XlAddinError(
            f"The add-in server is not installed ({exc.name} is missing): "
            'pip install "xl_addin[server]"'
        ) from None
    if args.print_manifest:
        sys.stdout.write(create_app(options).state.pages.manifest())
        return 0
    _check_port(args.host, args.port)
    app = create_app(options)
    scheme = "https" if args.certfile else "http"
    print(
        f"Serving the {options.display_name} add-in at {options.public_url} "
        f"(listening on {scheme}://{args.host}:{args.port}).\n"
        f"Manifest for the admin centre: {options.url('manifest.xml')}",
        file=sys.stderr,
        flush=True,
    )
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        ssl_certfile=args.certfile,
        ssl_keyfile=args.keyfile,
        log_level=args.log_level,
        proxy_headers=True,
    )
    return 0
