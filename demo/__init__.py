"""The demo site: its German content as data files (content/, FORMAT.md) and `load_demo`.

This app sits on top of blog, comments and newsletter and may import them; none of them imports
it. It has no models and no URLs.
"""
