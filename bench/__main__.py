"""`python -m bench`: msglint's benchmark suite (see bench/run.py)."""
from bench.run import main

main()
