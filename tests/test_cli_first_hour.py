"""The command line as a newcomer meets it: --version, numbers checked as they are parsed (one
line, exit 2), every option's help with its default and choices, and on every command an
epilog naming the environment variables and the exit codes."""
from __future__ import annotations

import argparse
import re

import pytest
from helpers import cli

from tensorlift import __version__
from tensorlift.bench import runner
from tensorlift.cli import _parser

COMMANDS = ("analyze", "lift", "verify", "bench")
ENVIRONMENT = ("TENSORLIFT_MODEL", "OPENAI_BASE_URL", "OPENAI_API_KEY", "TENSORLIFT_CACHE_DIR", "TENSORLIFT_DEBUG")


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _help(command: str) -> str:
    return _subparsers()[command].format_help()


def test_version_in_process(capsys):
    with pytest.raises(SystemExit) as e:
        _parser().parse_args(["--version"])
    assert e.value.code == 0 and capsys.readouterr().out.strip() == f"tensorlift {__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_states_its_default_and_choices(command):
    parser = _subparsers()[command]
    text = re.sub(r"\s+", " ", parser.format_help())
    for action in parser._actions:
        if not action.option_strings or action.nargs == 0:    # flags: absent means off
            continue
        helped = re.sub(r"\s+", " ", parser._get_formatter()._expand_help(action)
                        if action.help else "")
        assert "default" in helped or "may repeat" in helped, (command, action.option_strings, helped)
        if action.choices:
            for choice in action.choices:
                assert str(choice) in text, (command, action.option_strings, choice)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_names_the_environment_and_exit_codes(command):
    text = _help(command)
    assert "environment:" in text and "exit codes:" in text
    for var in ENVIRONMENT:
        assert var in text, (command, var)
    for code in ("0 ", "2 bad input", "3 internal error", "130 interrupted"):
        assert f"\n  {code}" in text, (command, code)
    if command in ("lift", "verify"):
        assert "\n  1 " in text


def test_defaults_said_where_they_differ():
    lift, bench, verify = (re.sub(r"\s+", " ", _help(c)) for c in ("lift", "bench", "verify"))
    assert re.search(r"--memory GIB memory ceiling [^(]* \(default 8\)", lift)
    assert "--memory GIB address-space limit of one worker in GiB (default 4)" in bench
    assert "--timeout SECONDS time limit (default 300)" in verify
    assert "auto (default)" in lift and "top-down (default)" in lift
    assert "--guide {auto,llm,static,none}" in bench and "--target LIST" in bench and "--emit DIR" in bench


@pytest.mark.parametrize("args, message", [
    (["lift", "k.c", "--timeout", "-5"], "argument --timeout: must be more than 0, not -5"),
    (["lift", "k.c", "--timeout", "nan"], "argument --timeout: must be a finite number, not nan"),
    (["lift", "k.c", "--timeout", "soon"], "argument --timeout: 'soon' is not a number"),
    (["lift", "k.c", "--memory", "0"], "argument --memory: must be more than 0, not 0"),
    (["lift", "k.c", "--samples", "0"], "argument --samples: must be at least 1, not 0"),
    (["lift", "k.c", "--bound", "2.5"], "argument --bound: '2.5' is not an integer"),
    (["lift", "k.c", "--guide", "psychic"], "unknown guide 'psychic' (choose from auto, llm, static, none)"),
    (["analyze", "k.c", "--examples", "-1"], "argument --examples: must be at least 0, not -1"),
    (["verify", "k.c", "y(i) = x(i)", "--bound", "0"], "argument --bound: must be at least 1, not 0"),
    (["verify", "k.c", "y(i) = x(i)", "--timeout", "inf"], "argument --timeout: must be a finite number, not inf"),
    (["bench", "k.c", "--jobs", "0"], "argument --jobs/-j: must be at least 1, not 0"),
    (["bench", "k.c", "--grace", "-1"], "argument --grace: must be at least 0, not -1"),
    (["bench", "k.c", "--bound", "-3"], "argument --bound: must be at least 1, not -3"),
])
def test_bad_numbers_are_one_line_and_exit_2(capsys, args, message):
    with pytest.raises(SystemExit) as e:
        _parser().parse_args(args)
    err = capsys.readouterr().err
    assert e.value.code == 2
    assert err.count("\n") == 1 and message in err and err.startswith(f"tensorlift {args[0]}: error: ")


def test_bench_runner_returns_2_on_a_usage_error(capsys):
    assert runner.main(["k.c", "--timeout", "0"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.slow
def test_version_and_bad_number_as_a_user_runs_them():
    proc = cli("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"tensorlift {__version__}"
    proc = cli("lift", "corpus/blas/gemv.c", "--timeout", "-5")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr == ("tensorlift lift: error: argument --timeout: must be more than 0, not -5 "
                           "(see tensorlift lift --help)\n")
