from msglint.cli import run

if __name__ == "__main__":  # not when multiprocessing imports it as __mp_main__ in a child
    run()
