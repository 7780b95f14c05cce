from xiangshu.cli.main import run

if __name__ == "__main__":  # worker processes (spawn) import this module too
    run()
