"""`python -m accord` runs the command-line interface."""

from accord.cli.app import main

if __name__ == "__main__":
    main()
