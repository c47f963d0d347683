"""schemathesis against the real server and its own OpenAPI document: generated and mutated requests
to every operation, authenticated as the platform administrator, must never get a 5xx nor stop the
server; a request that fits the document must not be refused as malformed (400); and every answer
must be one the document declares, in status, content type, headers and body schema. (It found a
page number that overflowed the list offset and crashed the process, and dates with fractional
seconds refused as "not valid JSON".)"""
import json
import os
import pathlib
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

PASSWORD = "fuzzing administrator password"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    binary = os.environ.get("YIZHAN_BIN")
    if not binary:
        pytest.fail("YIZHAN_BIN is not set: ./scripts/test sets it to the built yizhan")
    port = free_port()
    env = dict(os.environ, YIZHAN_DATA_DIR=str(tmp_path_factory.mktemp("data")), YIZHAN_BOOTSTRAP_ADMIN_PASSWORD=PASSWORD,
               YIZHAN_RATE_LIMIT_PER_SECOND="100000", YIZHAN_RATE_LIMIT_BURST="100000", YIZHAN_LOG_LEVEL="warning")
    env.pop("YIZHAN_DATABASE_URL", None)
    log = tmp_path_factory.mktemp("log") / "server.log"
    with open(log, "w") as output:
        process = subprocess.Popen([binary, "serve", "--port", str(port)], env=env, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/health/ready", timeout=1)
                break
            except OSError:
                assert process.poll() is None, log.read_text()
                time.sleep(0.1)
        yield base, process, log
    finally:
        process.terminate()
        process.wait(timeout=30)


def login(base):
    body = json.dumps({"tenant": "platform", "email": "admin@yizhan.local", "password": PASSWORD}).encode()
    request = urllib.request.Request(base + "/api/v1/auth/login", data=body, headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request))["data"]["access_token"]


def test_the_server_keeps_the_contract_of_its_own_document(server, tmp_path):
    base, process, log = server
    token = login(base)
    schemathesis = pathlib.Path(sys.executable).with_name("schemathesis")
    result = subprocess.run(
        [str(schemathesis), "--config-file", str(pathlib.Path(__file__).with_name("schemathesis.toml")),
         "run", base + "/openapi.yaml", "--url", base, "-H", f"Authorization: Bearer {token}",
         "--checks", "all", "--max-examples", "25", "--seed", "20261124",
         # Left out by design (docs/api.md): an explicit null for an optional member reads as absent,
         # which counts as accepting invalid data; a deleted (revoked) API key stays readable, with
         # revoked_at, for the audit trail.
         "--exclude-checks", "negative_data_rejection,use_after_free",
         # These end the session or change the administrator's password, which would leave the
         # rest of the run unauthenticated; their failure modes are covered by the Swift tests.
         "--exclude-path", "/api/v1/auth/logout", "--exclude-path", "/api/v1/auth/logout-all",
         "--exclude-path-regex", ".*/password$"],
        capture_output=True, text=True, timeout=900, cwd=tmp_path)  # its cache stays out of the repo
    summary = result.stdout[-3000:]
    assert result.returncode == 0, summary
    assert "stopped responding" not in result.stdout, summary
    assert process.poll() is None, "the server exited: " + log.read_text()[-2000:]
