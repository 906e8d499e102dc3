"""The demo blog: categories, tags and articles written for feelmove (see FORMAT.md).

`load_demo` calls `load(author=..., stdout=...)`; running it again creates nothing new.
"""

from blog.demo.loader import DemoContentError, load, read_demo

__all__ = ["DemoContentError", "load", "read_demo"]
