"""Framework versions as people read them: what changed from one version to the next."""
