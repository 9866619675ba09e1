"""A member's improvement plan: actions on unmet standards, with owners, due dates and status."""
