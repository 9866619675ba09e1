"""Trust users: their trust's self-assessments."""
