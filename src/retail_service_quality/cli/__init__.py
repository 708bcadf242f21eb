"""The ``rsq`` command line: ``rsq demo`` and ``rsq report`` (see the command-line reference).

``main`` is the program itself (a click group); ``python -m retail_service_quality``
and the ``rsq`` console script both run it. Its public surface is the command,
not Python names.
"""

from retail_service_quality.cli._app import main as main
