"""An alliance's own standards: targets, core flags and which standards apply in its cycles."""
