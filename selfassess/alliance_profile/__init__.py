"""The alliance profile: a cycle's alliance-level facts, answered once by the coordinator."""
