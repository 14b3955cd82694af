"""The official Jupyter kernel conformance suite, jupyter_kernel_test,
run against the installed matcalc kernelspec.

Run with /usr/bin/python3 -m unittest (see test.sh, which installs the
kernelspec into a temporary prefix and points JUPYTER_PATH at it).

The samples use both the magics of the session and the matrix language
(execute_result, history, is_complete, completion and inspection of a
declared name).
"""

import os
import unittest

import jupyter_kernel_test

KERNEL_NAME = os.environ.get("MATCALC_KERNEL", "matcalc")


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
    code_inspect_sample = "Sigma"
    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": "2*3 - 1", "result": "5"},
        {"code": "x : vector(3)\nx'*x", "mime": "text/latex"},
    ]
    code_history_pattern = "1 + *"

    completion_samples = [
        {"text": "%wh", "matches": {"%who"}},
        {"text": "%s", "matches": {"%sleep"}},
        {"text": "logde", "matches": {"logdet"}},
        {"text": "x = Sig", "matches": {"Sigma"}},
    ]
    complete_code_samples = ["%who", "%sleep 0", "A : matrix(3, 3)", "f = norm(A*x)^2"]
    incomplete_code_samples = ["A = [1 2", "f = (x +"]
    invalid_code_samples = ["x = )"]

    supported_history_operations = ("tail", "range", "search")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A declared name for the completion and inspection samples.
        reply = cls.kc.execute_interactive("Sigma : matrix(3, 3) spd", timeout=15)
        assert reply["content"]["status"] == "ok", reply["content"]


if __name__ == "__main__":
    unittest.main()
