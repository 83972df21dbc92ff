"""Real-browser checks (Debian's chromium through Playwright), HTML validity and Lighthouse."""
