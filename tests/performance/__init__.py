"""Query counts pinned at two catalogue sizes, for public pages and admin changelists."""
