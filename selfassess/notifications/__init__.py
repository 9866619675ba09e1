"""Notifications: what users are told (in the app, and by email unless they turn it off),
triggered by the events the core and the features publish (``selfassess.events``)."""
