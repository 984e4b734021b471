"""The `careerrelay` console script: Django management commands under one name.

`careerrelay org create …`, `careerrelay seed-demo`, `careerrelay worker --once`, etc.
Hyphenated names map to the commands' module names.
"""

from __future__ import annotations

import os
import sys

ALIASES = {
    "seed-demo": "seed_demo",
    "compile-translations": "compile_translations",
    "import": "import_data",
    "export": "export_data",
    "db-app-role": "db_app_role",
}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if args:
        args[0] = ALIASES.get(args[0], args[0])
    from django.core.management import execute_from_command_line

    from careerrelay.core import tenancy
    from careerrelay.core.catalogs import ensure_compiled

    ensure_compiled()
    tenancy.scope_for_command(args[0] if args else None)
    execute_from_command_line(["careerrelay", *args])


if __name__ == "__main__":
    main()
