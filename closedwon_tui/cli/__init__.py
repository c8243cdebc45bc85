"""The scriptable command line; it calls the same services as the app."""
