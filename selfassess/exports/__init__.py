"""CSV exports of answers and scores, for the command line and coordinators' downloads."""
