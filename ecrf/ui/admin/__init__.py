"""Administration screens: users, backup & restore, site information, audit trail."""
