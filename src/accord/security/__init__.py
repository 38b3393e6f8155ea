"""Who may do what: passwords, sessions, log-in limits, and the one policy that decides access."""
