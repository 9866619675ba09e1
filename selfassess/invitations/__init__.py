"""Offering roles: who may give which role, invitations, and their acceptance."""
