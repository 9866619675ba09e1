"""Several respondents (issue #18 point 6): independent answers, their spread, a lead settles."""
