#!/usr/bin/env python3
"""python build.py [build|check|serve|new] — see `python build.py --help`."""
from portal.cli import run

if __name__ == "__main__":
    run()
