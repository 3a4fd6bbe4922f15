"""Where the built driver and simulator are.

PIPEDRIVE_ODBC_DRIVER and PIPEDRIVE_SIM override the target/release paths.
"""

import os
import pathlib

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
DRIVER_PATH = pathlib.Path(
    os.environ.get("PIPEDRIVE_ODBC_DRIVER", REPO_ROOT / "target" / "release" / "libpipedrive_odbc.so")
).resolve()
SIM_PATH = pathlib.Path(
    os.environ.get("PIPEDRIVE_SIM", REPO_ROOT / "target" / "release" / "pipedrive-sim")
).resolve()
