"""Buddying leads: members needing support and the pairs that support them."""
