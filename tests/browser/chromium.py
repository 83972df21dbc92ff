"""Debian's chromium, driven by Playwright: one launch recipe for every browser test.

Nothing downloads a browser. The flags keep chromium off the network (the
machine has none but the package registries) and out of first-run chores.
"""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch(playwright):
    """A headless chromium from a running ``sync_playwright()`` context."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
