"""What an assessment is: its answers, state changes, row lock, stored scores and framework
snapshot. Features call this package; none writes assessment rows itself, so each rule has one
home. It imports no feature package (a test in ``tests/test_architecture.py`` proves it)."""
