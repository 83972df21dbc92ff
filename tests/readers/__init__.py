"""Public pages: directory, framework and compare pages, feeds, metadata, and what editor input cannot inject."""
