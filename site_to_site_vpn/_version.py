"""The distribution's version: the one place it is written (pyproject.toml reads it from here).

Semantic versioning (see the README's stability statement); a release tag ``vX.Y.Z`` must equal it.
"""

__version__ = "0.2.0.dev0"
