"""Tools for developers and tests, kept out of the service path (the local Africa's Talking)."""
