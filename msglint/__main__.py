from msglint.cli import run

run()
