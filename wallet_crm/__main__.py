"""`python -m wallet_crm` runs the same CLI as the `wallet-crm` script; it is also the frozen app's entry point."""

import multiprocessing
import sys

if __name__ == "__main__":
    # First thing: the frozen app starts itself again for a child process (a big import's reader,
    # wallet_crm/imports/pipeline.py); there this runs the child's work and exits, before the CLI or the
    # GUI starts a second time. Elsewhere it does nothing.
    multiprocessing.freeze_support()
    from wallet_crm.cli import main

    sys.exit(main())
