"""`xl-addin serve` as IT runs it: a real process on 127.0.0.1, behind a proxy (--public-url)
or with its own certificate, and the clear refusals when it cannot serve."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from manifest_checks import parse, problems, urls
from serving import PUBLIC_URL, free_port, serve_command, start_serve

from xl_addin.excel.scripts import SCRIPTS


def run_serve(*args: str, env: dict[str, str] | None = None, timeout: float = 60):
    return subprocess.run(
        serve_command(*args),
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        check=False,
    )


# -- Behind IT's HTTPS proxy ---------------------------------------------------------------


def test_the_manifest_carries_the_public_address_not_the_local_one(served: str) -> None:
    text = httpx.get(f"{served}/manifest.xml").text
    assert problems(text, PUBLIC_URL) == []
    assert not [u for u in urls(parse(text)) if "127.0.0.1" in u]


def test_scripts_and_functions_over_http(served: str, demo_payload: dict) -> None:
    meta = httpx.get(f"{served}/xlwings/custom-scripts-meta.json").json()
    assert sorted(m["function_name"] for m in meta) == sorted(SCRIPTS.values())
    refreshed = httpx.post(
        f"{served}/xlwings/custom-scripts-call/{SCRIPTS['refresh']}", json=demo_payload, timeout=120
    )
    assert refreshed.status_code == 200
    assert any(a["func"] == "addChart" for a in refreshed.json()["actions"])
    functions = httpx.get(f"{served}/xlwings/custom-functions-meta.json").json()["functions"]
    assert "RAG" in {f["id"] for f in functions}
    body = {
        "client": "Office.js",
        "func_name": "RAG",
        "args": [[[0.8]], [[0.82]], [["sideways"]], None, None, None],
        "caller_address": "[a.xlsx]Sheet1!B2",
        "version": "0.37.8",
        "runtime": "1.4",
    }
    refused = httpx.post(f"{served}/xlwings/custom-functions-call", json=body)
    assert refused.status_code == 400 and "polarity" in refused.json()["detail"]


def test_print_manifest_is_what_the_server_serves(served: str) -> None:
    done = run_serve("--public-url", PUBLIC_URL, "--print-manifest")
    assert done.returncode == 0, done.stderr
    assert done.stdout == httpx.get(f"{served}/manifest.xml").text


# -- With its own certificate -----------------------------------------------------------------


def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    certfile, keyfile = folder / "cert.pem", folder / "key.pem"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return certfile, keyfile


def test_serves_https_with_its_own_certificate(tmp_path: Path) -> None:
    certfile, keyfile = self_signed(tmp_path)
    port = free_port()
    process = start_serve(
        port,
        "--certfile",
        str(certfile),
        "--keyfile",
        str(keyfile),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"https://127.0.0.1:{port}"
    trust = ssl.create_default_context(cafile=str(certfile))
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stdout.read()
            try:
                response = httpx.get(f"{base}/manifest.xml", verify=trust, timeout=2)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "no HTTPS answer within 60 s"
                time.sleep(0.2)
        assert response.status_code == 200
        assert problems(response.text, base) == [], "every URL is https://127.0.0.1:PORT"
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=5)
    finally:
        process.terminate()
        process.wait(timeout=20)


# -- Refusals, each with a message and exit code 2 ---------------------------------------------


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ((), "needs HTTPS"),
        (("--public-url", "http://kpis.example.gov.uk"), "HTTPS"),
        (("--public-url", "https://kpis.example.gov.uk?x=1"), "plain address"),
        (("--certfile", "missing.pem", "--keyfile", "missing.pem"), "no file"),
        (("--certfile", "x.pem"), "go together"),
        (("--public-url", PUBLIC_URL, "--functions-namespace", "1KPI"), "--functions-namespace"),
        (("--public-url", PUBLIC_URL, "--manifest-id", "not-a-guid"), "GUID"),
    ],
)
def test_bad_options_are_refused_with_the_reason(args: tuple[str, ...], says: str) -> None:
    done = run_serve(*args)
    assert done.returncode == 2, done.stderr
    assert says in done.stderr
    assert "Traceback" not in done.stderr


def test_the_licence_must_be_accepted_first() -> None:
    done = run_serve("--public-url", PUBLIC_URL, env={"XLWINGS_LICENSE_KEY": ""})
    assert done.returncode == 2
    assert "XLWINGS_LICENSE_KEY=noncommercial" in done.stderr
    assert "government" in done.stderr


def test_a_port_in_use_is_refused(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_serve("--host", "127.0.0.1", "--port", str(port), "--public-url", PUBLIC_URL)
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr


def test_serve_is_listed_by_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "xl_addin.cli", "--help"], capture_output=True, text=True, check=True
    )
    assert "serve" in done.stdout
