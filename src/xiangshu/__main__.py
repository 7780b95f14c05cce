from xiangshu.cli.main import run

run()
