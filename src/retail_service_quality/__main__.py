"""``python -m retail_service_quality``: the ``rsq`` command line."""

from retail_service_quality.cli import main

if __name__ == "__main__":
    main(prog_name="rsq")
