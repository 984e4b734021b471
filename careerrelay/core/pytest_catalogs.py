"""A pytest plugin (`-p careerrelay.core.pytest_catalogs` in pyproject.toml) that builds the
translation catalogues when pytest starts: before pytest-django sets Django up, which caches
each language's catalogue the first time it is used (a conftest.py runs too late for that)."""

from careerrelay.core.catalogs import LOCALE_DIR, compile_catalogs

compile_catalogs([LOCALE_DIR])
