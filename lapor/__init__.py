"""Lapor: open software for Indonesia's public-service complaint management."""
