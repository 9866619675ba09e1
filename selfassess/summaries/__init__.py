"""Published alliance summaries: each member's membership status for a cycle, made public."""
