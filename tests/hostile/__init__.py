"""Hostile input: a corpus of strings editors might paste, and the checks that pages and feeds stay inert."""
