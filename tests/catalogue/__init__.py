"""Frameworks, metrics, figures and their rules: models, charts, Markdown, the seed."""
