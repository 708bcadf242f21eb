"""Private helpers shared by every domain: checks, validation, collections, display."""
