"""Alliance coordinators: members, users, cycles and review."""
