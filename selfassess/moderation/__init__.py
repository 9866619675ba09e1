"""Moderation: the panel that agrees or adjusts each standard's level before validation."""
