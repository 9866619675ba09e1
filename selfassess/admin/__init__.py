"""Site administration: alliances, trusts and users across the instance."""
