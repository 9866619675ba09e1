"""Evidence files a trust attaches to the questions of its self-assessment."""
