"""Simple Python turtle programs -> block programs, checked by running both."""
