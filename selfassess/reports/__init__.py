"""Printable board reports: a member's results in a cycle as HTML (print stylesheet) and PDF."""
