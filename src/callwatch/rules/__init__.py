"""Eligibility rules: a closed interpreter over data, three-valued and explained.

- :mod:`.checks`: the compiled criteria (frozen dataclasses) and three-valued logic;
- :mod:`.paths`: the path language over a project file;
- :mod:`.compiler`: ``[[calls.criteria]]`` tables → criteria, with located errors;
- :mod:`.engine`: evaluation, explanations, questions, the verdict;
- :mod:`.phrases`: the engine's words in English and French.

The format is documented in docs/rules.md. Nothing here imports typer or pydantic.
"""

from callwatch.rules.checks import Criterion, Tri
from callwatch.rules.compiler import compile_criteria
from callwatch.rules.engine import Explanation, Question, Verdict, evaluate

__all__ = ["Criterion", "Explanation", "Question", "Tri", "Verdict", "compile_criteria", "evaluate"]
