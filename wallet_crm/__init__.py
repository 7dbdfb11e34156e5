"""wallet-crm: offline follow-up (回访) CRM for small digital-wallet operators."""

from importlib.metadata import PackageNotFoundError, version

APP_NAME = "wallet-crm"

try:
    # The one place the version is written is pyproject.toml; pip records it in the installed metadata,
    # and build.spec copies that metadata into the frozen app.
    __version__ = version(APP_NAME)
except PackageNotFoundError:  # the sources on sys.path without `pip install -e .`
    __version__ = "0+unknown"
