#!/usr/bin/env python
import os
import sys

# Commands that only read code and write files: they never sign, encrypt or
# serve anything, so a developer may run them without a SECRET_KEY.
OFFLINE_COMMANDS = {"makemigrations", "makemessages", "compilemessages", "showmigrations", "sqlmigrate"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if len(sys.argv) > 1 and sys.argv[1] in OFFLINE_COMMANDS:
        os.environ.setdefault("MADOGUCHI_OFFLINE_COMMAND", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
