"""AuthScheme=OAuth through pyodbc against the simulator's OAuth server:
the OAuth procedures with EXEC and {call}, SQLProcedures, the browser flow
(curl stands in for the browser), refresh across processes, bad input with
its SQLSTATE, and that no token, code or secret appears in a log at any
Verbosity, in a diagnostic or in the settings file."""

import http.client
import json
import re
import secrets
import socket
import subprocess
import sys
import textwrap
import time
import urllib.parse
import urllib.request

import pyodbc
import pytest

from build_paths import DRIVER_PATH, SIM_PATH

CLIENT_ID = "py-odbc-app"
CLIENT_SECRET = "py-secret-" + secrets.token_hex(8)
CURL_BROWSER = "curl -sS -L -o /dev/null --max-time 60"
# Every secret the simulator issues has one of these shapes.
SECRET_SHAPES = re.compile(r"v1u:[0-9a-f]{8}|1:1:[0-9a-f]{8}|(?<![0-9a-f])[0-9a-f]{40}(?![0-9a-f])")


def free_port():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


class OAuthSim:
    def __init__(self, process, port, callback, log_path):
        self.process = process
        self.port = port
        self.callback = callback
        self.base_url = f"http://127.0.0.1:{port}"
        self.log_path = log_path

    def post(self, path):
        request = urllib.request.Request(self.base_url + path, method="POST", data=b"")
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")

    def token_requests(self):
        with urllib.request.urlopen(self.base_url + "/__sim/stats", timeout=30) as response:
            stats = json.loads(response.read())
        return stats["endpoints"].get("POST /oauth/token", {}).get("requests", 0)

    def expire_access_tokens(self):
        # Access tokens live an hour on the simulator's clock; refresh
        # tokens sixty days.
        self.post("/__sim/clock?advance_ms=3601000")

    def authorization_code(self):
        """Consents without a browser; the code from the redirect."""
        query = urllib.parse.urlencode({"client_id": CLIENT_ID, "redirect_uri": self.callback, "state": "py"})
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request("GET", "/oauth/authorize?" + query)
        answer = connection.getresponse()
        assert answer.status == 302, answer.read()
        location = answer.getheader("Location")
        connection.close()
        return urllib.parse.parse_qs(urllib.parse.urlparse(location).query)["code"][0]

    def connection_string(self, mode, **extra):
        properties = {
            "Driver": str(DRIVER_PATH),
            "AuthScheme": "OAuth",
            "InitiateOAuth": mode,
            "OAuthClientId": CLIENT_ID,
            "OAuthClientSecret": CLIENT_SECRET,
            "CallbackURL": self.callback,
            "OAuthBaseURL": self.base_url,
            "APIBaseURL": self.base_url,
            "CompanyDomain": "demo",
            "RetryCount": "0",
        }
        properties.update(extra)
        return ";".join(f"{key}={value}" for key, value in properties.items() if value is not None)


@pytest.fixture(scope="module")
def oauth_sim(tmp_path_factory):
    state = tmp_path_factory.mktemp("oauth-sim")
    port_file = state / "port"
    log_path = state / "sim.log"
    callback = f"http://127.0.0.1:{free_port()}/callback"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [
                str(SIM_PATH), "--port", "0", "--port-file", str(port_file), "--deals", "300", "--seed", "7",
                "--oauth-client-id", CLIENT_ID, "--oauth-client-secret", CLIENT_SECRET,
                "--oauth-redirect-uri", callback,
            ],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while not (port_file.exists() and port_file.read_text().strip()):
            assert process.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, "no port file"
            time.sleep(0.05)
        yield OAuthSim(process, int(port_file.read_text().strip()), callback, log_path)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def browser(monkeypatch):
    """The browser the driver opens: curl following the redirect."""
    monkeypatch.setenv("PIPEDRIVE_ODBC_BROWSER", CURL_BROWSER)


def sqlstate_of(error):
    return error.args[0] if error.args else None


def one_row(cursor):
    rows = cursor.fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def test_procedures_with_exec_and_call_on_an_unauthorized_connection(oauth_sim):
    connection = pyodbc.connect(oauth_sim.connection_string("OFF"))
    cursor = connection.cursor()
    with pytest.raises(pyodbc.Error) as raised:
        cursor.execute("SELECT Id FROM Deals").fetchall()
    assert sqlstate_of(raised.value) == "28000"
    assert "not authorized yet" in str(raised.value)

    url = one_row(cursor.execute("EXEC GetOAuthAuthorizationURL State='s1', Scope='deals:read'"))[0]
    assert [d[0] for d in cursor.description] == ["URL"]
    parsed = urllib.parse.urlparse(url)
    query = urllib.parse.parse_qs(parsed.query)
    assert url.startswith(oauth_sim.base_url + "/oauth/authorize?")
    assert query == {"client_id": [CLIENT_ID], "redirect_uri": [oauth_sim.callback], "state": ["s1"], "scope": ["deals:read"]}
    called = one_row(cursor.execute("{call GetOAuthAuthorizationURL(?, ?)}", oauth_sim.callback, "s2"))[0]
    assert urllib.parse.parse_qs(urllib.parse.urlparse(called).query)["state"] == ["s2"]

    # GetOAuthAccessToken, WEB mode: EXEC with a literal, {call} with bound parameters.
    tokens = one_row(cursor.execute(f"EXEC GetOAuthAccessToken AuthMode='WEB', Verifier='{oauth_sim.authorization_code()}'"))
    assert [d[0] for d in cursor.description] == ["OAuthAccessToken", "OAuthRefreshToken", "ExpiresIn", "APIDomain"]
    assert tokens[0].startswith("v1u:") and tokens[1].startswith("1:1:")
    assert tokens[2] == 3600 and tokens[3] == oauth_sim.base_url
    redirect = f"{oauth_sim.callback}?code={oauth_sim.authorization_code()}&state=py"
    called = one_row(cursor.execute("{call GetOAuthAccessToken(?, ?)}", "WEB", redirect))
    assert called[0].startswith("v1u:") and called[0] != tokens[0]

    # The connection is authorized now.
    assert cursor.execute("SELECT COUNT(*) FROM Deals").fetchone()[0] > 0

    # RefreshOAuthAccessToken: EXEC, then {call} with the rotated token.
    refreshed = one_row(cursor.execute(f"EXEC RefreshOAuthAccessToken OAuthRefreshToken='{called[1]}'"))
    assert [d[0] for d in cursor.description] == ["OAuthAccessToken", "OAuthRefreshToken", "ExpiresIn"]
    assert refreshed[1] != called[1] and refreshed[2] == 3600
    again = one_row(cursor.execute("{call RefreshOAuthAccessToken(?)}", refreshed[1]))
    assert again[1] not in (refreshed[1], called[1])
    # The used token is dead.
    with pytest.raises(pyodbc.Error) as raised:
        cursor.execute("CALL RefreshOAuthAccessToken(?)", refreshed[1]).fetchall()
    assert sqlstate_of(raised.value) == "28000"
    assert refreshed[1] not in str(raised.value)
    connection.close()


def test_sqlprocedures_and_sqlprocedurecolumns_list_them(oauth_sim):
    connection = pyodbc.connect(oauth_sim.connection_string("OFF"))
    cursor = connection.cursor()
    procedures = {row.procedure_name: row for row in cursor.procedures()}
    assert set(procedures) == {"GetOAuthAuthorizationURL", "GetOAuthAccessToken", "RefreshOAuthAccessToken"}
    assert procedures["GetOAuthAccessToken"].num_input_params == 4
    columns = [
        (row.column_name, row.column_type)
        for row in cursor.procedureColumns()
        if row.procedure_name == "RefreshOAuthAccessToken"
    ]
    # SQL_PARAM_INPUT = 1, SQL_RESULT_COL = 3.
    assert columns == [("OAuthRefreshToken", 1), ("OAuthAccessToken", 3), ("OAuthRefreshToken", 3), ("ExpiresIn", 3)]
    from_sys = sorted(row[0] for row in cursor.execute("SELECT ProcedureName FROM sys_procedures"))
    assert from_sys == sorted(procedures)
    connection.close()


@pytest.mark.parametrize(
    "sql, state, text",
    [
        ("EXEC NoSuchProcedure", "42000", "Unknown procedure"),
        ("EXEC GetOAuthAccessToken Code='abc'", "42000", "has no parameter 'Code'"),
        ("EXEC GetOAuthAccessToken AuthMode='DESKTOP'", "HY024", "AuthMode must be APP or WEB"),
        ("EXEC GetOAuthAccessToken AuthMode='WEB'", "07002", "needs Verifier"),
        ("EXEC GetOAuthAccessToken AuthMode='WEB', Verifier='made-up-code'", "28000", "authorization code"),
        ("EXEC GetOAuthAuthorizationURL CallbackURL='ftp://x'", "HY024", "CallbackURL"),
        ("EXEC RefreshOAuthAccessToken", "07002", "needs OAuthRefreshToken"),
        ("EXEC RefreshOAuthAccessToken 'a', 'b'", "07002", "at most 1"),
        ("{?= call GetOAuthAuthorizationURL}", "42000", "not a return value"),
    ],
)
def test_bad_procedure_calls(oauth_sim, sql, state, text):
    connection = pyodbc.connect(oauth_sim.connection_string("OFF"))
    with pytest.raises(pyodbc.Error) as raised:
        connection.cursor().execute(sql).fetchall()
    assert sqlstate_of(raised.value) == state, raised.value
    assert text in str(raised.value)
    assert "made-up-code" not in str(raised.value)
    connection.close()


def test_getandrefresh_opens_the_browser_once(oauth_sim, tmp_path, browser, monkeypatch):
    settings = tmp_path / "OAuthSettings.txt"
    conn_str = oauth_sim.connection_string("GETANDREFRESH", OAuthSettingsLocation=settings)
    connection = pyodbc.connect(conn_str)
    assert connection.cursor().execute("SELECT COUNT(*) FROM Deals").fetchone()[0] > 0
    connection.close()
    assert settings.stat().st_mode & 0o777 == 0o600
    # Later connections need no browser at all.
    monkeypatch.setenv("PIPEDRIVE_ODBC_BROWSER", "/nonexistent/browser")
    connection = pyodbc.connect(conn_str)
    connection.close()


def test_without_a_browser_the_url_is_in_the_diagnostic_and_the_log(oauth_sim, tmp_path, monkeypatch):
    monkeypatch.setenv("PIPEDRIVE_ODBC_BROWSER", "/nonexistent/browser")
    log = tmp_path / "driver.log"
    conn_str = oauth_sim.connection_string(
        "GETANDREFRESH", OAuthSettingsLocation=tmp_path / "s.txt", Logfile=log, Verbosity="1"
    )
    with pytest.raises(pyodbc.Error) as raised:
        pyodbc.connect(conn_str)
    assert sqlstate_of(raised.value) == "28000"
    message = str(raised.value)
    assert f"{oauth_sim.base_url}/oauth/authorize?client_id={CLIENT_ID}" in message
    assert "OAuthVerifier" in message
    assert f"{oauth_sim.base_url}/oauth/authorize?client_id={CLIENT_ID}" in log.read_text()
    assert not (tmp_path / "s.txt").exists()


def test_refresh_in_concurrent_processes_rotates_once(oauth_sim, tmp_path):
    settings = tmp_path / "shared.txt"
    conn_str = oauth_sim.connection_string("REFRESH", OAuthSettingsLocation=settings)
    first = pyodbc.connect(oauth_sim.connection_string(
        "REFRESH", OAuthSettingsLocation=settings, OAuthVerifier=oauth_sim.authorization_code()))
    first.close()
    oauth_sim.expire_access_tokens()
    before = oauth_sim.token_requests()
    script = textwrap.dedent(
        """
        import sys, pyodbc
        pyodbc.pooling = False
        connection = pyodbc.connect(sys.argv[1])
        print(connection.cursor().execute("SELECT COUNT(*) FROM Deals").fetchone()[0])
        """
    )
    children = [
        subprocess.Popen([sys.executable, "-c", script, conn_str], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    outcomes = [child.communicate(timeout=120) + (child.returncode,) for child in children]
    for out, err, code in outcomes:
        assert code == 0, err.decode()
        assert int(out) > 0
    assert oauth_sim.token_requests() == before + 1


@pytest.mark.parametrize("verbosity", ["1", "2", "3", "4", "5"])
def test_no_secret_in_logs_diagnostics_or_the_settings_file(oauth_sim, tmp_path, verbosity):
    log = tmp_path / "driver.log"
    settings = tmp_path / "s.txt"
    code = oauth_sim.authorization_code()
    texts = []
    connection = pyodbc.connect(oauth_sim.connection_string(
        "REFRESH", OAuthSettingsLocation=settings, OAuthVerifier=code, Logfile=log, Verbosity=verbosity))
    cursor = connection.cursor()
    oauth_sim.expire_access_tokens()
    cursor.execute("SELECT Id, Title FROM Deals").fetchall()
    second = oauth_sim.authorization_code()
    tokens = one_row(cursor.execute("{call GetOAuthAccessToken('WEB', ?)}", second))
    one_row(cursor.execute(f"EXEC RefreshOAuthAccessToken OAuthRefreshToken='{tokens[1]}'"))
    for sql in [
        f"EXEC GetOAuthAccessToken Verifier='{second}'",
        f"EXEC RefreshOAuthAccessToken OAuthRefreshToken='{tokens[1]}'",
        f"EXEC RefreshOAuthAccessToken Nope='{tokens[1]}'",
    ]:
        with pytest.raises(pyodbc.Error) as raised:
            cursor.execute(sql).fetchall()
        texts.append(str(raised.value))
    connection.close()
    with pytest.raises(pyodbc.Error) as raised:
        pyodbc.connect(oauth_sim.connection_string(
            "REFRESH", OAuthSettingsLocation=tmp_path / "other.txt", OAuthVerifier=code, Logfile=log, Verbosity=verbosity))
    texts.append(str(raised.value))

    log_text = log.read_text()
    for text in [log_text] + texts:
        assert not SECRET_SHAPES.search(text), text
        for secret in [CLIENT_SECRET, code, second, tokens[0], tokens[1]]:
            assert secret not in text
    data = settings.read_bytes()
    for secret in [CLIENT_SECRET, code, "v1u:", "1:1:", "access_token", "refresh_token"]:
        assert secret.encode() not in data
