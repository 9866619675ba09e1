"""Coordinators' imports: member trusts from a CSV file, previewed before anything is saved."""
