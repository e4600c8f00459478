"""Department lists (DESIGN §3.9): file layout, row checks and deadlines; the service is services/lists.py."""
