"""`python -m legalkg` runs the command line."""

from legalkg.cli import main

main()
