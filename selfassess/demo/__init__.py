"""Demonstration data: the seeds' real alliances and trusts, with clearly synthetic answers."""
