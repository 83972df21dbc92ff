"""Guides as readers get them: the guide page and the one visibility rule."""
