"""`python -m wallet_crm` runs the same CLI as the `wallet-crm` script."""

import sys

from wallet_crm.cli import main

if __name__ == "__main__":
    sys.exit(main())
