"""A few ODBC calls made directly through unixODBC's libodbc with ctypes.

pyodbc hides what some tests need to see: the SQL_SUCCESS_WITH_INFO
warnings of a connect, the completed connection string that
SQLDriverConnect returns, and the SQLConnect / SQLConnectW (DSN, user,
password) paths.
"""

import ctypes
import ctypes.util

SQL_SUCCESS = 0
SQL_SUCCESS_WITH_INFO = 1
SQL_NO_DATA = 100
SQL_ERROR = -1
SQL_INVALID_HANDLE = -2

SQL_HANDLE_ENV = 1
SQL_HANDLE_DBC = 2
SQL_ATTR_ODBC_VERSION = 200
SQL_OV_ODBC3 = 3
SQL_NTS = -3
SQL_DRIVER_NOPROMPT = 0

_SQLHANDLE = ctypes.c_void_p


def _load_driver_manager():
    name = ctypes.util.find_library("odbc") or "libodbc.so.2"
    lib = ctypes.CDLL(name)
    lib.SQLAllocHandle.argtypes = [ctypes.c_short, _SQLHANDLE, ctypes.POINTER(_SQLHANDLE)]
    lib.SQLAllocHandle.restype = ctypes.c_short
    lib.SQLSetEnvAttr.argtypes = [_SQLHANDLE, ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
    lib.SQLSetEnvAttr.restype = ctypes.c_short
    lib.SQLDriverConnect.argtypes = [
        _SQLHANDLE,
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.c_short,
        ctypes.c_char_p,
        ctypes.c_short,
        ctypes.POINTER(ctypes.c_short),
        ctypes.c_ushort,
    ]
    lib.SQLDriverConnect.restype = ctypes.c_short
    lib.SQLConnect.argtypes = [
        _SQLHANDLE,
        ctypes.c_char_p,
        ctypes.c_short,
        ctypes.c_char_p,
        ctypes.c_short,
        ctypes.c_char_p,
        ctypes.c_short,
    ]
    lib.SQLConnect.restype = ctypes.c_short
    # SQLWCHAR strings as raw UTF-16 buffers (2-byte SQLWCHAR under unixODBC).
    lib.SQLConnectW.argtypes = lib.SQLConnect.argtypes
    lib.SQLConnectW.restype = ctypes.c_short
    lib.SQLGetDiagRec.argtypes = [
        ctypes.c_short,
        _SQLHANDLE,
        ctypes.c_short,
        ctypes.c_char_p,
        ctypes.POINTER(ctypes.c_int),
        ctypes.c_char_p,
        ctypes.c_short,
        ctypes.POINTER(ctypes.c_short),
    ]
    lib.SQLGetDiagRec.restype = ctypes.c_short
    lib.SQLDisconnect.argtypes = [_SQLHANDLE]
    lib.SQLDisconnect.restype = ctypes.c_short
    lib.SQLFreeHandle.argtypes = [ctypes.c_short, _SQLHANDLE]
    lib.SQLFreeHandle.restype = ctypes.c_short
    return lib


class ConnectResult:
    """What one connect attempt returned."""

    def __init__(self, return_code, diagnostics, out_connection_string=None):
        self.return_code = return_code
        # [(sqlstate, native_error, message)]
        self.diagnostics = diagnostics
        self.out_connection_string = out_connection_string

    @property
    def succeeded(self):
        return self.return_code in (SQL_SUCCESS, SQL_SUCCESS_WITH_INFO)

    @property
    def sqlstates(self):
        return [state for state, _, _ in self.diagnostics]

    def __repr__(self):
        return f"ConnectResult(rc={self.return_code}, diagnostics={self.diagnostics!r})"


def _diagnostics(lib, handle_type, handle):
    records = []
    for record_number in range(1, 50):
        state = ctypes.create_string_buffer(6)
        native = ctypes.c_int(0)
        message = ctypes.create_string_buffer(4096)
        message_length = ctypes.c_short(0)
        rc = lib.SQLGetDiagRec(
            handle_type, handle, record_number, state, ctypes.byref(native), message,
            len(message), ctypes.byref(message_length),
        )
        if rc not in (SQL_SUCCESS, SQL_SUCCESS_WITH_INFO):
            break
        records.append(
            (
                state.value.decode("ascii", "replace"),
                native.value,
                message.value.decode("utf-8", "replace"),
            )
        )
    return records


class _Connection:
    """An ODBC 3 environment and connection handle, freed on exit."""

    def __enter__(self):
        self.lib = _load_driver_manager()
        self.env = _SQLHANDLE()
        self.dbc = _SQLHANDLE()
        rc = self.lib.SQLAllocHandle(SQL_HANDLE_ENV, None, ctypes.byref(self.env))
        assert rc == SQL_SUCCESS, f"SQLAllocHandle(ENV) returned {rc}"
        rc = self.lib.SQLSetEnvAttr(self.env, SQL_ATTR_ODBC_VERSION, ctypes.c_void_p(SQL_OV_ODBC3), 0)
        assert rc == SQL_SUCCESS, f"SQLSetEnvAttr(ODBC_VERSION) returned {rc}"
        rc = self.lib.SQLAllocHandle(SQL_HANDLE_DBC, self.env, ctypes.byref(self.dbc))
        assert rc == SQL_SUCCESS, f"SQLAllocHandle(DBC) returned {rc}"
        return self

    def diagnostics(self):
        return _diagnostics(self.lib, SQL_HANDLE_DBC, self.dbc)

    def __exit__(self, *exc):
        self.lib.SQLFreeHandle(SQL_HANDLE_DBC, self.dbc)
        self.lib.SQLFreeHandle(SQL_HANDLE_ENV, self.env)
        return False


def driver_connect(connection_string, out_buffer_chars=4096):
    """SQLDriverConnect (ANSI, NOPROMPT); disconnects again on success."""
    with _Connection() as cn:
        out = ctypes.create_string_buffer(out_buffer_chars)
        out_length = ctypes.c_short(0)
        rc = cn.lib.SQLDriverConnect(
            cn.dbc, None, connection_string.encode("utf-8"), SQL_NTS, out, len(out),
            ctypes.byref(out_length), SQL_DRIVER_NOPROMPT,
        )
        diagnostics = cn.diagnostics()
        out_string = out.value.decode("utf-8", "replace") if rc in (SQL_SUCCESS, SQL_SUCCESS_WITH_INFO) else None
        if rc in (SQL_SUCCESS, SQL_SUCCESS_WITH_INFO):
            cn.lib.SQLDisconnect(cn.dbc)
        return ConnectResult(rc, diagnostics, out_string)


def connect_dsn(dsn, user=None, password=None):
    """SQLConnect (ANSI) to a DSN; disconnects again on success."""
    with _Connection() as cn:
        user_bytes = user.encode("utf-8") if user is not None else None
        password_bytes = password.encode("utf-8") if password is not None else None
        rc = cn.lib.SQLConnect(
            cn.dbc, dsn.encode("utf-8"), SQL_NTS, user_bytes, SQL_NTS if user_bytes else 0,
            password_bytes, SQL_NTS if password_bytes else 0,
        )
        diagnostics = cn.diagnostics()
        if rc in (SQL_SUCCESS, SQL_SUCCESS_WITH_INFO):
            cn.lib.SQLDisconnect(cn.dbc)
        return ConnectResult(rc, diagnostics)


def _utf16(text):
    """A NUL-terminated SQLWCHAR (UTF-16LE) buffer, or None."""
    return None if text is None else (text + "\0").encode("utf-16-le")


def connect_dsn_wide(dsn, user=None, password=None):
    """SQLConnectW to a DSN; disconnects again on success."""
    with _Connection() as cn:
        rc = cn.lib.SQLConnectW(
            cn.dbc, _utf16(dsn), SQL_NTS, _utf16(user), SQL_NTS if user else 0,
            _utf16(password), SQL_NTS if password else 0,
        )
        diagnostics = cn.diagnostics()
        if rc in (SQL_SUCCESS, SQL_SUCCESS_WITH_INFO):
            cn.lib.SQLDisconnect(cn.dbc)
        return ConnectResult(rc, diagnostics)
