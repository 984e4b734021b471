#!/usr/bin/env python3
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    from careerrelay.core import tenancy
    from careerrelay.core.catalogs import ensure_compiled

    ensure_compiled()
    tenancy.scope_for_command(sys.argv[1] if len(sys.argv) > 1 else None)
    execute_from_command_line(sys.argv)
